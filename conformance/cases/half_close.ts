// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { defineCase, delay, once, readAll, recordEvents } from "../harness.ts";
import { closed, isA, pair } from "./_shared.ts";
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

/** Log every event of `socket`, with chunks decoded as UTF-8. */
function logOf(socket: any): string[] {
  socket.setEncoding("utf8");
  return recordEvents(socket, EVENTS, fmt);
}

/** A pair whose server ends at once with "hi"; `serverLog()` is its socket's log so far. */
async function peerEndingWithHi(ctx: Ctx): Promise<{ client: any; accepted: Promise<any>; serverLog: () => string[] }> {
  let log: string[] = [];
  const { client, accepted } = await pair(ctx, {
    onServer: (s) => {
      log = logOf(s);
      s.end("hi");
    },
  });
  return { client, accepted, serverLog: () => log };
}

const cases: Case[] = [
  defineCase("half-close", "allowHalfOpen: a reset after the peer's FIN goes unnoticed until we write or end", async (ctx) => {
    // The server closes at once; the client's early write reaches a closed socket, which
    // answers with a reset, after the FIN. Node reads no more after the FIN: it does not
    // learn of the reset, and the socket stays writable until used.
    const server = await ctx.server((s) => s.destroy());
    const client = ctx.track(ctx.net.connect({ port: server.address().port, host: "127.0.0.1", allowHalfOpen: true }));
    const log = logOf(client);
    client.on("connect", () => client.write("x"));
    await once(client, "end");
    await delay(50);
    assert.deepEqual(log, ["connect", "ready", "end"]);
    assert.equal(client.destroyed, false);
    client.destroy();
    await closed(client);
    assert.deepEqual(log, ["connect", "ready", "end", "close:false"]);
  }),
  defineCase("half-close", "allowHalfOpen, after push(null): the peer's FIN, then a reset, go unnoticed until we write again", async (ctx) => {
    // Our own end first (push(null)); then the server closes, and our write reaches a
    // closed socket, whose kernel answers with a reset. Node reads no more after the FIN.
    const server = await ctx.server((s) => {
      s.on("error", () => {});
      s.destroy();
    });
    const client = ctx.track(ctx.net.connect({ port: server.address().port, host: "127.0.0.1", allowHalfOpen: true }));
    const log = logOf(client);
    await once(client, "connect");
    client.push(null);
    await once(client, "end");
    await delay(30);
    const written = new Promise((resolve) => client.write("x", (err: any) => resolve(err?.code ?? null)));
    assert.equal(await written, null);
    await delay(50);
    assert.deepEqual(log, ["connect", "ready", "end"]);
    assert.equal(client.destroyed, false);
    client.destroy();
    assert.equal(await closed(client), false);
  }),
  defineCase("half-close", "paused when the peer's FIN comes: a write after our end() is a write after end, not EPIPE", async (ctx) => {
    const { client, accepted } = await pair(ctx, { onServer: (s) => s.pipe(s) });
    client.on("error", () => {});
    await once(client, "connect");
    client.end("ef");
    client.pause();
    const peer = await accepted;
    await once(peer, "close"); // The echo and the FIN are on their way, or here: not read.
    await delay(20);
    const written = new Promise((resolve) => client.write("zz", (err: any) => resolve(err?.code)));
    assert.equal(await written, "ERR_STREAM_WRITE_AFTER_END");
    assert.equal(await closed(client), true);
  }),

  defineCase("half-close", "end() after the peer's FIN: `finish` comes after the other callbacks already due (a timer), and the ends still answer there", async (ctx) => {
    // Node's `finish` comes from the shutdown's completion, which libuv runs once the
    // callbacks due now are done: a timer due together with the one that calls end() runs
    // first, and the connection still reports its ends in it. (Not in a microtask right
    // after end(), ahead of them.)
    const { client } = await pair(ctx, { client: { allowHalfOpen: true }, onServer: (s) => s.end() });
    const order: string[] = [];
    client.on("finish", () => order.push("finish"));
    await once(client, "end");
    await new Promise<void>((resolve) => {
      setTimeout(() => {
        client.end();
        order.push("end()");
      }, 1);
      setTimeout(() => {
        order.push(`timer ${client.remoteAddress} ${client.localAddress}`);
        resolve();
      }, 2);
      // Both timers are due once the loop looks at them: one batch of callbacks. (A
      // synchronous 5 ms sleep; a busy loop on Date.now() is dropped by the bundler.)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    });
    assert.equal(await closed(client), false);
    assert.deepEqual(order, ["end()", "timer 127.0.0.1 127.0.0.1", "finish"]);
  }),

  defineCase("half-close", "allowHalfOpen false: after the peer's FIN we end our side", async (ctx) => {
    const { client, accepted } = await pair(ctx, { onServer: (s) => s.end("bye") });
    assert.equal(client.allowHalfOpen, false);
    const log = logOf(client);
    const states: string[] = [];
    client.on("end", () => states.push(`end:${client.readyState}`));
    client.on("finish", () => states.push(`finish:${client.readyState}`));
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(log, ["connect", "ready", "data:bye", "end", "finish", "close:false"]);
    // In the 'end' event we are still writable; our own end() follows by itself.
    assert.deepEqual(states, ["end:writeOnly", "finish:closed"]);
  }),

  defineCase("half-close", "allowHalfOpen true on the server: the reply after the client's FIN arrives", async (ctx) => {
    let serverLog: string[] = [];
    const states: string[] = [];
    const { client, accepted } = await pair(ctx, {
      server: { allowHalfOpen: true },
      onServer: (s) => {
        serverLog = logOf(s);
        states.push(`server allowHalfOpen:${s.allowHalfOpen}`);
        s.on("end", () => {
          states.push(`server end:${s.readyState}`);
          s.end("reply");
        });
      },
    });
    const clientLog = logOf(client);
    client.on("connect", () => {
      client.end("req");
      states.push(`client ended:${client.readyState}`);
    });
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(states, [
      "server allowHalfOpen:true",
      "client ended:readOnly",
      "server end:writeOnly",
    ]);
    assert.deepEqual(clientLog, ["connect", "ready", "finish", "data:reply", "end", "close:false"]);
    assert.deepEqual(serverLog, ["data:req", "end", "finish", "close:false"]);
  }),

  defineCase("half-close", "allowHalfOpen true on the client: it replies after the server's FIN", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, {
      client: { allowHalfOpen: true },
      onServer: (s) => {
        serverLog = logOf(s);
        s.end("hello");
      },
    });
    assert.equal(client.allowHalfOpen, true);
    const clientLog = logOf(client);
    const peer = await accepted;
    await once(client, "end");
    // Not ended automatically: still writable a while later.
    await delay(20);
    assert.equal(client.readyState, "writeOnly");
    assert.deepEqual(clientLog, ["connect", "ready", "data:hello", "end"]);
    client.end("reply");
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientLog, ["connect", "ready", "data:hello", "end", "finish", "close:false"]);
    assert.deepEqual(serverLog, ["finish", "data:reply", "end", "close:false"]);
  }),

  defineCase("half-close", "a write made at once reaches a peer that half-closes at once: the accepted socket's, in 'connection', while the client ends at 'connect'; the client's, at 'connect' (also bound to a local address), while the server ends in 'connection'", async (ctx) => {
    // The accepted socket writes before the client's FIN reaches it (Node's write goes to
    // the kernel inside the call); the FIN does not stop its bytes.
    let serverLog: string[] = [];
    const first = await pair(ctx, {
      onServer: (s) => {
        serverLog = logOf(s);
        s.write("hello");
      },
    });
    const clientLog = logOf(first.client);
    first.client.on("connect", () => first.client.end());
    await Promise.all([closed(first.client), closed(await first.accepted)]);
    assert.deepEqual(clientLog, ["connect", "ready", "finish", "data:hello", "end", "close:false"]);
    assert.deepEqual(serverLog, ["end", "finish", "close:false"]);

    // The other way round: the server ends in 'connection', the client writes at 'connect'.
    for (const local of [{}, { localAddress: "127.0.0.1" }]) {
      let peerLog: string[] = [];
      const { client, accepted } = await pair(ctx, {
        client: local,
        onServer: (s) => {
          peerLog = logOf(s);
          s.end();
        },
      });
      const log = logOf(client);
      client.on("connect", () => client.write("hello"));
      await Promise.all([closed(client), closed(await accepted)]);
      assert.deepEqual(log, ["connect", "ready", "end", "finish", "close:false"], JSON.stringify(local));
      assert.deepEqual(peerLog, ["finish", "data:hello", "end", "close:false"], JSON.stringify(local));
    }
  }),

  defineCase("half-close", "new Socket({ allowHalfOpen: true }) then connect(): still half-open", async (ctx) => {
    let serverLog: string[] = [];
    let accept!: (s: any) => void;
    const accepted = new Promise<any>((resolve) => (accept = resolve));
    const server = await ctx.server((s) => {
      serverLog = logOf(s);
      s.end("ping");
      accept(s);
    });
    const client = ctx.track(new ctx.net.Socket({ allowHalfOpen: true }));
    assert.equal(client.allowHalfOpen, true);
    const clientLog = logOf(client);
    client.connect(server.address().port, "127.0.0.1");
    client.on("end", () => setTimeout(() => client.end("pong"), 20));
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientLog, ["connect", "ready", "data:ping", "end", "finish", "close:false"]);
    assert.deepEqual(serverLog, ["finish", "data:pong", "end", "close:false"]);
  }),

  defineCase("half-close", "4-way close initiated by the client (both allowHalfOpen)", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, {
      server: { allowHalfOpen: true },
      client: { allowHalfOpen: true },
      onServer: (s) => {
        serverLog = logOf(s);
        s.on("end", () => s.end("bye"));
      },
    });
    const clientLog = logOf(client);
    client.on("connect", () => client.end("hi"));
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientLog, ["connect", "ready", "finish", "data:bye", "end", "close:false"]);
    assert.deepEqual(serverLog, ["data:hi", "end", "finish", "close:false"]);
  }),

  defineCase("half-close", "4-way close initiated by the server (both allowHalfOpen)", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, {
      server: { allowHalfOpen: true },
      client: { allowHalfOpen: true },
      onServer: (s) => {
        serverLog = logOf(s);
        s.end("hi");
      },
    });
    const clientLog = logOf(client);
    client.on("end", () => client.end("bye"));
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientLog, ["connect", "ready", "data:hi", "end", "finish", "close:false"]);
    assert.deepEqual(serverLog, ["finish", "data:bye", "end", "close:false"]);
  }),

  defineCase("half-close", "a half-open socket stays open until it ends its own side", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, {
      server: { allowHalfOpen: true },
      onServer: (s) => (serverLog = logOf(s)),
    });
    const clientLog = logOf(client);
    client.on("connect", () => client.end("x"));
    const peer = await accepted;
    await Promise.all([once(peer, "end"), once(client, "finish")]);
    await delay(50);
    assert.deepEqual(serverLog, ["data:x", "end"]);
    assert.deepEqual(clientLog, ["connect", "ready", "finish"]);
    assert.equal(peer.readyState, "writeOnly");
    assert.equal(client.readyState, "readOnly");
    assert.equal(peer.destroyed, false);
    assert.equal(client.destroyed, false);
    peer.end();
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(serverLog, ["data:x", "end", "finish", "close:false"]);
    assert.deepEqual(clientLog, ["connect", "ready", "finish", "end", "close:false"]);
  }),

  defineCase("half-close", "end() while connecting: data and FIN go out once connected", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, { onServer: (s) => (serverLog = logOf(s)) });
    const clientLog = logOf(client);
    client.end("early");
    assert.equal(client.readyState, "opening");
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientLog, ["connect", "ready", "finish", "end", "close:false"]);
    assert.deepEqual(serverLog, ["data:early", "end", "finish", "close:false"]);
  }),

  defineCase("half-close", "end() flushes every queued byte before the FIN", async (ctx) => {
    let got!: Promise<Uint8Array>;
    const { client, accepted } = await pair(ctx, { onServer: (s) => (got = readAll(s)) });
    await once(client, "connect");
    const data = new Uint8Array(8 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i ^ (i >> 11)) & 0xff;
    client.write(data.subarray(0, 3 << 20));
    client.write(data.subarray(3 << 20, 5 << 20));
    client.end(data.subarray(5 << 20));
    await accepted;
    const received = await got;
    assert.equal(received.byteLength, data.byteLength);
    assert.deepEqual(received, data);
    await once(client, "close");
  }),

  defineCase("half-close", "write after our end(): ERR_STREAM_WRITE_AFTER_END", async (ctx) => {
    const { client, accepted } = await pair(ctx, { onServer: (s) => s.resume() });
    await once(client, "connect");
    await accepted;
    const log = recordEvents(client, ["error", "finish", "close"], fmt);
    const errors: any[] = [];
    client.on("error", (e: any) => errors.push(e));
    client.end();
    let cbErr: any;
    const ret = client.write("x", (err: any) => {
      cbErr = err;
      log.push(`cb:${err?.code}`);
    });
    assert.equal(ret, false);
    // The socket is destroyed synchronously; the callback and 'error' come later.
    assert.equal(client.destroyed, true);
    assert.deepEqual([...log], []);
    await closed(client);
    assert.deepEqual(log, ["cb:ERR_STREAM_WRITE_AFTER_END", "error:ERR_STREAM_WRITE_AFTER_END", "close:true"]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0], cbErr);
    assert.ok(isA(errors[0], Error));
    assert.equal(errors[0].name, "Error");
    assert.equal(errors[0].message, "write after end");
  }),

  defineCase("half-close", "write after the peer's FIN (allowHalfOpen false): EPIPE", async (ctx) => {
    const { client } = await pair(ctx, { onServer: (s) => s.end() });
    const log = recordEvents(client, ["end", "error", "finish", "close"], fmt);
    const errors: any[] = [];
    client.on("error", (e: any) => errors.push(e));
    client.resume();
    await once(client, "end");
    // By now (any promise continuation after 'end') our side has been ended automatically
    // (neither readable nor writable), but the socket is not closed yet.
    assert.equal(client.readyState, "closed");
    assert.equal(client.destroyed, false);
    let cbErr: any;
    const ret = client.write("x", (err: any) => {
      cbErr = err;
      log.push(`cb:${err?.code}`);
    });
    assert.equal(ret, false);
    assert.equal(client.destroyed, true);
    await closed(client);
    assert.deepEqual(log, ["end", "cb:EPIPE", "error:EPIPE", "close:true"]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0], cbErr);
    assert.ok(isA(errors[0], Error));
    assert.equal(errors[0].code, "EPIPE");
    assert.equal(errors[0].message, "This socket has been ended by the other party");
    // Generated by the socket itself, not by a system call.
    assert.equal(errors[0].syscall, undefined);
    assert.equal(errors[0].errno, undefined);
  }),

  defineCase("half-close", "allowHalfOpen false: a write inside the 'end' listener still goes out", async (ctx) => {
    const { client, accepted, serverLog } = await peerEndingWithHi(ctx);
    const clientLog = logOf(client);
    let ret: unknown;
    client.on("end", () => (ret = client.write("late")));
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.equal(ret, true);
    assert.deepEqual(clientLog, ["connect", "ready", "data:hi", "end", "finish", "close:false"]);
    assert.deepEqual(serverLog(), ["finish", "data:late", "end", "close:false"]);
  }),

  defineCase("half-close", "allowHalfOpen false: our side ends a tick after 'end' (Node's endWritableNT), so a write from a tick an 'end' listener queued still goes out (node:tls over a socket sends its close_notify so)", async (ctx) => {
    const tick = (globalThis as any).process.nextTick as (fn: () => void) => void;
    const { client, accepted, serverLog } = await peerEndingWithHi(ctx);
    const clientLog = logOf(client);
    const seen: unknown[] = [];
    client.on("end", () => {
      seen.push(client.writableEnded);
      tick(() => {
        seen.push(client.writableEnded);
        seen.push(client.write("late", (err: any) => seen.push(`cb:${err?.code ?? err}`)));
      });
    });
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(seen, [false, false, true, "cb:null"]);
    assert.equal(client.writableEnded, true);
    assert.deepEqual(clientLog, ["connect", "ready", "data:hi", "end", "finish", "close:false"]);
    assert.deepEqual(serverLog(), ["finish", "data:late", "end", "close:false"]);
  }),

  defineCase("half-close", "end() after the peer's FIN: the reply, then our FIN; the ends answer until close", async (ctx) => {
    // Both directions are then done. Whatever a runtime does to close the connection, the
    // peer must read every byte and then its end, and the addresses (never asked before)
    // must still answer after end() and in 'finish', as Node's handle does until destroy.
    const seen: string[] = [];
    const { server, client, accepted } = await pair(ctx, {
      server: { allowHalfOpen: true },
      onServer: (s) => {
        s.resume();
        s.on("end", () => {
          s.end("reply", () => seen.push(`end callback:${s.remotePort}`));
          seen.push(`after end():${s.remoteAddress}:${s.remotePort}`);
        });
        s.on("finish", () => seen.push(`finish:${s.remoteAddress}:${s.remotePort}:${s.localPort}`));
        // Once asked, Node keeps the peer's address past close.
        s.on("close", () => seen.push(`close:${s.remotePort}`));
      },
    });
    const clientLog = logOf(client);
    let port: unknown;
    client.on("connect", () => {
      port = client.localPort;
      client.end("request");
    });
    const peer = await accepted;
    await Promise.all([closed(client), closed(peer)]);
    assert.ok(typeof port === "number" && port > 0);
    assert.deepEqual(seen, [
      `after end():127.0.0.1:${port}`,
      `end callback:${port}`,
      `finish:127.0.0.1:${port}:${server.address().port}`,
      `close:${port}`,
    ]);
    assert.deepEqual(clientLog.filter((e) => e.startsWith("data") || e === "end"), ["data:reply", "end"]);
    assert.equal(clientLog.at(-1), "close:false");
  }),

  defineCase("half-close", "end() after 'finish': ERR_STREAM_ALREADY_FINISHED to the callback only", async (ctx) => {
    const { client, accepted } = await pair(ctx, {
      server: { allowHalfOpen: true },
      onServer: (s) => s.resume(),
    });
    await once(client, "connect");
    await accepted;
    const log = recordEvents(client, ["error", "finish", "close"], fmt);
    const calls: string[] = [];
    client.end(() => calls.push("first"));
    client.end((err: any) => calls.push(`second:${err}`));
    await once(client, "finish");
    let lateErr: any;
    const ret = client.end((err: any) => (lateErr = err));
    assert.equal(ret, client);
    await delay(20);
    assert.deepEqual(calls, ["first", "second:null"]);
    assert.ok(isA(lateErr, Error));
    assert.equal(lateErr.code, "ERR_STREAM_ALREADY_FINISHED");
    assert.equal(lateErr.message, "Cannot call end after a stream was finished");
    // Not an 'error' event, and the socket is not destroyed.
    assert.deepEqual(log, ["finish"]);
    assert.equal(client.destroyed, false);
  }),
];

export default cases;
