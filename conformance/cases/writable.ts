/**
 * The writable side's stream API beyond write()/end(): cork()/uncork()/writableCorked,
 * setDefaultEncoding(), `errored`, and what destroy() does to writes still out: the one in
 * flight is cancelled (ECANCELED, Node 22 and later), queued ones and end()'s callback fail
 * with the error, and queued bytes leave bytesWritten.
 *
 * Nothing here depends on whether a small write reached the OS at once: Deno's writes are
 * asynchronous, Node's and Bun's mostly synchronous.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { defineCase, delay, once, readAll } from "../harness.ts";
import { closed, connected } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

/** A coded error, as a user's destroy(err) passes it. */
function boom(): Error {
  return Object.assign(new Error("boom"), { code: "EBOOM" });
}

/**
 * The server's socket of a connection whose client reset it. That socket is not reading
 * (pauseOnConnect): only its writes learn of the RST, which is in its kernel once the
 * client closed.
 */
async function resetPeer(ctx: Ctx): Promise<any> {
  const { client, peer } = await connected(ctx, {
    server: { pauseOnConnect: true },
    onServer: (s) => s.on("error", () => {}),
  });
  client.on("error", () => {});
  client.resetAndDestroy();
  await closed(client);
  await delay(20);
  return peer;
}

/** A server that collects what its clients send (as latin1) and ends when they do. */
async function collector(ctx: Ctx): Promise<{ server: any; got: () => string }> {
  let got = "";
  const server = await ctx.server((s) => {
    s.setEncoding("latin1");
    s.on("data", (d: string) => (got += d));
    s.on("end", () => s.end());
  });
  return { server, got: () => got };
}

const cases: Case[] = [
  defineCase("backpressure", "cork() holds writes until as many uncork() calls; end() uncorks fully", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const received = readAll(peer);
    peer.on("end", () => peer.end());
    const log: string[] = [];
    assert.equal(client.writableCorked, 0);
    client.cork();
    client.cork();
    assert.equal(client.writableCorked, 2);
    assert.equal(client.write("aa", (err: unknown) => log.push(`a:${err}`)), true);
    assert.equal(client.write(new Uint8Array([98]), (err: unknown) => log.push(`b:${err}`)), true);
    assert.equal(client.writableLength, 3, "held back");
    assert.equal(client.bytesWritten, 3, "bytesWritten counts held writes");
    client.uncork();
    assert.equal(client.writableCorked, 1);
    // Still corked: nothing leaves, nothing is called back.
    await delay(30);
    assert.equal(log.length, 0);
    assert.equal(client.writableLength, 3);
    client.uncork();
    assert.equal(client.writableCorked, 0);
    assert.equal(log.length, 0, "callbacks never run inside uncork()");
    for (let i = 0; log.length < 2; i++) {
      if (i > 2_000) assert.fail("the uncorked writes were never called back");
      await delay(1);
    }
    assert.deepEqual(log, ["a:null", "b:null"]);
    assert.equal(client.writableLength, 0);
    client.uncork(); // one too many: nothing happens
    assert.equal(client.writableCorked, 0);
    client.cork();
    client.cork();
    client.write("cc");
    client.end("dd", () => log.push("end"));
    assert.equal(client.writableCorked, 0, "end() uncorks fully");
    assert.equal(await closed(client), false);
    assert.deepEqual(log, ["a:null", "b:null", "end"]);
    assert.equal(client.bytesWritten, 7);
    assert.equal(new TextDecoder().decode(await received), "aabccdd");
  }),

  defineCase("backpressure", "cork() before connect: the writes leave on uncork(), not on 'connect'", async (ctx) => {
    const { server, got } = await collector(ctx);
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    client.cork();
    client.write("held");
    await once(client, "connect");
    await delay(30);
    assert.equal(got(), "", "corked: nothing sent on connect");
    assert.equal(client.writableLength, 4);
    client.uncork();
    client.end();
    assert.equal(await closed(client), false);
    assert.equal(got(), "held");
  }),

  defineCase("backpressure", "cork() while connecting, after a write: that write still leaves on 'connect' (Node had dispatched it); the later ones wait for uncork()", async (ctx) => {
    const { server, got } = await collector(ctx);
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log: string[] = [];
    client.write("first", (err: any) => log.push(`first:${err?.code ?? err}`));
    client.cork();
    client.write("held", (err: any) => log.push(`held:${err?.code ?? err}`));
    await once(client, "connect");
    await delay(30);
    assert.equal(got(), "first");
    assert.deepEqual(log, ["first:null"]);
    assert.equal(client.writableLength, 4);
    client.uncork();
    client.end();
    assert.equal(await closed(client), false);
    assert.equal(got(), "firstheld");
    assert.deepEqual(log, ["first:null", "held:null"]);
  }),

  defineCase("backpressure", "cork() while connecting, after the only write: a write made once that one went out is held too, until uncork()", async (ctx) => {
    const { server, got } = await collector(ctx);
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log: string[] = [];
    const first = new Promise<void>((resolve) =>
      client.write("first", (err: any) => {
        log.push(`first:${err?.code ?? err}`);
        resolve();
      })
    );
    client.cork();
    await first;
    client.write("later", (err: any) => log.push(`later:${err?.code ?? err}`));
    await delay(30);
    assert.equal(got(), "first");
    assert.deepEqual(log, ["first:null"]);
    assert.equal(client.writableLength, 5);
    assert.equal(client.writableCorked, 1);
    client.uncork();
    client.end();
    assert.equal(await closed(client), false);
    assert.equal(got(), "firstlater");
    assert.deepEqual(log, ["first:null", "later:null"]);
  }),

  defineCase("errors", "destroy() while corked: held writes fail (with err before 'error', else ERR_STREAM_DESTROYED) and leave bytesWritten", async (ctx) => {
    for (const withError of [true, false]) {
      const { client } = await connected(ctx, { onServer: (s) => s.on("error", () => {}) });
      const log: string[] = [];
      client.on("error", (err: any) => log.push(`error:${err.code}`));
      client.cork();
      client.write("xx", (err: any) => log.push(`cb:${err?.code}`));
      client.write("yy", (err: any) => log.push(`cb:${err?.code}`));
      assert.equal(client.bytesWritten, 4);
      assert.equal(client.errored, null);
      const err = withError ? boom() : undefined;
      client.destroy(err);
      assert.equal(client.errored, err ?? null, "errored is set at once");
      assert.equal(await closed(client), withError);
      const cause = withError ? "EBOOM" : "ERR_STREAM_DESTROYED";
      assert.deepEqual(log, [`cb:${cause}`, `cb:${cause}`, ...(withError ? ["error:EBOOM"] : [])]);
      assert.equal(client.errored, err ?? null);
      assert.equal(client.bytesWritten, 0, "the held bytes were never written");
      assert.equal(client.writableLength, 0);
    }
  }),

  defineCase("errors", "destroy(err) after end(cb) with nothing in flight: end's callback gets err before 'error'", async (ctx) => {
    // The peer does not read and holds its end: end() has nothing queued, its FIN is out
    // or going, and `finish` waits for the shutdown to complete.
    const { client } = await connected(ctx, {
      server: { pauseOnConnect: true },
      onServer: (s) => s.on("error", () => {}),
    });
    const log: string[] = [];
    client.on("error", (err: any) => log.push(`error:${err.code}`));
    client.on("finish", () => log.push("finish"));
    client.end((err: any) => log.push(`end:${err?.code ?? err}`));
    client.destroy(boom());
    assert.equal(await closed(client), true);
    assert.deepEqual(log, ["end:EBOOM", "error:EBOOM"]);
  }),

  defineCase("errors", "destroy() with a write in flight: it fails with ECANCELED after 'error', queued writes and end()'s callback with the error (also on a socket connected with a localAddress)", async (ctx) => {
    // (A connect with a local address takes another path on Deno: its node:net.)
    for (const [withError, local] of [[false, false], [true, false], [false, true], [true, true]]) {
      // A paused reader: 16 MiB cannot all reach the kernel, so the write stays in flight.
      const { client } = await connected(ctx, {
        server: { pauseOnConnect: true },
        onServer: (s) => s.on("error", () => {}),
        ...(local ? { client: { localAddress: "127.0.0.1" } } : {}),
      });
      const log: string[] = [];
      client.on("error", (err: any) => log.push(`error:${err.code}`));
      const big = new Uint8Array(16 * 1024 * 1024);
      let bigErr: any;
      assert.equal(client.write(big, (err: any) => {
        bigErr = err;
        log.push(`big:${err?.code}`);
      }), false);
      client.write("cd", (err: any) => log.push(`small:${err?.code}`));
      client.end((err: any) => log.push(`end:${err?.code}`));
      assert.equal(client.bytesWritten, big.length + 2);
      client.destroy(withError ? boom() : undefined);
      assert.equal(client.writable, false);
      assert.equal(await closed(client), withError);
      const cause = withError ? "EBOOM" : "ECANCELED";
      assert.deepEqual(log, [
        ...(withError ? ["error:EBOOM"] : []),
        "big:ECANCELED",
        `small:${cause}`,
        `end:${cause}`,
      ]);
      assert.equal(bigErr.syscall, "write");
      assert.equal(bigErr.errno < 0, true);
      assert.equal(bigErr.message, "write ECANCELED");
      // What was handed to the OS counts; the queued write was never written.
      assert.equal(client.bytesWritten, big.length);
      assert.equal(client.writableLength, 0);
      assert.equal(client.errored?.code, cause);
    }
  }, { requires: ["node22"], timeoutMs: 20_000 }),

  defineCase("errors", "destroy() while a writev of corked writes (a large one among them) is in flight: all of its writes fail with ECANCELED and count in bytesWritten; a write made after the uncork does not", async (ctx) => {
    const { client } = await connected(ctx, {
      server: { pauseOnConnect: true },
      onServer: (s) => s.on("error", () => {}),
    });
    const log: string[] = [];
    const big = new Uint8Array(16 * 1024 * 1024);
    client.cork();
    client.write(big, (err: any) => log.push(`big:${err?.code}`));
    client.write("ef", (err: any) => log.push(`ef:${err?.code}`));
    client.write("gh", (err: any) => log.push(`gh:${err?.code}`));
    client.uncork();
    client.write("ij", (err: any) => log.push(`ij:${err?.code}`));
    assert.equal(client.bytesWritten, big.length + 6);
    client.destroy();
    assert.equal(await closed(client), false);
    assert.deepEqual(log, ["big:ECANCELED", "ef:ECANCELED", "gh:ECANCELED", "ij:ECANCELED"]);
    // The writev went to the OS whole (Node's one writev of everything buffered).
    assert.equal(client.bytesWritten, big.length + 4);
    assert.equal(client.writableLength, 0);
  }, { requires: ["node22"], timeoutMs: 20_000 }),

  defineCase("errors", "a write to a peer that reset: refused at once, errored before destroyed; the callbacks, then 'error', then close(true)", async (ctx) => {
    const peer = await resetPeer(ctx);
    const log: string[] = [];
    peer.on("error", (err: any) => log.push(`error:${err.syscall}`));
    let first: any;
    const ret = peer.write("x", (err: any) => {
      first = err;
      log.push(`cb:${err?.syscall}`);
    });
    // Deno's conn.write() is a promise: it cannot refuse a write at once, and the failure
    // comes a moment later instead (README, what a runtime cannot do).
    if (ctx.env.runtime !== "deno") {
      // Node's errored stream: not destroyed yet, but no longer writable; the refused bytes
      // (a short string: see the next case) count neither as written nor as queued.
      assert.equal(ret, false);
      assert.equal(peer.writable, false);
      assert.equal(peer.destroyed, false);
      assert.equal(peer.bytesWritten, 0);
      assert.equal(peer.writableLength, 0);
      assert.ok(["ECONNRESET", "EPIPE"].includes(peer.errored?.code), `errored: ${peer.errored?.code}`);
      // Later writes wait behind the error, and fail with it.
      assert.equal(peer.write("y", (err: any) => log.push(`cb2:${err?.code === first?.code}`)), false);
      assert.equal(peer.writableLength, 1);
      // The readable side is errored too (Node's onwrite): push() drops its chunk.
      peer.on("data", (d: any) => log.push(`data:${d}`));
      assert.equal(peer.push("P"), false);
    } else {
      peer.write("y", (err: any) => log.push(`cb2:${err?.code === first?.code}`));
    }
    assert.equal(await closed(peer), true);
    assert.deepEqual(log, ["cb:write", "cb2:true", "error:write"]);
    assert.ok(["ECONNRESET", "EPIPE"].includes(first?.code), `the write failed with ${first?.code}`);
    assert.equal(peer.errored, first);
    assert.equal(peer.writableLength, 0);
  }),

  defineCase("errors", "errored by a write refused at once, then cork() and uncork() (or end()): the write held behind the error goes to the handle, refused too (EPIPE): out of writableLength at once, in bytesWritten as any refused write (bytes are, a lone short string is not)", async (ctx) => {
    for (const [how, second] of [["uncork", "bytes"], ["end", "bytes"], ["uncork", "string"]]) {
      const what = `${how}, ${second}`;
      const peer = await resetPeer(ctx);
      const log: string[] = [];
      peer.on("error", () => log.push("error"));
      let first: any;
      peer.write("x", (err: any) => {
        first = err;
        log.push("x");
      });
      const held = second === "bytes" ? new Uint8Array([1, 2, 3]) : "yz";
      // Deno's conn.write() is a promise: nothing is refused at once there (README, what a
      // runtime cannot do); the first write is still in flight, the second waits behind it
      // and fails with its error.
      const deno = ctx.env.runtime === "deno";
      peer.write(held, (err: any) => log.push(deno ? `held:${err === first}` : `held:${err?.code}:${err?.syscall}:${err !== first}`));
      peer.cork();
      if (how === "end") peer.end();
      else peer.uncork();
      if (!deno) {
        assert.equal(peer.writableLength, 0, what);
        assert.equal(peer.bytesWritten, second === "bytes" ? 3 : 0, what);
      }
      assert.equal(await closed(peer), true, what);
      assert.deepEqual(log, ["x", deno ? "held:true" : "held:EPIPE:write:true", "error"], what);
      if (!deno) assert.equal(peer.bytesWritten, second === "bytes" ? 3 : 0, what);
    }
  }),

  defineCase("backpressure", "write callbacks come in the order of the writes, also when the ones queued behind a large write go out as it finishes", async (ctx) => {
    // A large write in flight, then another and a small one queued behind it: when the
    // first finishes, the queued ones go out before its callback (Node's onwrite), and may
    // be written at once; their callbacks still come after it, in order.
    const { client, peer } = await connected(ctx);
    peer.resume();
    const order: string[] = [];
    const big = "x".repeat(4 * 1024 * 1024);
    for (let round = 0; round < 3; round++) {
      const done = new Promise((resolve) => {
        client.write("ab", () => order.push(`${round}:ab`));
        client.write(big, () => order.push(`${round}:big1`));
        client.write(big, () => order.push(`${round}:big2`));
        client.write("cd", () => resolve(order.push(`${round}:cd`)));
      });
      await done;
    }
    const expected = [0, 1, 2].flatMap((round) => ["ab", "big1", "big2", "cd"].map((w) => `${round}:${w}`));
    assert.deepEqual(order, expected);
    client.destroy();
  }),

  defineCase("backpressure", "cork() after end(): writes still queued wait for uncork(); with none left (also while connecting), the FIN goes out as it would", async (ctx) => {
    const big = new Uint8Array(4 * 1024 * 1024).fill(120);
    // Nothing queued behind the write in flight: `finish` and the peer's `end` come, corked.
    {
      const { client, peer } = await connected(ctx);
      const received = readAll(peer);
      client.write(big);
      client.end();
      client.cork();
      await once(client, "finish");
      assert.equal((await received).byteLength, big.byteLength);
      assert.equal(client.writableCorked, 1);
      client.destroy();
    }
    // A write queued behind it is held while corked, and the FIN with it.
    {
      const { client, peer } = await connected(ctx);
      const received = readAll(peer);
      let finished = false;
      client.on("finish", () => (finished = true));
      const bigDone = new Promise((resolve) => client.write(big, resolve));
      client.write("tail");
      client.end();
      client.cork();
      await bigDone;
      await delay(30);
      assert.equal(finished, false);
      assert.equal(client.writableLength, 4, "the held write");
      client.uncork();
      await once(client, "finish");
      assert.equal((await received).byteLength, big.byteLength + 4);
      client.destroy();
    }
    // While connecting: the write goes out on `connect`, then the FIN, corked all along.
    {
      const { server, got } = await collector(ctx);
      const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
      const log: string[] = [];
      client.write("abc", (err: any) => log.push(`write:${err ?? null}`));
      client.end();
      client.cork();
      client.on("finish", () => log.push("finish"));
      client.on("end", () => log.push("end"));
      assert.equal(await closed(client), false);
      assert.deepEqual(log, ["write:null", "finish", "end"]);
      assert.equal(got(), "abc");
      assert.equal(client.writableCorked, 1);
    }
  }),

  defineCase("errors", "end(cb) after destroy() while the write in flight is being cancelled: the end is marked, and its callback fails after that write, with its ECANCELED", async (ctx) => {
    // The peer does not read: 4 MiB cannot all be with the OS, the write is in flight.
    const { client } = await connected(ctx, { server: { pauseOnConnect: true } });
    const log: string[] = [];
    client.write(new Uint8Array(4 * 1024 * 1024), (err: any) => log.push(`write ${err?.code}`));
    client.on("close", () => log.push("close"));
    client.destroy();
    client.end((err: any) => log.push(`end ${err?.code}`));
    assert.equal(client.writableEnded, true);
    await once(client, "close");
    assert.deepEqual(log, ["write ECANCELED", "end ECANCELED", "close"]);
  }, { requires: ["node22"] }),

  defineCase("errors", "a write refused at once takes back an 'end' that was due: an errored socket emits no 'end'", async (ctx) => {
    const peer = await resetPeer(ctx);
    const log: string[] = [];
    peer.on("end", () => log.push("end"));
    peer.on("error", (err: any) => log.push(`error:${err.syscall}`));
    // Flowing, push(null) makes `end` due a tick later; the refused write errors the
    // socket first, and Node's readable side, errored too, never emits it.
    peer.resume();
    peer.push(null);
    peer.write("x");
    assert.equal(await closed(peer), true);
    // Deno's conn.write() is a promise: the refusal comes a moment later, after that `end`
    // (README, what a runtime cannot do).
    if (ctx.env.runtime === "deno") assert.deepEqual(log.filter((e) => e !== "end"), ["error:write"]);
    else assert.deepEqual(log, ["error:write"]);
  }),

  // Node hands short strings in the encodings its handle writes (UTF-8: 3 bytes per unit
  // at most, latin1 and ASCII: 1, UTF-16LE: 2) to the OS from a stack copy, and a refusal
  // there reports nothing written; everything else it reports as dispatched (hex and
  // base64 strings become Buffers first).
  defineCase("errors", "a write refused at once counts in bytesWritten, as Node counts it: bytes do, a short string (at most 16 KiB encoded, at its largest) does not", async (ctx) => {
    const writes: Array<[string, (s: any) => boolean, number]> = [
      ["100 bytes", (s) => s.write(new Uint8Array(100)), 100],
      ["5,462 UTF-8 units", (s) => s.write("x".repeat(5462)), 5462],
      ["5,461 UTF-8 units", (s) => s.write("x".repeat(5461)), 0],
      ["16,384 latin1 units", (s) => s.write("x".repeat(16384), "latin1"), 0],
      ["8,193 UTF-16LE units", (s) => s.write("x".repeat(8193), "utf16le"), 16386],
      ["100 hex digits", (s) => s.write("ab".repeat(50), "hex"), 50],
    ];
    for (const [what, write, counted] of writes) {
      const peer = await resetPeer(ctx);
      const peerClosed = closed(peer);
      const ret = write(peer);
      // Deno's conn.write() is a promise: it cannot refuse a write at once, the failure
      // comes a moment later (README, what a runtime cannot do).
      if (ctx.env.runtime !== "deno") {
        assert.equal(ret, false, what);
        assert.equal(peer.bytesWritten, counted, what);
        assert.equal(peer.writableLength, 0, what);
      }
      assert.equal(await peerClosed, true);
    }
    // Corked, one held write goes out on uncork() as write() would send it, several as one
    // writev, which Node counts whatever they are.
    const corked: Array<[string, (s: any) => void, number]> = [
      ["one corked string", (s) => s.write("x".repeat(100)), 0],
      ["one corked Buffer", (s) => s.write(new Uint8Array(100)), 100],
      ["two corked strings", (s) => (s.write("x".repeat(100)), s.write("y".repeat(50))), 150],
    ];
    for (const [what, writes, counted] of corked) {
      const peer = await resetPeer(ctx);
      const peerClosed = closed(peer);
      peer.cork();
      writes(peer);
      peer.uncork();
      if (ctx.env.runtime !== "deno") {
        assert.equal(peer.bytesWritten, counted, what);
        assert.equal(peer.writableLength, 0, what);
      }
      assert.equal(await peerClosed, true);
    }
  }),

  defineCase("errors", "a write refused because the peer is gone answers false, but no 'drain' follows: only bytes waiting over the mark make one due", async (ctx) => {
    // The server's socket closes at once; the client stays half-open past its FIN, and its
    // first write makes the server's kernel answer with a RST (loopback: at once), which
    // the second write meets.
    const server = await ctx.server((s) => {
      s.on("error", () => {});
      s.destroy();
    });
    const client = ctx.track(ctx.net.connect({ port: server.address().port, host: "127.0.0.1", allowHalfOpen: true }));
    const log: string[] = [];
    for (const event of ["drain", "error", "finish"]) client.on(event, (err: any) => log.push(err?.code ? `${event} ${err.code}` : event));
    client.resume();
    await once(client, "end");
    assert.equal(client.write("a", (err: any) => log.push(`a ${err?.code ?? err}`)), true);
    const ret = client.write("b", (err: any) => log.push(`b ${err?.code ?? err}`));
    // Deno's writes are asynchronous: the refusal comes a moment later (README, what a
    // runtime cannot do), the second write is still queued now.
    if (ctx.env.runtime !== "deno") {
      assert.equal(ret, false, "refused at once");
      assert.equal(client.writableNeedDrain, false);
    }
    assert.equal(await closed(client), true);
    assert.ok(["EPIPE", "ECONNRESET"].includes(client.errored?.code), `errored: ${client.errored?.code}`);
    const code = client.errored.code;
    assert.deepEqual(log, ["a null", `b ${code}`, `error ${code}`]);
  }),

  defineCase("backpressure", "writableNeedDrain: true after a write answered false, false once ending or destroyed (no 'drain' comes then)", async (ctx) => {
    for (const how of ["end", "destroy"]) {
      const { client } = await connected(ctx, { server: { pauseOnConnect: true } });
      client.on("error", () => {});
      assert.equal(client.writableNeedDrain, false);
      assert.equal(client.write(new Uint8Array(16 * 1024 * 1024)), false);
      assert.equal(client.writableNeedDrain, true);
      if (how === "end") client.end();
      else client.destroy();
      assert.equal(client.writableNeedDrain, false, `after ${how}()`);
      client.destroy();
      await closed(client);
      assert.equal(client.writableNeedDrain, false);
    }
  }, { timeoutMs: 20_000 }),

  defineCase("errors", "end() after destroy() once the cancelled write errored the socket: no end is marked, a later write is ERR_STREAM_DESTROYED", async (ctx) => {
    const { client } = await connected(ctx, { server: { pauseOnConnect: true } });
    client.on("error", () => {});
    const clientClosed = closed(client);
    const cancelled = new Promise<any>((resolve) => client.write(new Uint8Array(16 * 1024 * 1024), resolve));
    client.destroy();
    assert.equal((await cancelled)?.code, "ECANCELED");
    assert.equal(client.errored?.code, "ECANCELED");
    client.end();
    assert.equal(client.writableEnded, false);
    const err = await new Promise<any>((resolve) => client.write("x", resolve));
    assert.equal(err?.code, "ERR_STREAM_DESTROYED");
    assert.equal(await clientClosed, false);
  }, { requires: ["node22"], timeoutMs: 20_000 }),

  defineCase("encoding", "setDefaultEncoding(): strings written without an encoding use it; an unknown one throws", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const received = readAll(peer);
    assert.equal(client.setDefaultEncoding("HEX"), client, "returns the socket");
    client.write("6869"); // "hi"
    client.write("21", "latin1"); // an explicit encoding wins
    client.write(new Uint8Array([0x2e])); // bytes are bytes
    client.end("0a");
    assert.equal(new TextDecoder().decode(await received), "hi21.\n");
    assert.throws(() => client.setDefaultEncoding("utf-9"), { code: "ERR_UNKNOWN_ENCODING" });
    assert.throws(() => client.setDefaultEncoding(42), { code: "ERR_UNKNOWN_ENCODING" });
    assert.equal(client.writableObjectMode, false);
    assert.equal(client.readableObjectMode, false);
  }),

  defineCase("half-close", "pauseOnConnect: the peer's FIN is not read until resume()", async (ctx) => {
    // No data before the FIN: with nothing buffered, a socket that read the FIN would emit
    // `end` even while paused (Node reads 0 bytes at EOF); this one is not reading at all.
    const { client, peer } = await connected(ctx, { server: { pauseOnConnect: true } });
    const log: string[] = [];
    peer.on("end", () => log.push("end"));
    client.end();
    await once(client, "finish");
    // The FIN reached the peer's kernel; its socket is not reading.
    await delay(50);
    assert.equal(log.length, 0);
    assert.equal(peer.readableEnded, false);
    peer.resume();
    await once(peer, "end");
    assert.deepEqual(log, ["end"]);
    assert.equal(await closed(client), false);
  }),
];

export default cases;
