/**
 * backpressure: `write` returning false, 'drain', `writableLength`, pause()/resume() on the
 * reading side, `pipe` with flow control, and `socket.pipe(socket)` echo.
 *
 * Node's rule: `write()` returns `writableLength < writableHighWaterMark` computed once the
 * write was tried: a chunk the kernel took whole at once leaves nothing unwritten (true,
 * however large), one it did not counts in full until written. 'drain' follows every
 * `false` once the queue is empty, and only a `false`.
 * The high-water mark itself differs (16 KiB on Node 20, 64 KiB on 22+): never asserted.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import process from "node:process";
import { defineCase, delay, once, readAll } from "../harness.ts";
import { closed, connected, pseudoRandom, sha256, until } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

const MiB = 1024 * 1024;

/**
 * A server that sends "hello" to each client (then its FIN, with `end`); `sent` resolves
 * once it has, for the first client.
 */
async function helloServer(ctx: Ctx, end: boolean): Promise<{ server: any; sent: Promise<void> }> {
  let done!: () => void;
  const sent = new Promise<void>((resolve) => (done = resolve));
  const server = await ctx.server((s: any) => {
    s.on("error", () => {});
    if (end) s.end("hello", done);
    else s.write("hello", done);
  });
  return { server, sent };
}

const cases: Case[] = [
  defineCase("backpressure", "a large write to a paused reader: false, 'drain', every byte", async (ctx) => {
    const { client, peer } = await connected(ctx, { server: { pauseOnConnect: true } });
    assert.equal(peer.isPaused(), true, "pauseOnConnect pauses the server's socket");
    const payload = pseudoRandom(16 * MiB, 1);
    assert.equal(client.writableLength, 0);
    const log: string[] = [];
    client.on("drain", () => log.push(`drain ${client.writableLength}`));
    let ret: boolean | undefined;
    const written = new Promise<void>((resolve) => {
      ret = client.write(payload, () => {
        log.push("callback");
        resolve();
      });
    });
    // The return value is computed when the chunk is queued: false, as 16 MiB > any HWM.
    assert.equal(ret, false);
    assert.equal(log.length, 0);
    assert.ok(client.writableLength > 0, "bytes wait in the queue");
    assert.ok(client.writableLength <= payload.length);
    assert.equal(client.writableNeedDrain, true);
    const received = readAll(peer);
    peer.resume();
    await written;
    await until(() => log.length >= 2, "'drain' and the callback");
    // 'drain' comes first (with an empty queue), then the write's callback.
    assert.deepEqual(log, ["drain 0", "callback"]);
    client.end();
    const got = await received;
    assert.equal(got.length, payload.length);
    assert.equal(sha256(got), sha256(payload));
  }, { timeoutMs: 20_000 }),

  defineCase("backpressure", "writes queued behind a large one go out before its callback: 'drain', then the callbacks in order", async (ctx) => {
    const { client, peer } = await connected(ctx, { server: { pauseOnConnect: true } });
    const log: string[] = [];
    client.on("drain", () => log.push(`drain ${client.writableLength}`));
    const big = pseudoRandom(16 * MiB, 2);
    assert.equal(client.write(big, () => log.push(`big ${client.writableLength}`)), false);
    assert.equal(client.write("ab", () => log.push(`ab ${client.writableLength}`)), false);
    assert.equal(client.write("cd"), false);
    assert.equal(client.write("ef", () => log.push(`ef ${client.writableLength}`)), false);
    const received = readAll(peer);
    peer.resume();
    await until(() => log.length >= 4, "'drain' and the three callbacks");
    // Node's onwrite: once the large write is out, the queued ones are handed to the OS
    // (together) before its callback runs; where they went out at once, the queue is empty
    // by then, so 'drain' comes first and every callback sees nothing unwritten.
    assert.deepEqual(log, ["drain 0", "big 0", "ab 0", "ef 0"]);
    client.end();
    const got = await received;
    assert.equal(got.length, big.length + 6);
    assert.equal(new TextDecoder().decode(got.subarray(big.length)), "abcdef");
  }, { timeoutMs: 20_000 }),

  defineCase("backpressure", "the writes queued behind a large one go out as one writev (Node's): with a large one among them, every one of them counts in writableLength, uncalled back, until the last byte of all is written", async (ctx) => {
    const { client, peer } = await connected(ctx, { server: { pauseOnConnect: true } });
    const log: string[] = [];
    client.on("drain", () => log.push(`drain ${client.writableLength}`));
    const first = pseudoRandom(16 * MiB, 3);
    const second = pseudoRandom(16 * MiB, 4);
    client.write(first, () => log.push(`first ${client.writableLength}`));
    client.write("ab", () => log.push(`ab ${client.writableLength}`));
    client.write(second, () => log.push(`second ${client.writableLength}`));
    client.write("cd", () => log.push(`cd ${client.writableLength}`));
    const received = readAll(peer);
    peer.resume();
    await until(() => log.length >= 5, "'drain' and the four callbacks");
    // The first write's callback comes once the writev of the other three is out: all
    // three still count (16 MiB cannot all be with the OS at once); then they are done
    // together: 'drain', then their callbacks in order.
    assert.deepEqual(log, [`first ${16 * MiB + 4}`, "drain 0", "ab 0", "second 0", "cd 0"]);
    client.end();
    const got = await received;
    assert.equal(got.length, 32 * MiB + 4);
    assert.equal(sha256(got.subarray(16 * MiB + 2, 32 * MiB + 2)), sha256(second));
  }, { timeoutMs: 20_000 }),

  defineCase("backpressure", "while connecting, write returns false once writableLength reaches the HWM", async (ctx) => {
    // While connecting nothing is written, so the queue only grows: write() returns
    // writableLength < writableHighWaterMark.
    const server = await ctx.server((s) => s.resume());
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const hwm = client.writableHighWaterMark;
    assert.ok(Number.isInteger(hwm) && hwm > 0);
    assert.equal(client.write(new Uint8Array(hwm - 1)), true);
    assert.equal(client.writableLength, hwm - 1);
    assert.equal(client.writableNeedDrain, false);
    assert.equal(client.write(new Uint8Array(1)), false, "a full queue");
    assert.equal(client.writableLength, hwm);
    assert.equal(client.writableNeedDrain, true);
    // 'drain' comes once connected and flushed. (Its order relative to a 'connect' listener
    // added after the writes is not asserted: Node emits it from its own 'connect' listener.)
    const log: string[] = [];
    client.on("drain", () => log.push(`drain ${client.writableLength} ${client.connecting}`));
    await once(client, "drain");
    await delay(10);
    assert.deepEqual(log, ["drain 0 false"]);
    assert.equal(client.writableNeedDrain, false);
  }),

  defineCase("backpressure", "write() answers once it tried: what the OS took at once does not count, however large; what it did not counts in full", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.resume();
    let drains = 0;
    client.on("drain", () => drains++);
    const hwm = client.writableHighWaterMark;
    let falses = 0;
    // Sizes the kernel may or may not take in one go (it depends on the runtime: some
    // write later, always): each answer must match what is left unwritten.
    for (const size of [1, hwm - 1, hwm, 4 * hwm]) {
      let written!: () => void;
      const done = new Promise<void>((resolve) => (written = resolve));
      const ret = client.write(new Uint8Array(size), () => written());
      const left = client.writableLength;
      assert.equal(ret, left < hwm, `write(${size}) returned ${ret} with ${left} bytes unwritten`);
      assert.ok(left === 0 || left === size, `nothing or all of write(${size}) unwritten: ${left}`);
      if (!ret) falses++;
      await done;
      // 'drain' comes before the write's callback, after (and only after) a false.
      assert.equal(drains, falses, `after write(${size}) returned ${ret}`);
    }
    // More than the OS takes in one go (the peer reads in this same process, later):
    // counted in full, false, then 'drain'.
    const big = 16 * MiB;
    const done = new Promise<void>((resolve) => client.write(new Uint8Array(big), () => resolve()));
    assert.equal(client.writableLength, big);
    assert.equal(client.writableNeedDrain, true);
    await done;
    assert.equal(drains, falses + 1);
  }),

  defineCase("backpressure", "a small write returns true and no 'drain' follows", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const received = readAll(peer);
    let drains = 0;
    client.on("drain", () => drains++);
    const done = new Promise<void>((resolve) => client.write("hello", () => resolve()));
    assert.equal(client.write(" world"), true);
    await done;
    await delay(20);
    assert.equal(drains, 0);
    client.end();
    assert.equal(new TextDecoder().decode(await received), "hello world");
  }),

  defineCase("backpressure", "many small writes until false, then wait for 'drain'", async (ctx) => {
    const { client, peer } = await connected(ctx, { server: { pauseOnConnect: true } });
    const chunk = 16 * 1024;
    const sent: Uint8Array[] = [];
    let ok = true;
    let i = 0;
    while (ok) {
      const piece = pseudoRandom(chunk, 100 + i++);
      sent.push(piece);
      ok = client.write(piece);
      assert.ok(i < 64 * 64, "write returned false before 64 MiB");
    }
    assert.ok(client.writableLength > 0);
    const drained = once(client, "drain");
    const received = readAll(peer);
    peer.resume();
    await drained;
    assert.equal(client.writableLength, 0);
    // Writing again after 'drain' works as usual.
    const last = pseudoRandom(1000, 7);
    sent.push(last);
    client.end(last);
    const got = await received;
    const all = new Uint8Array(sent.reduce((n, s) => n + s.length, 0));
    let off = 0;
    for (const s of sent) {
      all.set(s, off);
      off += s.length;
    }
    assert.equal(got.length, all.length);
    assert.equal(sha256(got), sha256(all));
  }, { timeoutMs: 20_000 }),

  defineCase("backpressure", "writableLength counts queued strings in UTF-16 units", async (ctx) => {
    // Node queues strings as strings: a pending "€€€" counts 3 (not its 9 UTF-8 bytes);
    // bufferSize is the same number under its old name.
    const server = await ctx.server((s) => s.resume());
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    assert.equal(client.writableLength, 0);
    client.write("€€€");
    assert.equal(client.writableLength, 3);
    client.write(new Uint8Array(3));
    assert.equal(client.writableLength, 6);
    client.write("ff", "hex");
    assert.equal(client.writableLength, 8);
    assert.equal(client.bufferSize, client.writableLength);
    await once(client, "connect");
    await until(() => client.writableLength === 0, "the queue empties after connect");
    assert.equal(client.bufferSize, 0);
  }),

  defineCase("backpressure", "pause() stops 'data' and 'end', resume() delivers them", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log: string[] = [];
    client.setEncoding("utf8");
    client.on("data", (s: string) => log.push(s));
    client.on("end", () => log.push("END"));
    assert.equal(client.isPaused(), false);
    peer.write("one");
    await until(() => log.length === 1, "first data");
    assert.equal(client.pause(), client, "pause returns the socket");
    assert.equal(client.isPaused(), true);
    peer.end("two");
    await delay(50);
    assert.deepEqual(log, ["one"], "nothing while paused");
    assert.equal(client.resume(), client, "resume returns the socket");
    assert.equal(client.isPaused(), false);
    await once(client, "end");
    assert.deepEqual(log, ["one", "two", "END"]);
  }),

  defineCase("backpressure", "paused while connecting or from a 'connect' listener: nothing is read, not even the peer's FIN, until resume(); with a `data` listener added first, reading starts anyway", async (ctx) => {
    for (const how of ["pause() at once", "pause() in 'connect'", "'data' listener, then pause()"]) {
      const { server, sent: peerDone } = await helloServer(ctx, true);
      const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
      const log: string[] = [];
      client.on("end", () => log.push("end"));
      if (how === "pause() at once") client.pause();
      if (how === "pause() in 'connect'") client.on("connect", () => client.pause());
      if (how.startsWith("'data'")) {
        client.on("data", (d: any) => log.push(`data:${d}`));
        client.pause();
      }
      await peerDone;
      await delay(50);
      // Node's afterConnect reads (read(0)) only if not paused by then; resume()'s read a
      // tick after the `data` listener, while connecting, asked to read once connected.
      const read = how.startsWith("'data'") ? 5 : 0;
      assert.deepEqual([...log], [], how);
      assert.equal(client.bytesRead, read, how);
      assert.equal(client.readableLength, read, how);
      if (!how.startsWith("'data'")) client.on("data", (d: any) => log.push(`data:${d}`));
      client.resume();
      await once(client, "end");
      assert.deepEqual(log, ["data:hello", "end"], how);
      assert.equal(client.bytesRead, 5, how);
      server.close();
    }
  }),

  defineCase("backpressure", "paused while connecting or in 'connect': the peer's bytes stay with the OS, so a destroy() a tick after resume() comes before any 'data'", async (ctx) => {
    for (const how of ["pause() at once", "pause() in 'connect'"]) {
      const { server, sent } = await helloServer(ctx, false);
      const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
      if (how === "pause() at once") client.pause();
      else client.on("connect", () => client.pause());
      await once(client, "connect");
      await sent;
      await delay(30); // the bytes are in the client's kernel by now
      const log: string[] = [];
      client.on("data", (d: any) => log.push(`data:${d}`));
      client.on("close", (hadError: boolean) => log.push(`close:${hadError}`));
      // Node's resume() reads a tick later (resume_), from the OS: the destroy() comes first.
      client.resume();
      process.nextTick(() => client.destroy());
      await closed(client);
      assert.deepEqual(log, ["close:false"], how);
      assert.equal(client.bytesRead, 0, how);
      server.close();
    }
  }),

  defineCase("backpressure", "resume() then destroy() at once: what was buffered while paused is still emitted, before 'error' and 'close'", async (ctx) => {
    for (const withError of [false, true]) {
      const { client, peer } = await connected(ctx);
      client.pause();
      const log: string[] = [];
      client.on("data", (d: any) => log.push(`data:${d}`));
      client.on("error", (err: any) => log.push(`error:${err.code}`));
      client.on("close", (hadError: boolean) => log.push(`close:${hadError}`));
      peer.write("hello");
      await until(() => client.readableLength === 5, "the bytes buffered while paused");
      client.resume();
      client.destroy(withError ? Object.assign(new Error("boom"), { code: "EBOOM" }) : undefined);
      log.push("destroyed");
      await closed(client);
      // Node's resume() flows a tick later (resume_), destroyed or not by then.
      assert.deepEqual(log, ["destroyed", "data:hello", ...(withError ? ["error:EBOOM"] : []), `close:${withError}`]);
    }
  }),

  defineCase("backpressure", "pause/resume many times over a stream keeps every byte in order", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const payload = pseudoRandom(4 * MiB, 3);
    const chunks: Uint8Array[] = [];
    let paused = 0;
    client.on("data", (c: Uint8Array) => {
      chunks.push(c);
      if (chunks.length % 3 === 0) {
        client.pause();
        paused++;
        setTimeout(() => client.resume(), 1);
      }
    });
    const ended = once(client, "end");
    peer.end(payload);
    await ended;
    const got = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let off = 0;
    for (const c of chunks) {
      got.set(c, off);
      off += c.length;
    }
    assert.ok(paused > 0);
    assert.equal(got.length, payload.length);
    assert.equal(sha256(got), sha256(payload));
  }, { timeoutMs: 20_000 }),

  defineCase("backpressure", "pause() then resume() inside 'data' (at once or a microtask later) loses and repeats nothing", async (ctx) => {
    // Large reads may be handed out as several chunks: a pause between two of them must hold
    // the rest, and a resume from inside the listener must not deliver anything twice.
    const { client, peer } = await connected(ctx);
    const payload = pseudoRandom(4 * MiB, 4);
    const got = new Uint8Array(payload.length);
    let received = 0;
    let chunks = 0;
    client.on("data", (c: Uint8Array) => {
      assert.ok(received + c.length <= got.length, "no byte more than was sent");
      got.set(c, received);
      received += c.length;
      chunks++;
      if (chunks % 2 === 0) {
        client.pause();
        client.resume();
      } else if (chunks % 3 === 0) {
        client.pause();
        queueMicrotask(() => client.resume());
      }
    });
    const ended = once(client, "end");
    peer.end(payload);
    await ended;
    assert.equal(received, payload.length);
    assert.equal(sha256(got), sha256(payload));
  }, { timeoutMs: 20_000 }),

  defineCase("backpressure", "pipe pauses the source on false and resumes it on 'drain'", async (ctx) => {
    // The destination is a bare EventEmitter with write/end: pipe needs nothing more.
    const { client, peer } = await connected(ctx);
    const dest: any = new EventEmitter();
    const written: Uint8Array[] = [];
    let accept = false;
    let ended = false;
    dest.write = (chunk: Uint8Array) => {
      written.push(chunk);
      return accept;
    };
    dest.end = () => {
      ended = true;
    };
    assert.equal(peer.pipe(dest), dest, "pipe returns the destination");
    client.write("first");
    await until(() => written.length === 1, "the first chunk reaches the destination");
    assert.equal(peer.isPaused(), true, "the source is paused after write() returned false");
    client.write("second");
    await delay(50);
    assert.equal(written.length, 1, "nothing written while paused");
    accept = true;
    dest.emit("drain");
    await until(() => written.length >= 2, "the source resumes on 'drain'");
    assert.equal(peer.isPaused(), false);
    client.end();
    await until(() => ended, "end() is called on the destination");
    const text = written.map((c) => new TextDecoder().decode(c)).join("");
    assert.equal(text, "firstsecond");
  }),

  defineCase("backpressure", "pipe between two connections with a slow reader keeps every byte", async (ctx) => {
    // source: client A -> server socket `src`; destination: client B -> paused server socket.
    const { client: a, peer: src } = await connected(ctx);
    const { client: b, peer: sink } = await connected(ctx, { server: { pauseOnConnect: true } });
    const payload = pseudoRandom(16 * MiB, 9);
    src.pipe(b);
    a.end(payload);
    await until(() => src.isPaused(), "the source pauses while the sink is not reading");
    const received = readAll(sink);
    sink.resume();
    const got = await received;
    assert.equal(got.length, payload.length);
    assert.equal(sha256(got), sha256(payload));
  }, { timeoutMs: 20_000 }),

  defineCase("backpressure", "socket.pipe(socket) echoes a large payload", async (ctx) => {
    const server = await ctx.server((s) => s.pipe(s));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const payload = pseudoRandom(8 * MiB, 5);
    const received = readAll(client);
    client.end(payload);
    const got = await received;
    assert.equal(got.length, payload.length);
    assert.equal(sha256(got), sha256(payload));
  }, { timeoutMs: 20_000 }),

  defineCase("backpressure", "pipe with { end: false } leaves the destination open", async (ctx) => {
    const { client: a, peer: src } = await connected(ctx);
    const { client: b, peer: sink } = await connected(ctx);
    src.pipe(b, { end: false });
    const chunks: Uint8Array[] = [];
    sink.on("data", (c: Uint8Array) => chunks.push(c));
    const srcEnded = once(src, "end");
    a.end("piped");
    await srcEnded;
    await until(() => chunks.reduce((n, c) => n + c.length, 0) === 5, "piped bytes arrive");
    await delay(20);
    assert.equal(b.writableEnded, false, "the destination was not ended");
    const sinkEnded = once(sink, "end");
    b.end(" then more");
    await sinkEnded;
    assert.equal(new TextDecoder().decode(Buffer.concat(chunks)), "piped then more");
  }),

  defineCase("backpressure", "unpipe stops forwarding", async (ctx) => {
    const { client: a, peer: src } = await connected(ctx);
    const dest: any = new EventEmitter();
    const written: string[] = [];
    dest.write = (chunk: Uint8Array) => {
      written.push(new TextDecoder().decode(chunk));
      return true;
    };
    dest.end = () => {};
    src.pipe(dest);
    a.write("one");
    await until(() => written.length === 1, "piped data");
    assert.equal(src.unpipe(dest), src, "unpipe returns the source");
    let later = "";
    src.on("data", (c: Uint8Array) => (later += new TextDecoder().decode(c)));
    src.resume();
    a.write("two");
    await until(() => later === "two", "data still flows to other listeners");
    assert.deepEqual(written, ["one"]);
  }),
];

export default cases;
