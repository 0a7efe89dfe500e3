// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { pipeline, Readable } from "node:stream";
import { closedPort, defineCase, delay, once, readAll, recordEvents } from "../harness.ts";
import { closed, connected, isA, pair, textSink, until } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

/** Every socket event these cases log. */
const EVENTS = ["connect", "ready", "data", "end", "finish", "drain", "timeout", "error", "close"];

/** `data:<chunk>`, `close:<hadError>`, `error:<code>`, else the event name. */
function fmt(event: string, args: any[]): string {
  if (event === "data") return `data:${args[0]}`;
  if (event === "close") return `close:${args[0]}`;
  if (event === "error") return `error:${args[0]?.code ?? args[0]?.message}`;
  return event;
}

/** Log every event of `socket` (strings when `encoding` is set). */
function logOf(socket: any, encoding = true): string[] {
  if (encoding) socket.setEncoding("utf8");
  return recordEvents(socket, EVENTS, fmt);
}

const cases: Case[] = [
  defineCase("lifecycle", "destroy() keeps what was read and not consumed (readableLength, _readableState.length still count it; setEncoding() turns it into text); a 'data' listener added after it takes it without a 'data' event, before or after 'close'", async (ctx) => {
    for (const when of ["never", "at once", "after close"]) {
      const { client, peer } = await connected(ctx);
      peer.write("hello");
      // No consumer yet: what arrives is buffered.
      await until(() => client.readableLength === 5, `${when}: buffered`);
      const data: string[] = [];
      const listen = () => client.on("data", (d: any) => data.push(String(d)));
      client.destroy();
      assert.equal(client.readableLength, 5, when);
      assert.equal(client._readableState.length, 5, when);
      if (when === "at once") listen();
      await once(client, "close");
      if (when === "after close") {
        assert.equal(client.readableLength, 5, when);
        listen();
      }
      await delay(20);
      assert.deepEqual(data, [], `${when}: no 'data' once destroyed`);
      assert.equal(client.readableLength, when === "never" ? 5 : 0, when);
      if (when === "never") {
        client.setEncoding("hex");
        assert.equal(client.readableLength, 10, "hex: two characters a byte");
      }
    }
  }),

  defineCase("lifecycle", "connect() again after close: a new connection, counted from 0; paused before it, nothing is read until resume()", async (ctx) => {
    const server = await ctx.server((s: any) => {
      s.on("error", () => {});
      s.resume();
      s.end("hello");
    });
    const port = server.address().port;
    const socket = ctx.track(new ctx.net.Socket());
    let got = "";
    socket.on("data", (d: any) => (got += d));
    socket.connect(port, "127.0.0.1");
    socket.write("abc");
    assert.equal(await closed(socket), false);
    assert.equal(got, "hello");
    assert.equal(socket.bytesRead, 5);
    assert.equal(socket.bytesWritten, 3);
    socket.pause();
    socket.connect(port, "127.0.0.1");
    // Node's counts are the new handle's.
    assert.equal(socket.bytesRead, 0);
    assert.equal(socket.bytesWritten, 0);
    await once(socket, "connect");
    await delay(50);
    // Paused, with no read asked while connecting: afterConnect does not read.
    assert.equal(socket.bytesRead, 0);
    assert.equal(got, "hello");
    socket.resume();
    assert.equal(await closed(socket), false);
    assert.equal(got, "hellohello");
    assert.equal(socket.bytesRead, 5);
  }),

  defineCase("lifecycle", "connect() again from the 'error' listener (a retry), before the failed connection's 'close': that 'close' says hadError true, and the new connection is whole (its addresses, data, 'end', its own 'close')", async (ctx) => {
    const tick = (globalThis as any).process.nextTick as (fn: () => void) => void;
    const refused = await closedPort(ctx);
    const server = await ctx.server((s: any) => {
      s.on("error", () => {});
      s.end("hi");
    });
    const port = server.address().port;
    const socket = ctx.track(new ctx.net.Socket());
    const log: string[] = [];
    socket.on("error", (err: any) => {
      log.push(`error:${err.code}`);
      // The usual retry: a moment later, another address (here: a tick, before `close`).
      tick(() => socket.connect(port, "127.0.0.1"));
    });
    let closes = 0;
    let bothClosed!: () => void;
    const closedTwice = new Promise<void>((resolve) => (bothClosed = resolve));
    socket.on("close", (hadError: boolean) => {
      log.push(`close:${hadError}`);
      if (++closes === 2) bothClosed();
    });
    socket.on("connect", () => log.push(`connect:${socket.remotePort === port}`));
    socket.on("data", (d: any) => log.push(`data:${d}`));
    socket.on("end", () => log.push("end"));
    socket.connect(refused, "127.0.0.1");
    await closedTwice;
    assert.deepEqual(log, ["error:ECONNREFUSED", "close:true", "connect:true", "data:hi", "end", "close:false"]);
    assert.equal(socket.errored, null);
  }),

  defineCase("lifecycle", "socket.closed is Node's stream boolean: false until destroyed (also ended and finished), true from destroy() on and in 'close'", async (ctx) => {
    const server = await ctx.server((s: any) => {
      s.on("error", () => {});
      s.resume();
      s.on("end", () => s.end());
    });
    const port = server.address().port;
    const log: string[] = [];
    const client = ctx.track(new ctx.net.Socket());
    log.push(`new ${client.closed}`);
    client.connect(port, "127.0.0.1");
    log.push(`connecting ${client.closed}`);
    await once(client, "connect");
    log.push(`connected ${client.closed}`);
    client.on("finish", () => log.push(`finish ${client.closed}`));
    client.on("end", () => log.push(`end ${client.closed}`));
    client.resume();
    client.end();
    await new Promise<void>((resolve) => client.once("close", () => {
      log.push(`close ${client.closed}`);
      resolve();
    }));
    assert.deepEqual(log, ["new false", "connecting false", "connected false", "finish false", "end false", "close true"]);
    // A boolean, not a promise: Node's stream.pipeline() refuses a `closed` destination.
    assert.equal(typeof client.closed, "boolean");
    const other = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    await once(other, "connect");
    other.destroy();
    assert.equal(other.closed, true);
    const never = ctx.track(new ctx.net.Socket());
    never.destroy();
    assert.equal(never.closed, true);
  }),

  defineCase("lifecycle", "stream.pipeline() through a socket: a Readable into it, what comes back into a Writable, done once both sides ended", async (ctx) => {
    const server = await ctx.server((s: any) => s.pipe(s));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const sink = textSink();
    await new Promise<void>((resolve, reject) =>
      pipeline(Readable.from(["abc", "def"]), client, sink, (err) => err ? reject(err) : resolve())
    );
    assert.equal(sink.text(), "abcdef");
    assert.equal(client.writableEnded, true);
  }),

  defineCase("lifecycle", "client events in order when the server ends first", async (ctx) => {
    const server = await ctx.server((s) => s.end("bye"));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log = recordEvents(client, ["connect", "ready", "data", "end", "finish", "close"],
      (e, a) => e === "data" ? `data:${a[0]}` : e === "close" ? `close:${a[0]}` : e);
    client.setEncoding("utf8");
    await once(client, "close");
    assert.deepEqual(log, ["connect", "ready", "data:bye", "end", "finish", "close:false"]);
  }),

  defineCase("lifecycle", "server-side events in order when the server ends first", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, {
      onServer: (s) => {
        serverLog = logOf(s);
        s.end("bye");
      },
    });
    client.resume();
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    // Our FIN is acknowledged ('finish') before the peer's FIN comes back ('end').
    // A server-side socket never emits 'connect' or 'ready'.
    assert.deepEqual(serverLog, ["finish", "end", "close:false"]);
  }),

  defineCase("lifecycle", "events on both sides when the client ends first", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, { onServer: (s) => (serverLog = logOf(s)) });
    const clientLog = logOf(client);
    client.on("connect", () => client.end("hi"));
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientLog, ["connect", "ready", "finish", "end", "close:false"]);
    // allowHalfOpen is false: the server ends its side by itself after 'end'.
    assert.deepEqual(serverLog, ["data:hi", "end", "finish", "close:false"]);
  }),

  defineCase("lifecycle", "connect listener gets no arguments, 'ready' follows 'connect'", async (ctx) => {
    const server = await ctx.server();
    const calls: Array<{ args: number; self: boolean; state: string }> = [];
    const log: string[] = [];
    let client: any;
    const done = new Promise<void>((resolve) => {
      client = ctx.track(
        ctx.net.connect(server.address().port, "127.0.0.1", function (this: any, ...args: any[]) {
          calls.push({ args: args.length, self: this === client, state: client.readyState });
          log.push("listener");
        }),
      );
      client.on("connect", (...args: any[]) => log.push(`connect/${args.length}`));
      client.on("ready", (...args: any[]) => {
        log.push(`ready/${args.length}`);
        resolve();
      });
    });
    await done;
    assert.deepEqual(calls, [{ args: 0, self: true, state: "open" }]);
    assert.deepEqual(log, ["listener", "connect/0", "ready/0"]);
  }),

  defineCase("lifecycle", "net.Stream, node:net's old name of Socket, is the same class: new Stream() connects as a Socket", async (ctx) => {
    assert.equal(ctx.net.Stream, ctx.net.Socket);
    const server = await ctx.server((s) => s.end("hello"));
    const socket = ctx.track(new ctx.net.Stream!());
    assert.ok(socket instanceof ctx.net.Socket);
    socket.connect(server.address().port, "127.0.0.1");
    assert.equal(new TextDecoder().decode(await readAll(socket)), "hello");
  }),

  defineCase("lifecycle", "new Socket() then connect(port, host, listener)", async (ctx) => {
    const server = await ctx.server((s) => s.end("hello"));
    const socket = ctx.track(new ctx.net.Socket());
    // Never connected: no handle yet, so pending; Node reports readyState 'open' here
    // (the stream is readable and writable and not connecting).
    assert.equal(socket.connecting, false);
    assert.equal(socket.pending, true);
    assert.equal(socket.destroyed, false);
    assert.equal(socket.readyState, "open");
    assert.deepEqual(socket.address(), {});
    assert.equal(socket.remoteAddress, undefined);
    assert.equal(socket.bytesRead, 0);
    assert.equal(socket.bytesWritten, 0);
    let listenerCalls = 0;
    const ret = socket.connect(server.address().port, "127.0.0.1", () => listenerCalls++);
    assert.equal(ret, socket);
    assert.equal(socket.connecting, true);
    assert.equal(socket.pending, true);
    assert.equal(socket.readyState, "opening");
    const data = readAll(socket);
    await once(socket, "connect");
    assert.equal(listenerCalls, 1);
    assert.equal(new TextDecoder().decode(await data), "hello");
  }),

  defineCase("lifecycle", "readyState, connecting, pending, destroyed at each stage", async (ctx) => {
    const server = await ctx.server((s) => {
      s.resume();
      s.on("end", () => s.end());
    });
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const state = () => [client.readyState, client.connecting, client.pending, client.destroyed];
    const seen: Record<string, unknown[]> = { start: state() };
    client.on("connect", () => {
      seen.connect = state();
      client.end();
      seen.ended = state();
    });
    client.on("finish", () => (seen.finish = state()));
    client.on("end", () => (seen.end = state()));
    client.on("close", () => (seen.close = state()));
    client.resume();
    await once(client, "close");
    assert.deepEqual(seen, {
      start: ["opening", true, true, false],
      connect: ["open", false, false, false],
      // After our end() the socket is no longer writable.
      ended: ["readOnly", false, false, false],
      finish: ["readOnly", false, false, false],
      // After the peer's FIN it is neither readable nor writable, but not yet destroyed.
      end: ["closed", false, false, false],
      // Once closed there is no handle any more: pending is true again.
      close: ["closed", false, true, true],
    });
  }),

  defineCase("lifecycle", "destroy(): pending is true at once (no handle), before `close`", async (ctx) => {
    const server = await ctx.server((s) => s.resume());
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    await once(client, "connect");
    assert.equal(client.pending, false);
    const closed = once(client, "close");
    client.destroy();
    assert.deepEqual([client.readyState, client.connecting, client.pending, client.destroyed], ["closed", false, true, true]);
    await closed;
    assert.equal(client.pending, true);
  }),

  defineCase("lifecycle", "end() after destroy(): writableEnded, and a write is one after end; not after destroy(err)", async (ctx) => {
    const server = await ctx.server((s) => s.resume());
    for (const error of [undefined, new Error("boom")]) {
      const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
      client.on("error", () => {});
      await once(client, "connect");
      const done = closed(client);
      client.destroy(error);
      client.end(() => {}); // (Node never calls it back here; crossnet says ERR_STREAM_DESTROYED.)
      assert.equal(client.writableEnded, !error);
      const written = new Promise((resolve) => client.write("x", (err: any) => resolve(err?.code)));
      assert.equal(await written, error ? "ERR_STREAM_DESTROYED" : "ERR_STREAM_WRITE_AFTER_END");
      await done;
    }
    // end(data) after destroy(): that write fails, and the end with it.
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    client.on("error", () => {});
    await once(client, "connect");
    client.destroy();
    client.end("data");
    assert.equal(client.writableEnded, false);
    const written = new Promise((resolve) => client.write("x", (err: any) => resolve(err?.code)));
    assert.equal(await written, "ERR_STREAM_DESTROYED");
  }),

  defineCase("lifecycle", "server-side socket state in the 'connection' event", async (ctx) => {
    let seen: any;
    const { server, client, accepted } = await pair(ctx, {
      onServer: (s) => {
        seen = {
          readyState: s.readyState,
          connecting: s.connecting,
          pending: s.pending,
          destroyed: s.destroyed,
          remoteAddress: s.remoteAddress,
          remoteFamily: s.remoteFamily,
          remotePort: s.remotePort,
          localAddress: s.localAddress,
          localPort: s.localPort,
          localFamily: s.localFamily,
          bytesRead: s.bytesRead,
          bytesWritten: s.bytesWritten,
          timeout: s.timeout,
          allowHalfOpen: s.allowHalfOpen,
          isPaused: s.isPaused(),
        };
      },
    });
    await Promise.all([accepted, once(client, "connect")]);
    assert.deepEqual(seen, {
      readyState: "open",
      connecting: false,
      pending: false,
      destroyed: false,
      remoteAddress: "127.0.0.1",
      remoteFamily: "IPv4",
      remotePort: client.localPort,
      localAddress: "127.0.0.1",
      localPort: server.address().port,
      localFamily: "IPv4",
      bytesRead: 0,
      bytesWritten: 0,
      timeout: undefined,
      allowHalfOpen: false,
      isPaused: false,
    });
  }),

  defineCase("lifecycle", "address() and the address properties of a connected client", async (ctx) => {
    const { server, client } = await connected(ctx);
    const port = server.address().port;
    assert.equal(typeof client.localPort, "number");
    assert.deepEqual(client.address(), { address: "127.0.0.1", family: "IPv4", port: client.localPort });
    assert.equal(client.localAddress, "127.0.0.1");
    assert.equal(client.localFamily, "IPv4");
    assert.equal(client.remoteAddress, "127.0.0.1");
    assert.equal(client.remoteFamily, "IPv4");
    assert.equal(client.remotePort, port);
    client.destroy();
    await once(client, "close");
    // No handle any more: address() is an empty object.
    assert.deepEqual(client.address(), {});
    // The remote address that was read while open is still reported after close.
    assert.equal(client.remoteAddress, "127.0.0.1");
    assert.equal(client.remotePort, port);
    assert.equal(client.remoteFamily, "IPv4");
  }),

  defineCase("lifecycle", "bytesRead and bytesWritten count bytes and survive close", async (ctx) => {
    let serverGot = 0;
    const { client, accepted } = await pair(ctx, {
      onServer: (s) => {
        s.on("data", (d: Uint8Array) => (serverGot += d.byteLength));
        s.on("end", () => s.end("1234567"));
      },
    });
    // A write queued before the connection is established already counts.
    client.write("hello");
    assert.equal(client.bytesWritten, 5);
    assert.equal(client.bytesRead, 0);
    await once(client, "connect");
    client.write(new Uint8Array([1, 2, 3]));
    client.write("é"); // two bytes in UTF-8
    client.end();
    assert.equal(client.bytesWritten, 10);
    client.resume();
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.equal(serverGot, 10);
    assert.equal(client.bytesWritten, 10);
    assert.equal(client.bytesRead, 7);
    assert.equal(peer.bytesRead, 10);
    assert.equal(peer.bytesWritten, 7);
  }),

  defineCase("lifecycle", "write callbacks run asynchronously and in order, then end's, then 'finish'", async (ctx) => {
    let received = 0;
    const { client, accepted } = await pair(ctx, {
      onServer: (s) => s.on("data", (d: Uint8Array) => (received += d.byteLength)),
    });
    await once(client, "connect");
    const log: string[] = [];
    client.on("finish", () => log.push("finish"));
    const big = new Uint8Array(1 << 20).fill(7);
    const small1 = client.write("a", (...args: any[]) => log.push(`cb1:${args[0]}`));
    client.write(big, (...args: any[]) => log.push(`cb2:${args[0]}`));
    client.write("b", (...args: any[]) => log.push(`cb3:${args[0]}`));
    client.end("c", (...args: any[]) => log.push(`end:${args[0]}`));
    log.push("sync");
    assert.equal(small1, true);
    const peer = await accepted;
    await once(peer, "end");
    await once(client, "close");
    assert.deepEqual(log, ["sync", "cb1:null", "cb2:null", "cb3:null", "end:null", "finish"]);
    assert.equal(received, 3 + big.byteLength);
  }),

  defineCase("lifecycle", "write returns false past the high-water mark, then 'drain'", async (ctx) => {
    const { client, peer } = await connected(ctx);
    // 16 MiB is above the default high-water mark of every Node version (16 KiB on Node 20,
    // 64 KiB on Node 22+), whose exact value this case does not assert, and more than the
    // kernel takes in one write (Linux's send and receive buffers top out at 4 and 6 MiB by
    // default): write() answers after trying, and a chunk taken whole would return true.
    const big = new Uint8Array(16 << 20);
    const ret = client.write(big);
    assert.equal(ret, false);
    // Bytes count in writableLength until their write's callback has run.
    assert.equal(client.writableLength, big.byteLength);
    assert.equal(client.bufferSize, client.writableLength);
    assert.equal(client.bytesWritten, big.byteLength);
    peer.resume();
    await once(client, "drain");
    assert.equal(client.writableLength, 0);
    assert.equal(client.bufferSize, 0);
    assert.equal(client.write("x"), true);
  }),

  defineCase("lifecycle", "no 'drain' once end() was called", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log = recordEvents(client, ["drain", "finish"]);
    assert.equal(client.write(new Uint8Array(16 << 20)), false);
    client.end();
    peer.resume();
    await once(client, "finish");
    assert.deepEqual(log, ["finish"]);
  }),

  defineCase("lifecycle", "write before connect is sent once connected", async (ctx) => {
    let got: Promise<Uint8Array> = Promise.resolve(new Uint8Array());
    const { client, accepted } = await pair(ctx, { onServer: (s) => (got = readAll(s)) });
    const states: string[] = [];
    // The callback comes once connected: whether before or after the user's own `connect`
    // listener depends on whether the kernel took the bytes at once (even on Node, where
    // a large early write calls back later), so only "connected, no error" is asserted.
    const ret = client.write("early", (err: unknown) => states.push(`cb:${err}:${client.connecting}`));
    assert.equal(ret, true);
    assert.equal(client.writableLength, 5);
    assert.equal(client.readyState, "opening");
    client.on("connect", () => client.end());
    await accepted;
    assert.equal(new TextDecoder().decode(await got), "early");
    await closed(client);
    assert.deepEqual(states, ["cb:null:false"]);
  }),

  defineCase("lifecycle", "end(data, callback) sends data then FIN", async (ctx) => {
    let got: Promise<Uint8Array> = Promise.resolve(new Uint8Array());
    const { client, accepted } = await pair(ctx, { onServer: (s) => (got = readAll(s)) });
    await once(client, "connect");
    let endCalls = 0;
    const ret = client.end("last words", () => endCalls++);
    assert.equal(ret, client);
    assert.equal(client.readyState, "readOnly");
    await accepted;
    assert.equal(new TextDecoder().decode(await got), "last words");
    await once(client, "close");
    assert.equal(endCalls, 1);
  }),

  defineCase("lifecycle", "destroy() without error: close(false), no 'error', the peer sees the end", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, { onServer: (s) => (serverLog = logOf(s)) });
    const clientLog = logOf(client);
    await once(client, "connect");
    const peer = await accepted;
    const ret = client.destroy();
    assert.equal(ret, client);
    assert.equal(client.destroyed, true);
    assert.equal(client.readyState, "closed");
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientLog, ["connect", "ready", "close:false"]);
    assert.deepEqual(serverLog, ["end", "finish", "close:false"]);
  }),

  defineCase("lifecycle", "destroy(err): 'error' with that error, then close(true)", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.resume();
    const peerEnded = once(peer, "end");
    const errors: unknown[] = [];
    const log = recordEvents(client, ["error", "close", "end", "finish"], fmt);
    client.on("error", (e: unknown) => errors.push(e));
    const boom = new Error("boom");
    client.destroy(boom);
    assert.equal(client.destroyed, true);
    assert.deepEqual([...log], []); // asynchronous
    await closed(client);
    assert.deepEqual(log, ["error:boom", "close:true"]);
    assert.equal(errors[0], boom);
    // A second destroy is a no-op: no second 'error', no second 'close'.
    client.destroy(new Error("again"));
    await delay(20);
    assert.deepEqual(log, ["error:boom", "close:true"]);
    // The peer sees an orderly end.
    await peerEnded;
  }),

  defineCase("lifecycle", "destroy() of a never-connected socket: 'close' without argument", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const closes: unknown[][] = [];
    socket.on("close", (...args: unknown[]) => closes.push(args));
    socket.destroy();
    assert.equal(socket.destroyed, true);
    await once(socket, "close");
    assert.deepEqual(closes, [[]]);
  }),

  defineCase("lifecycle", "destroySoon() flushes pending writes, then closes", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, { onServer: (s) => (serverLog = logOf(s)) });
    const clientLog = logOf(client);
    await once(client, "connect");
    const peer = await accepted;
    client.write("a");
    client.destroySoon();
    assert.equal(client.readyState, "readOnly");
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientLog, ["connect", "ready", "finish", "close:false"]);
    assert.deepEqual(serverLog, ["data:a", "end", "finish", "close:false"]);
  }),

  defineCase("lifecycle", "resetAndDestroy(): close(false) here, ECONNRESET on the peer", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, { onServer: (s) => (serverLog = logOf(s)) });
    const clientLog = logOf(client);
    await once(client, "connect");
    const peer = await accepted;
    const ret = client.resetAndDestroy();
    assert.equal(ret, client);
    assert.equal(client.destroyed, true);
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientLog, ["connect", "ready", "close:false"]);
    assert.deepEqual(serverLog, ["error:ECONNRESET", "close:true"]);
  }),

  defineCase("lifecycle", "resetAndDestroy() while connecting waits for the connection", async (ctx) => {
    const server = await ctx.server((s) => s.on("error", () => {}));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log = recordEvents(client, ["connect", "error", "close"], fmt);
    client.resetAndDestroy();
    await closed(client);
    assert.deepEqual(log, ["connect", "close:false"]);
  }),

  defineCase("lifecycle", "resetAndDestroy() of a never-connected socket: ERR_SOCKET_CLOSED", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const errors: any[] = [];
    socket.on("error", (e: any) => errors.push(e));
    socket.resetAndDestroy();
    await closed(socket);
    assert.equal(errors.length, 1);
    assert.ok(isA(errors[0], Error));
    assert.equal(errors[0].code, "ERR_SOCKET_CLOSED");
    assert.equal(errors[0].message, "Socket is closed");
  }),

  defineCase("lifecycle", "pause() holds 'data' back, resume() releases it, isPaused() tells", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const got: string[] = [];
    assert.equal(client.isPaused(), false);
    client.setEncoding("utf8");
    client.on("data", (d: string) => got.push(d));
    assert.equal(client.isPaused(), false);
    assert.equal(client.pause(), client);
    assert.equal(client.isPaused(), true);
    peer.write("one");
    await delay(50);
    assert.deepEqual([...got], []);
    assert.equal(client.resume(), client);
    assert.equal(client.isPaused(), false);
    await once(client, "data");
    assert.deepEqual(got, ["one"]);
  }),

  defineCase("lifecycle", "a 'data' listener added to a paused socket does not resume it", async (ctx) => {
    const { client, peer } = await connected(ctx);
    client.pause();
    const got: string[] = [];
    client.setEncoding("utf8");
    client.on("data", (d: string) => got.push(d));
    peer.write("one");
    await delay(50);
    assert.equal(client.isPaused(), true);
    assert.deepEqual([...got], []);
    client.resume();
    await once(client, "data");
    assert.deepEqual(got, ["one"]);
  }),

  defineCase("lifecycle", "without a 'data' listener, data stays buffered and 'end' waits", async (ctx) => {
    let serverFinished!: Promise<unknown>;
    const { client, accepted } = await pair(ctx, {
      onServer: (s) => {
        serverFinished = once(s, "finish");
        s.end("bye");
      },
    });
    const log = recordEvents(client, ["end", "close"], fmt);
    await accepted;
    await serverFinished;
    await delay(50);
    // The FIN has been sent, but nobody consumed "bye": no 'end', no 'close'.
    assert.deepEqual([...log], []);
    assert.equal(client.readyState, "open");
    client.setEncoding("utf8");
    client.on("data", (d: string) => log.push(`data:${d}`));
    await closed(client);
    assert.deepEqual(log, ["data:bye", "end", "close:false"]);
  }),

  defineCase("lifecycle", "without a 'data' listener, 'end' still comes when nothing is buffered", async (ctx) => {
    const { client } = await pair(ctx, { onServer: (s) => s.end() });
    const log = recordEvents(client, ["end", "close"], fmt);
    await closed(client);
    assert.deepEqual(log, ["end", "close:false"]);
  }),

  defineCase("lifecycle", "echo server c.pipe(c) returns every byte", async (ctx) => {
    let pipeReturn: unknown;
    let serverSocket: unknown;
    const server = await ctx.server((c) => {
      serverSocket = c;
      pipeReturn = c.pipe(c);
    });
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const data = new Uint8Array(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
    const got = readAll(client);
    client.end(data);
    const echoed = await got;
    assert.equal(pipeReturn, serverSocket);
    assert.equal(echoed.byteLength, data.byteLength);
    assert.deepEqual(echoed, data);
    await once(client, "close");
  }),

  defineCase("lifecycle", "pipe() ends the destination, pipe(dest, { end: false }) does not", async (ctx) => {
    for (const end of [true, false]) {
      // Bytes flow: a -> (server socket sa) -pipe-> b -> (server socket sb).
      const source = await connected(ctx);
      const dest = await connected(ctx);
      const sb = dest.peer;
      const received: string[] = [];
      sb.setEncoding("utf8");
      sb.on("data", (d: string) => received.push(d));
      const sbEnded = once(sb, "end");
      if (end) source.peer.pipe(dest.client);
      else source.peer.pipe(dest.client, { end: false });
      source.client.end("hello");
      await once(source.peer, "end");
      // The destination was ended (no longer writable) by the pipe, or not.
      assert.equal(dest.client.readyState, end ? "readOnly" : "open");
      if (end) {
        await sbEnded;
        assert.deepEqual(received.join(""), "hello");
      } else {
        await delay(20);
        assert.equal(dest.client.readyState, "open");
        dest.client.end(" more");
        await sbEnded;
        assert.deepEqual(received.join(""), "hello more");
      }
    }
  }),

  defineCase("lifecycle", "unpipe() stops the flow and leaves the source paused", async (ctx) => {
    const source = await connected(ctx);
    const dest = await connected(ctx);
    const sa = source.peer;
    const received: string[] = [];
    dest.peer.setEncoding("utf8");
    dest.peer.on("data", (d: string) => received.push(d));
    sa.pipe(dest.client);
    source.client.write("one");
    await once(dest.peer, "data");
    assert.equal(sa.unpipe(dest.client), sa);
    assert.equal(sa.isPaused(), true);
    source.client.write("two");
    await delay(50);
    assert.deepEqual(received, ["one"]);
    const late: string[] = [];
    sa.setEncoding("utf8");
    sa.on("data", (d: string) => late.push(d));
    sa.resume();
    await once(sa, "data");
    assert.deepEqual(late, ["two"]);
    assert.deepEqual(received, ["one"]);
  }),

  defineCase("lifecycle", "setTypeOfService (Node 24): kept before the connect, set on it, read back; bad values throw Node's errors", async (ctx) => {
    const server = await ctx.server((s: any) => s.resume());
    const socket = ctx.track(new ctx.net.Socket());
    assert.equal(socket.getTypeOfService(), 0);
    assert.equal(socket.setTypeOfService(0x10), socket);
    assert.equal(socket.getTypeOfService(), 0x10);
    // (Not asked while connecting: Node 24 throws EBADF until its handle has a descriptor.)
    socket.connect(server.address().port, "127.0.0.1");
    await once(socket, "connect");
    assert.equal(socket.getTypeOfService(), 0x10);
    assert.equal(socket.setTypeOfService(0x08), socket);
    assert.equal(socket.getTypeOfService(), 0x08);
    const bad: Array<[unknown, string, string]> = [
      ["x", "TypeError", `The "tos" argument must be of type number. Received type string ('x')`],
      [NaN, "TypeError", `The "tos" argument must be of type number. Received type number (NaN)`],
      [undefined, "TypeError", `The "tos" argument must be of type number. Received undefined`],
      [1.5, "RangeError", `The value of "tos" is out of range. It must be an integer. Received 1.5`],
      [256, "RangeError", `The value of "tos" is out of range. It must be >= 0 && <= 255. Received 256`],
      [-1, "RangeError", `The value of "tos" is out of range. It must be >= 0 && <= 255. Received -1`],
    ];
    for (const [value, name, message] of bad) {
      const code = name === "TypeError" ? "ERR_INVALID_ARG_TYPE" : "ERR_OUT_OF_RANGE";
      assert.throws(() => socket.setTypeOfService(value), { name, code, message });
    }
    assert.equal(socket.getTypeOfService(), 0x08);
    socket.destroy();
    assert.equal(socket.getTypeOfService(), 0x08);
  }, { requires: ["node24"] }),

  defineCase("lifecycle", "new Socket({ typeOfService }) and connect({ typeOfService }) (Node 24.15): checked at once, kept before the connect, set on it", async (ctx) => {
    const server = await ctx.server((s: any) => s.resume());
    const kept = ctx.track(new ctx.net.Socket({ typeOfService: 0x08 }));
    assert.equal(kept.getTypeOfService(), 0x08);
    assert.equal(ctx.track(new ctx.net.Socket({ typeOfService: undefined })).getTypeOfService(), 0);
    // (Not asked while connecting: Node 24 throws EBADF until its handle has a descriptor.)
    const client = ctx.track(ctx.net.connect({ port: server.address().port, host: "127.0.0.1", typeOfService: 0x10 }));
    await once(client, "connect");
    assert.equal(client.getTypeOfService(), 0x10);
    const bad: Array<[unknown, string, string]> = [
      ["x", "TypeError", `The "options.typeOfService" property must be of type number. Received type string ('x')`],
      [null, "TypeError", `The "options.typeOfService" property must be of type number. Received null`],
      [NaN, "RangeError", `The value of "options.typeOfService" is out of range. It must be an integer. Received NaN`],
      [1.5, "RangeError", `The value of "options.typeOfService" is out of range. It must be an integer. Received 1.5`],
      [256, "RangeError", `The value of "options.typeOfService" is out of range. It must be >= 0 && <= 255. Received 256`],
      [-1, "RangeError", `The value of "options.typeOfService" is out of range. It must be >= 0 && <= 255. Received -1`],
    ];
    for (const [typeOfService, name, message] of bad) {
      const code = name === "TypeError" ? "ERR_INVALID_ARG_TYPE" : "ERR_OUT_OF_RANGE";
      assert.throws(() => new ctx.net.Socket({ typeOfService }), { name, code, message });
      assert.throws(() => ctx.net.connect({ port: server.address().port, typeOfService }), { name, code, message });
    }
  }, { requires: ["node24.21"] }),

  defineCase("lifecycle", "setNoDelay, setKeepAlive, ref, unref return the socket", async (ctx) => {
    const fresh = ctx.track(new ctx.net.Socket());
    assert.equal(fresh.setNoDelay(), fresh);
    assert.equal(fresh.setNoDelay(false), fresh);
    assert.equal(fresh.setKeepAlive(true, 1000), fresh);
    assert.equal(fresh.setKeepAlive(false), fresh);
    assert.equal(fresh.ref(), fresh);
    assert.equal(fresh.unref(), fresh);
    fresh.destroy();
    const { client, peer } = await connected(ctx);
    for (const s of [client, peer]) {
      assert.equal(s.setNoDelay(true), s);
      assert.equal(s.setNoDelay(false), s);
      assert.equal(s.setKeepAlive(true), s);
      assert.equal(s.setKeepAlive(true, 5000), s);
      assert.equal(s.setKeepAlive(false), s);
      assert.equal(s.unref(), s);
      assert.equal(s.ref(), s);
    }
    // Still works after all that.
    client.end("ping");
    peer.setEncoding("utf8");
    const [chunk] = await once(peer, "data");
    assert.equal(chunk, "ping");
  }),

  defineCase("lifecycle", "writableLength and bufferSize; bufferSize is undefined while the socket has no handle (before connect(), once destroyed)", async (ctx) => {
    const fresh = ctx.track(new ctx.net.Socket());
    assert.equal(fresh.writableLength, 0);
    assert.equal(fresh.bufferSize, undefined);
    fresh.destroy();
    assert.equal(fresh.bufferSize, undefined);
    const { server, client, peer } = await connected(ctx);
    const connecting = ctx.track(ctx.net.connect(server.address().port, "localhost"));
    assert.equal(connecting.bufferSize, 0); // at its lookup already
    connecting.write("hello");
    assert.equal(connecting.bufferSize, 5);
    connecting.destroy();
    assert.equal(connecting.bufferSize, undefined);
    assert.equal(peer.bufferSize, 0);
    assert.equal(client.writableLength, 0);
    assert.equal(client.bufferSize, 0);
    const big = new Uint8Array(8 << 20);
    client.write(big);
    assert.equal(client.writableLength, big.byteLength);
    assert.equal(client.bufferSize, client.writableLength);
    peer.resume();
    await new Promise<void>((resolve) => client.write("x", () => resolve()));
    assert.equal(client.writableLength, 0);
    assert.equal(client.bufferSize, 0);
    client.destroy();
    assert.equal(client.bufferSize, undefined);
    await once(client, "close");
    assert.equal(client.writableLength, 0);
    assert.equal(client.bufferSize, undefined);
  }),

  defineCase("lifecycle", "readableDidRead once a 'data' event was emitted (not for bytes held while paused); readableAborted when destroyed or errored before 'end'", async (ctx) => {
    const { client, accepted } = await pair(ctx);
    // (Either may come first: the server's 'connection' and the client's 'connect' are
    // events of two sockets.)
    const [peer] = await Promise.all([accepted, once(client, "connect")]);
    assert.equal(client.readableDidRead, false);
    assert.equal(client.readableAborted, false);
    client.pause();
    peer.write("held");
    await delay(30);
    assert.equal(client.readableDidRead, false, "bytes read but not emitted");
    const data = once(client, "data");
    client.resume();
    await data;
    assert.equal(client.readableDidRead, true);
    // Ended by the peer, then closed: not aborted.
    client.on("end", () => client.end());
    peer.end();
    await closed(client);
    assert.equal(client.readableEnded, true);
    assert.equal(client.readableAborted, false);

    const second = await pair(ctx);
    await once(second.client, "connect");
    second.client.destroy();
    assert.equal(second.client.readableAborted, true, "destroyed before 'end'");
    assert.equal(second.client.readableDidRead, false);
    const fresh = ctx.track(new ctx.net.Socket());
    assert.equal(fresh.readableAborted, false);
    fresh.destroy();
    assert.equal(fresh.readableAborted, true);
  }),

  defineCase("lifecycle", "socket[Symbol.asyncDispose]() (await using) destroys an open socket with an AbortError ('error', errored, close(true)) and resolves; without an 'error' listener nothing reaches the process", async (ctx) => {
    const { client } = await connected(ctx);
    const log = recordEvents(client, ["error", "close"], fmt);
    const closing = closed(client);
    const result = await client[Symbol.asyncDispose]();
    assert.equal(result ?? null, null);
    assert.equal(client.destroyed, true);
    assert.equal(client.errored?.name, "AbortError");
    assert.equal(client.errored?.code, "ABORT_ERR");
    await closing;
    assert.deepEqual(log, ["error:ABORT_ERR", "close:true"]);

    // No 'error' listener of the user's: the AbortError is the dispose's, not the process's.
    const other = await connected(ctx);
    const otherClosing = closed(other.client);
    await other.client[Symbol.asyncDispose]();
    assert.equal(await otherClosing, true);
    assert.equal(other.client.errored?.name, "AbortError");

    // A socket that never connected: destroyed with the AbortError too.
    const idle = ctx.track(new ctx.net.Socket());
    const idleLog = recordEvents(idle, ["error"], fmt);
    await idle[Symbol.asyncDispose]();
    assert.equal(idle.destroyed, true);
    assert.deepEqual(idleLog, ["error:ABORT_ERR"]);
  }),

  defineCase("lifecycle", "socket[Symbol.asyncDispose]() after the peer's end: destroyed without an error, resolves", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log = recordEvents(client, ["end", "error", "close"], fmt);
    client.resume();
    peer.end();
    await once(client, "end");
    const closing = closed(client);
    await client[Symbol.asyncDispose]();
    await closing;
    assert.equal(client.errored, null);
    assert.deepEqual(log, ["end", "close:false"]);
  }),

  defineCase("lifecycle", "socket[Symbol.asyncDispose]() on a socket already destroyed rejects as stream.finished() would: with the error it was destroyed with, else ERR_STREAM_PREMATURE_CLOSE (closed before its end)", async (ctx) => {
    const first = await connected(ctx);
    first.client.destroy();
    await once(first.client, "close");
    await assert.rejects(first.client[Symbol.asyncDispose](), (err: any) => {
      assert.equal(err.code, "ERR_STREAM_PREMATURE_CLOSE");
      assert.equal(err.message, "Premature close");
      return true;
    });

    const second = await connected(ctx);
    const boom = new Error("boom");
    const errors: unknown[] = [];
    second.client.on("error", (err: unknown) => errors.push(err));
    second.client.destroy(boom);
    await assert.rejects(second.client[Symbol.asyncDispose](), (err: unknown) => err === boom);
    assert.deepEqual(errors, [boom]);
  }),

  defineCase("server", "server[Symbol.asyncDispose]() (await using) closes the server and resolves once its last connection closed; on a server not listening it resolves at once", async (ctx) => {
    let accept!: (s: any) => void;
    const accepted = new Promise<any>((resolve) => (accept = resolve));
    const server = await ctx.server((s) => accept(s));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    await once(client, "connect");
    const peer = await accepted;
    let settled = false;
    const disposing = server[Symbol.asyncDispose]().then((value: unknown) => {
      settled = true;
      return value;
    });
    assert.equal(server.listening, false);
    await delay(20);
    assert.equal(settled, false); // the connection is still open
    peer.destroy();
    assert.equal(await disposing, undefined);
    assert.equal(await server[Symbol.asyncDispose](), undefined); // closed already
    const never = ctx.net.createServer();
    assert.equal(await never[Symbol.asyncDispose](), undefined);
  }),
];

export default cases;
