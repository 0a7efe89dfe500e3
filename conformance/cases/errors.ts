// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { closedPort, defineCase, delay, once, recordEvents } from "../harness.ts";
import { closed, connected, customStackLayout, isA } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

/** `error:<code>`, `close:<hadError>`, `cb:<code>`, else the event name. */
function fmt(event: string, args: any[]): string {
  if (event === "close") return `close:${args[0]}`;
  if (event === "error") return `error:${args[0]?.code ?? args[0]?.message}`;
  return event;
}

/** Checks the fields Node gives a refused connection. */
function assertRefused(err: any, address: string, port: number): void {
  assert.ok(isA(err, Error));
  assert.ok(!isA(err, TypeError));
  assert.ok(!isA(err, RangeError));
  assert.equal(err.name, "Error");
  assert.equal(err.code, "ECONNREFUSED");
  assert.equal(typeof err.errno, "number");
  assert.ok(Number.isInteger(err.errno) && err.errno < 0, `errno ${err.errno}`);
  assert.equal(err.syscall, "connect");
  assert.equal(err.address, address);
  assert.equal(err.port, port);
  assert.equal(err.message, `connect ECONNREFUSED ${address}:${port}`);
}

const cases: Case[] = [
  defineCase("errors", "ECONNREFUSED: Node's error shape, then close(true)", async (ctx) => {
    const port = await closedPort(ctx);
    const client = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    const log = recordEvents(client, ["connect", "ready", "end", "finish", "error", "close"], fmt);
    const errors: any[] = [];
    client.on("error", (e: any) => errors.push(e));
    assert.deepEqual([...log], []); // never synchronous
    await closed(client);
    assert.deepEqual(log, ["error:ECONNREFUSED", "close:true"]);
    assert.equal(errors.length, 1);
    assertRefused(errors[0], "127.0.0.1", port);
    assert.equal(client.destroyed, true);
    assert.equal(client.connecting, false);
    assert.equal(client.readyState, "closed");
  }),

  defineCase("errors", "ECONNREFUSED the same through connect(options) and new Socket().connect()", async (ctx) => {
    const port = await closedPort(ctx);
    const viaOptions = ctx.track(ctx.net.connect({ port, host: "127.0.0.1" }));
    const viaCreate = ctx.track(ctx.net.createConnection({ port, host: "127.0.0.1" }));
    const viaSocket = ctx.track(new ctx.net.Socket());
    viaSocket.connect({ port, host: "127.0.0.1" });
    const sockets = [viaOptions, viaCreate, viaSocket];
    const results = await Promise.all(sockets.map(async (socket) => {
      const errors: any[] = [];
      socket.on("error", (e: any) => errors.push(e));
      const hadError = await closed(socket);
      return { errors, hadError };
    }));
    for (const { errors, hadError } of results) {
      assert.equal(errors.length, 1);
      assertRefused(errors[0], "127.0.0.1", port);
      assert.equal(hadError, true);
    }
  }),

  defineCase("errors", "ECONNREFUSED on ::1", async (ctx) => {
    const port = await closedPort(ctx, "::1");
    const client = ctx.track(ctx.net.connect(port, "::1"));
    const [err] = await once(client, "error");
    assertRefused(err, "::1", port);
  }, { skip: (env) => env.ipv6 ? undefined : "no IPv6 loopback" }),

  defineCase("errors", "writes queued while connecting, no connection: settled inside 'close' where the first write's listener stands; the first with ERR_SOCKET_CLOSED_BEFORE_CONNECTION, the rest and end() with the socket's error", async (ctx) => {
    const server = await ctx.server();
    const refused = await closedPort(ctx);
    for (const how of ["destroy()", "destroy(err)", "refused", "corked, then end()"]) {
      const port = how === "refused" ? refused : server.address().port;
      const client = ctx.track(ctx.net.connect(port, "127.0.0.1"));
      const log: string[] = [];
      client.on("error", (err: any) => log.push(`error:${err.code ?? err.message}`));
      // Node adds its own `close` listener with the first write: between these two.
      client.on("close", () => log.push("close (listener before)"));
      const code = (err: any) => err?.code ?? err?.message;
      if (how.startsWith("corked")) client.cork();
      client.write("a", (err: any) => log.push(`a:${code(err)}`));
      client.write("b", (err: any) => log.push(`b:${code(err)}`));
      client.end((err: any) => log.push(`end:${code(err)}`));
      client.on("close", () => log.push("close (listener after)"));
      if (how === "destroy()") client.destroy();
      if (how === "destroy(err)") client.destroy(Object.assign(new Error("boom"), { code: "EBOOM" }));
      if (how.startsWith("corked")) client.destroy();
      await closed(client);
      await delay(10);
      // With cork() the writes leave together (end() uncorks): one batch, one error.
      const second = how === "destroy(err)" ? "EBOOM" : how === "refused" ? "ECONNREFUSED" : "ERR_SOCKET_CLOSED_BEFORE_CONNECTION";
      const expected = [
        ...(how === "destroy(err)" ? ["error:EBOOM"] : how === "refused" ? ["error:ECONNREFUSED"] : []),
        "close (listener before)",
        "a:ERR_SOCKET_CLOSED_BEFORE_CONNECTION",
        `b:${how.startsWith("corked") ? "ERR_SOCKET_CLOSED_BEFORE_CONNECTION" : second}`,
        `end:${second}`,
        "close (listener after)",
      ];
      assert.deepEqual(log, expected, how);
      // Nothing is queued any more; Node's bytesWritten still counts the first write's data
      // (its pending data), not the writes behind it.
      assert.equal(client.writableLength, 0, how);
      assert.equal(client.bytesWritten, how.startsWith("corked") ? 2 : 1, how);
    }
  }),

  defineCase("errors", "writes queued while connecting: the first goes out from a 'connect' listener the write added, and is called back there; the writes behind it after 'ready'", async (ctx) => {
    const server = await ctx.server((s: any) => s.resume());
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log: string[] = [];
    client.on("connect", () => log.push("connect (listener before)"));
    client.write("a", (err: any) => log.push(`a:${err?.code ?? err}`));
    client.write("b", (err: any) => log.push(`b:${err?.code ?? err}`));
    client.write("c", (err: any) => log.push(`c:${err?.code ?? err}`));
    client.on("connect", () => log.push("connect (listener after)"));
    client.on("ready", () => log.push("ready"));
    await once(client, "ready");
    await delay(20);
    // Node's _writeGeneric sends the first write from its own `connect` listener; it went
    // out at once there, so its onwrite calls it back at once (not `sync`), after sending
    // the two queued behind it, whose callbacks wait a tick (`sync`). Deno's writes finish
    // later (README, what a runtime cannot do): every callback comes after 'ready'.
    const expected = ctx.env.runtime === "deno"
      ? ["connect (listener before)", "connect (listener after)", "ready", "a:null", "b:null", "c:null"]
      : ["connect (listener before)", "a:null", "connect (listener after)", "ready", "b:null", "c:null"];
    assert.deepEqual(log, expected);
    client.end();
  }),

  defineCase("errors", "writes queued while connecting, the socket destroyed by an earlier 'connect' listener: they fail inside 'connect', the first with ERR_SOCKET_CLOSED, which errors the socket", async (ctx) => {
    const server = await ctx.server((s: any) => s.resume());
    for (const how of ["destroy()", "destroy(err)"]) {
      const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
      const log: string[] = [];
      const code = (err: any) => err?.code ?? err;
      client.on("connect", () => {
        if (how === "destroy()") client.destroy();
        else client.destroy(Object.assign(new Error("boom"), { code: "EBOOM" }));
        log.push("connect: destroyed");
      });
      client.on("error", (err: any) => log.push(`error:${code(err)}`));
      client.write("a", (err: any) => log.push(`a:${code(err)}`));
      client.write("b", (err: any) => log.push(`b:${code(err)}`));
      client.end((err: any) => log.push(`end:${code(err)}`));
      client.on("ready", () => {
        log.push(`ready: errored ${code(client.errored)}, ${client.writableLength} queued, ${client.bytesWritten} written`);
      });
      const hadError = await closed(client);
      await delay(10);
      // Node's own `connect` listener (added by the first write) finds no handle: that
      // write fails with ERR_SOCKET_CLOSED, and its onwrite errors the stream (unless
      // destroy(err) did) and fails the rest with the stream's error, all before 'ready'.
      const rest = how === "destroy()" ? "ERR_SOCKET_CLOSED" : "EBOOM";
      assert.deepEqual(log, [
        "connect: destroyed",
        "a:ERR_SOCKET_CLOSED",
        `b:${rest}`,
        `end:${rest}`,
        `ready: errored ${rest}, 0 queued, 0 written`,
        ...(how === "destroy()" ? [] : ["error:EBOOM"]),
      ], how);
      assert.equal(hadError, how !== "destroy()", how);
      assert.equal(client.errored?.code, rest, how);
    }
  }),

  defineCase("errors", "destroyed while connecting with nothing sent (end() alone, or writes still corked): their callbacks fail a tick later, before 'error', with the error, else ERR_STREAM_DESTROYED", async (ctx) => {
    const server = await ctx.server((s: any) => s.resume());
    for (const how of ["end()", "corked writes"]) {
      for (const withError of [false, true]) {
        const label = `${how}, destroy(${withError ? "err" : ""})`;
        const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
        const log: string[] = [];
        const code = (err: any) => err?.code ?? err;
        client.on("error", (err: any) => log.push(`error:${code(err)}`));
        client.on("close", (hadError: boolean) => log.push(`close:${hadError}`));
        if (how === "end()") client.end((err: any) => log.push(`end:${code(err)}`));
        else {
          client.cork();
          client.write("a", (err: any) => log.push(`a:${code(err)}`));
          client.write("b", (err: any) => log.push(`b:${code(err)}`));
        }
        if (withError) client.destroy(Object.assign(new Error("boom"), { code: "EBOOM" }));
        else client.destroy();
        log.push("destroyed");
        await closed(client);
        await delay(10);
        // Nothing went to Node's _writeGeneric (no `close` listener of its own): Writable's
        // destroy() fails what it holds on the next tick (errorBuffer), before 'error'.
        const failed = withError ? "EBOOM" : "ERR_STREAM_DESTROYED";
        assert.deepEqual(log, [
          "destroyed",
          ...(how === "end()" ? [`end:${failed}`] : [`a:${failed}`, `b:${failed}`]),
          ...(withError ? ["error:EBOOM"] : []),
          `close:${withError}`,
        ], label);
      }
    }
  }),

  defineCase("errors", "a write queued while connecting to a refused port", async (ctx) => {
    const port = await closedPort(ctx);
    const client = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    const log = recordEvents(client, ["connect", "error", "close"], fmt);
    let cbErr: any;
    client.write("queued", (err: any) => {
      cbErr = err;
      log.push(`cb:${err?.code}`);
    });
    await closed(client);
    await delay(20);
    // The connection error is the 'error'; the queued write learns that the socket
    // closed before the connection was established, after 'close'.
    assert.deepEqual(log, ["error:ECONNREFUSED", "close:true", "cb:ERR_SOCKET_CLOSED_BEFORE_CONNECTION"]);
    assert.ok(isA(cbErr, Error));
    assert.equal(cbErr.message, "Socket closed before the connection was established");
  }),

  defineCase("errors", "end(data, callback) while connecting to a refused port", async (ctx) => {
    const port = await closedPort(ctx);
    const client = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    const log = recordEvents(client, ["connect", "finish", "error", "close"], fmt);
    let cbErr: any;
    client.end("queued", (err: any) => {
      cbErr = err;
      log.push(`cb:${err?.code}`);
    });
    await closed(client);
    await delay(20);
    assert.deepEqual(log, ["error:ECONNREFUSED", "close:true", "cb:ECONNREFUSED"]);
    assertRefused(cbErr, "127.0.0.1", port);
  }),

  defineCase("errors", "ECONNRESET seen by the peer of resetAndDestroy()", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const errors: any[] = [];
    const log = recordEvents(peer, ["end", "finish", "error", "close"], fmt);
    peer.on("error", (e: any) => errors.push(e));
    peer.resume();
    client.resetAndDestroy();
    await closed(peer);
    assert.deepEqual(log, ["error:ECONNRESET", "close:true"]);
    const err = errors[0];
    assert.ok(isA(err, Error));
    assert.equal(err.name, "Error");
    assert.equal(err.code, "ECONNRESET");
    assert.ok(Number.isInteger(err.errno) && err.errno < 0, `errno ${err.errno}`);
    assert.equal(err.syscall, "read");
    assert.equal(err.message, "read ECONNRESET");
    // A read error carries no address or port.
    assert.equal(err.address, undefined);
    assert.equal(err.port, undefined);
    assert.equal(peer.destroyed, true);
  }),

  defineCase("errors", "ECONNRESET also reaches a peer that is not reading", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log = recordEvents(peer, ["data", "end", "error", "close"], fmt);
    client.resetAndDestroy();
    await closed(peer);
    assert.deepEqual(log, ["error:ECONNRESET", "close:true"]);
  }),

  defineCase("errors", "a write still going out when the peer resets: its callback is called once", async (ctx) => {
    // Node 22 and 24 pass the error; Node 20 passes null when the read side destroyed the
    // socket first. Either way the callback is not lost, and the socket closes on the error.
    const { client, peer } = await connected(ctx);
    peer.pause(); // the peer reads nothing: 16 MiB cannot all leave
    const results: unknown[] = [];
    const wrote = new Promise<void>((resolve) => {
      client.write(new Uint8Array(16 * 1024 * 1024), (err: unknown) => {
        results.push(err);
        resolve();
      });
    });
    const errors: any[] = [];
    client.on("error", (err: any) => errors.push(err));
    peer.resetAndDestroy();
    const [, hadError] = await Promise.all([wrote, closed(client)]);
    assert.equal(results.length, 1, "called once");
    assert.ok(results[0] === null || results[0] === undefined || isA(results[0], Error), "null or an error");
    assert.equal(hadError, true);
    assert.equal(errors.length, 1);
    assert.ok(["ECONNRESET", "EPIPE"].includes(errors[0].code), `ECONNRESET or EPIPE, not ${errors[0].code}`);
  }),

  defineCase("errors", "a write to a connection the peer already reset: the callback gets the error", async (ctx) => {
    // A socket reading into its own buffer (onread) stops reading at pause() (Node's
    // readStop), so the peer's RST is found by the next write, which fails: its callback
    // must get the error, not be told the bytes went out.
    const onread = { buffer: new Uint8Array(1024), callback: () => true };
    const { client, peer } = await connected(ctx, { client: { onread } });
    client.pause();
    const log = recordEvents(client, ["error", "close"], fmt);
    peer.resetAndDestroy();
    await closed(peer);
    const results: any[] = [];
    client.write("x", (err: any) => {
      results.push(err);
      log.push(`cb:${err?.code}`);
    });
    await closed(client);
    assert.equal(results.length, 1, "called once");
    assert.ok(isA(results[0], Error), `an error, not ${results[0]}`);
    const code = results[0].code;
    assert.ok(["ECONNRESET", "EPIPE"].includes(code), `ECONNRESET or EPIPE, not ${code}`);
    assert.deepEqual(log, [`cb:${code}`, `error:${code}`, "close:true"]);
  }),

  defineCase("errors", "a large write from 'connect' to a peer that closed the connection at once: it fails with EPIPE (callback, 'error', close(true)), no 'end' before it", async (ctx) => {
    // The peer's FIN is in before the write, whose first bytes the peer's kernel answers
    // with a reset: Node's write finds it while writing (the rest is refused), so the
    // failure comes before anything is read, the FIN included.
    const server = await ctx.server((s: any) => s.destroy());
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log = recordEvents(client, ["end", "error", "close"], fmt);
    client.on("connect", () => {
      client.write(new Uint8Array(4 * 1024 * 1024), (err: any) => log.push(`cb:${err?.code}`));
    });
    await closed(client);
    assert.deepEqual(log, ["cb:EPIPE", "error:EPIPE", "close:true"]);
  }),

  defineCase("errors", "write after destroy(): ERR_STREAM_DESTROYED to the callback, no 'error'", async (ctx) => {
    const { client } = await connected(ctx);
    const log = recordEvents(client, ["error", "close"], fmt);
    client.destroy();
    let cbErr: any;
    const ret = client.write("x", (err: any) => {
      cbErr = err;
      log.push(`cb:${err?.code}`);
    });
    assert.equal(ret, false);
    await closed(client);
    await delay(20);
    assert.deepEqual(log, ["cb:ERR_STREAM_DESTROYED", "close:false"]);
    assert.ok(isA(cbErr, Error));
    assert.equal(cbErr.name, "Error");
    assert.equal(cbErr.message, "Cannot call write after a stream was destroyed");
    // The same after 'close'.
    let lateErr: any;
    assert.equal(client.write("y", (err: any) => (lateErr = err)), false);
    await delay(20);
    assert.equal(lateErr?.code, "ERR_STREAM_DESTROYED");
    assert.deepEqual(log, ["cb:ERR_STREAM_DESTROYED", "close:false"]);
  }),

  defineCase("errors", "destroy() while connecting: close(false), queued write gets ERR_SOCKET_CLOSED_BEFORE_CONNECTION", async (ctx) => {
    const server = await ctx.server();
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log = recordEvents(client, ["connect", "error", "close"], fmt);
    client.write("queued", (err: any) => log.push(`cb:${err?.code}`));
    client.destroy();
    assert.equal(client.connecting, false);
    assert.equal(client.readyState, "closed");
    await closed(client);
    await delay(20);
    assert.deepEqual(log, ["close:false", "cb:ERR_SOCKET_CLOSED_BEFORE_CONNECTION"]);
  }),

  defineCase("errors", "end(cb) after destroy() while a write waits for the connection: it waits with the write and fails with its ERR_SOCKET_CLOSED_BEFORE_CONNECTION, inside 'close'", async (ctx) => {
    const server = await ctx.server();
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log: string[] = [];
    client.on("close", () => log.push("close (listener before)"));
    client.write("queued", (err: any) => log.push(`write:${err?.code}`));
    client.destroy();
    client.end((err: any) => log.push(`end:${err?.code}`));
    client.on("close", () => log.push("close (listener after)"));
    await closed(client);
    await delay(10);
    assert.deepEqual(log, [
      "close (listener before)",
      "write:ERR_SOCKET_CLOSED_BEFORE_CONNECTION",
      "end:ERR_SOCKET_CLOSED_BEFORE_CONNECTION",
      "close (listener after)",
    ]);
  }),

  defineCase("errors", "destroy(err) while connecting: 'error' then close(true), no 'connect'", async (ctx) => {
    const server = await ctx.server();
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log = recordEvents(client, ["connect", "error", "close"], fmt);
    const boom = new Error("abort");
    let got: unknown;
    client.on("error", (e: unknown) => (got = e));
    client.destroy(boom);
    await closed(client);
    await delay(20);
    assert.deepEqual(log, ["error:abort", "close:true"]);
    assert.equal(got, boom);
  }),

  defineCase("errors", "write on a socket that never connected: ERR_SOCKET_CLOSED", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const log = recordEvents(socket, ["error", "close"], fmt);
    const errors: any[] = [];
    socket.on("error", (e: any) => errors.push(e));
    let cbErr: any;
    assert.equal(socket.write("x", (err: any) => {
      cbErr = err;
      log.push(`cb:${err?.code}`);
    }), false);
    // Errored at once, destroyed a tick later (Node's Writable defers the rest).
    assert.equal(socket.destroyed, false);
    assert.equal(socket.writable, false);
    assert.equal(socket.readyState, "readOnly");
    assert.equal(socket.errored?.code, "ERR_SOCKET_CLOSED");
    socket.write("y", (err: any) => log.push(`cb2:${err?.code}`));
    await closed(socket);
    assert.deepEqual(log, ["cb:ERR_SOCKET_CLOSED", "cb2:ERR_SOCKET_CLOSED", "error:ERR_SOCKET_CLOSED", "close:undefined"]);
    assert.equal(errors[0], cbErr);
    assert.ok(isA(cbErr, Error));
    assert.equal(cbErr.name, "Error");
    assert.equal(cbErr.message, "Socket is closed");
  }),

  defineCase("errors", "cork() then write() on a socket that never connected: held (write() returns true); uncork() hands them over and every one fails with ERR_SOCKET_CLOSED, uncounted", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const log = recordEvents(socket, ["error", "close"], fmt);
    socket.on("error", () => {});
    socket.cork();
    assert.equal(socket.write("ab", (err: any) => log.push(`cb1:${err?.code}`)), true);
    assert.equal(socket.write("cd", (err: any) => log.push(`cb2:${err?.code}`)), true);
    assert.equal(socket.writableLength, 4);
    assert.equal(socket.errored, null);
    socket.uncork();
    assert.equal(socket.writableLength, 0);
    assert.equal(socket.bytesWritten, 0);
    assert.equal(socket.errored?.code, "ERR_SOCKET_CLOSED");
    assert.equal(socket.destroyed, false);
    // Errored before the push: bytes pushed after push(null) still destroy it (Node's order).
    assert.equal(socket.push(null), false);
    assert.equal(socket.push("xy"), false);
    assert.equal(socket.destroyed, true);
    await closed(socket);
    assert.deepEqual(log.slice(0, 2), ["cb1:ERR_SOCKET_CLOSED", "cb2:ERR_SOCKET_CLOSED"]);
    assert.equal(log.at(-1), "close:undefined");
  }),

  defineCase("errors", "end() on a socket that never connected: 'finish' a tick later (end's callback without an error, even after a destroy() in between), the socket left open for reading; destroySoon() then closes it", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const log: string[] = [];
    for (const ev of ["finish", "end", "error", "close"]) socket.on(ev, (a: any) => log.push(`${ev}${a?.code ? `:${a.code}` : ""}`));
    assert.equal(socket.end((err: any) => log.push(`endcb:${err ?? "none"}`)), socket);
    assert.equal(socket.writableEnded, true);
    assert.equal(socket.writableFinished, false);
    await delay(10);
    assert.deepEqual(log, ["endcb:none", "finish"]);
    assert.equal(socket.writableFinished, true);
    assert.equal(socket.destroyed, false);
    assert.equal(socket.readyState, "readOnly");
    socket.destroy();
    await delay(10);
    assert.deepEqual(log, ["endcb:none", "finish", "close"]);

    const soon = ctx.track(new ctx.net.Socket());
    const soonLog: string[] = [];
    for (const ev of ["finish", "close"]) soon.on(ev, () => soonLog.push(ev));
    soon.destroySoon();
    await closed(soon);
    assert.deepEqual(soonLog, ["finish", "close"]);

    const destroyed = ctx.track(new ctx.net.Socket());
    const destroyedLog: string[] = [];
    for (const ev of ["finish", "close"]) destroyed.on(ev, () => destroyedLog.push(ev));
    destroyed.end((err: any) => destroyedLog.push(`endcb:${err ?? "none"}`));
    destroyed.destroy();
    await closed(destroyed);
    await delay(5);
    assert.deepEqual(destroyedLog, ["endcb:none", "finish", "close"]);
    // (Node 20's _final waits for a `connect` that never comes: nothing finishes.)
  }, { requires: ["node22"] }),

  defineCase("errors", "Node's own errors name their code in the first line of their stack (what an uncaught error and util.inspect print); system errors do not", async (ctx) => {
    const firstLine = (err: any) => String(err?.stack).split("\n")[0];
    // Node adds the code in its own stack layout, not in one the program installed
    // (vitest's, source-map-support's): then the first line is the usual `name: message`.
    const coded = (name: string, code: string, message: string) =>
      customStackLayout() ? `${name}: ${message}` : `${name} [${code}]: ${message}`;
    const socket = ctx.track(new ctx.net.Socket());
    let thrown: any;
    try {
      socket.write(5 as any);
    } catch (e) {
      thrown = e;
    }
    assert.equal(thrown?.code, "ERR_INVALID_ARG_TYPE");
    assert.equal(firstLine(thrown), coded("TypeError", "ERR_INVALID_ARG_TYPE", thrown.message));
    assert.equal(String(thrown), `TypeError [ERR_INVALID_ARG_TYPE]: ${thrown.message}`);
    try {
      socket.setTimeout(-1);
    } catch (e) {
      thrown = e;
    }
    assert.equal(firstLine(thrown), coded("RangeError", "ERR_OUT_OF_RANGE", thrown.message));
    socket.destroy();
    const destroyed: any = await new Promise((resolve) => socket.write("x", resolve));
    assert.equal(firstLine(destroyed), coded("Error", "ERR_STREAM_DESTROYED", "Cannot call write after a stream was destroyed"));
    const port = await closedPort(ctx);
    const refused = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    const [err] = await once(refused, "error");
    assert.equal(firstLine(err), `Error: connect ECONNREFUSED 127.0.0.1:${port}`);
  }),

];

export default cases;
