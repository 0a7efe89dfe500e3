// deno-lint-ignore-file no-explicit-any
/**
 * Events and callbacks as awaiting code sees them. Node defers a socket's callbacks and
 * events with `process.nextTick`, which, called from a promise's continuation (code after
 * an `await`), runs only once the continuations already queued have run. So code that
 * calls `destroy(err)` and then awaits something still has time to add its `error`
 * listener; a deferral as a microtask would emit `error` before that and crash the program.
 *
 * @module
 */
import assert from "node:assert/strict";
import { closedPort, defineCase, delay, once } from "../harness.ts";
import { closed, connected } from "./_shared.ts";
import type { Case } from "../harness.ts";

/** Two turns of awaiting code, each logged. */
async function twoAwaits(log: string[]): Promise<void> {
  await null;
  log.push("a1");
  await null;
  log.push("a2");
}

const cases: Case[] = [
  defineCase("lifecycle", "from awaiting code, destroy(err): 'error' and 'close' come after the code's own continuations, so an 'error' listener added after an await still gets it", async (ctx) => {
    const { client } = await connected(ctx);
    const log: string[] = [];
    const closedNow = closed(client);
    client.destroy(new Error("boom"));
    await null;
    log.push("a1");
    // The usual shape: the listener is added by code that awaited something first.
    client.on("error", (err: Error) => log.push(`error:${err.message}`));
    client.on("close", (hadError: boolean) => log.push(`close:${hadError}`));
    await null;
    log.push("a2");
    await closedNow;
    assert.deepEqual(log, ["a1", "a2", "error:boom", "close:true"]);
  }),

  defineCase("lifecycle", "from awaiting code, a write's callback comes after the code's own continuations", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.resume();
    const log: string[] = [];
    const written = new Promise<void>((resolve) =>
      client.write("x", (err?: Error | null) => {
        log.push(`write:${err ?? "ok"}`);
        resolve();
      })
    );
    await twoAwaits(log);
    await written;
    assert.deepEqual(log, ["a1", "a2", "write:ok"]);
  }),

  defineCase("lifecycle", "from awaiting code, write() after destroy(): ERR_STREAM_DESTROYED after the code's own continuations", async (ctx) => {
    const { client } = await connected(ctx);
    const log: string[] = [];
    client.destroy();
    const called = new Promise<void>((resolve) =>
      client.write("x", (err?: any) => {
        log.push(`write:${err?.code}`);
        resolve();
      })
    );
    await twoAwaits(log);
    await called;
    assert.deepEqual(log, ["a1", "a2", "write:ERR_STREAM_DESTROYED"]);
  }),

  defineCase("lifecycle", "from awaiting code, a write to a socket that never connected: its callback, 'error' and 'close' after the code's own continuations", async (ctx) => {
    // What follows runs as awaiting code does: in a promise's continuation.
    await null;
    const socket = ctx.track(new ctx.net.Socket());
    const log: string[] = [];
    socket.on("error", (err: any) => log.push(`error:${err.code}`));
    const closedNow = closed(socket);
    socket.write("x", (err?: any) => log.push(`write:${err?.code}`));
    await twoAwaits(log);
    await closedNow;
    assert.deepEqual(log, ["a1", "a2", "write:ERR_SOCKET_CLOSED", "error:ERR_SOCKET_CLOSED"]);
  }),

  defineCase("lifecycle", "from awaiting code, connect() with an aborted signal: the AbortError after the code's own continuations", async (ctx) => {
    const port = await closedPort(ctx);
    const controller = new AbortController();
    controller.abort();
    const log: string[] = [];
    const socket = ctx.track(ctx.net.connect({ port, host: "127.0.0.1", signal: controller.signal }));
    const closedNow = closed(socket);
    await null;
    log.push("a1");
    socket.on("error", (err: Error) => log.push(`error:${err.name}`));
    await null;
    log.push("a2");
    await closedNow;
    assert.deepEqual(log, ["a1", "a2", "error:AbortError"]);
  }),

  defineCase("lifecycle", "from awaiting code, end() on a socket that never connected: its callback and 'finish' after the code's own continuations", async (ctx) => {
    // What follows runs as awaiting code does: in a promise's continuation.
    await null;
    const socket = ctx.track(new ctx.net.Socket());
    const log: string[] = [];
    socket.on("finish", () => log.push("finish"));
    const finished = new Promise<void>((resolve) =>
      socket.end(() => {
        log.push("end");
        resolve();
      })
    );
    await twoAwaits(log);
    await finished;
    assert.deepEqual(log, ["a1", "a2", "end", "finish"]);
  }, { requires: ["node22"] }),

  defineCase("lifecycle", "from awaiting code, resume(): 'resume' and the buffered chunks after the code's own continuations", async (ctx) => {
    // What follows runs as awaiting code does: in a promise's continuation.
    await null;
    const socket = ctx.track(new ctx.net.Socket());
    const log: string[] = [];
    socket.pause();
    socket.push("x");
    socket.on("resume", () => log.push("resume"));
    socket.on("data", (chunk: any) => log.push(`data:${chunk}`));
    const emitted = once(socket, "data");
    socket.resume();
    await twoAwaits(log);
    await emitted;
    socket.destroy();
    assert.deepEqual(log, ["a1", "a2", "resume", "data:x"]);
  }),

  defineCase("lifecycle", "inside async 'connect' and 'connection' listeners, what they defer with process.nextTick (the socket's 'resume' too) runs before their code after an await: Node emits both from an I/O callback", async (ctx) => {
    const tick = (globalThis as any).process.nextTick as (fn: () => void) => void;
    /** A listener as code is written: some calls, then an await. */
    const listener = (socket: any, log: string[], done: () => void) => async () => {
      socket.on("resume", () => log.push("resume"));
      socket.resume();
      tick(() => log.push("tick"));
      await null;
      log.push("await");
      done();
    };
    const peerLog: string[] = [];
    let peerDone!: () => void;
    const peerRan = new Promise<void>((resolve) => (peerDone = resolve));
    const server = await ctx.server((peer: any) => listener(peer, peerLog, peerDone)());
    const clientLog: string[] = [];
    let clientDone!: () => void;
    const clientRan = new Promise<void>((resolve) => (clientDone = resolve));
    const client = ctx.track(new ctx.net.Socket());
    client.on("connect", listener(client, clientLog, clientDone));
    client.connect(server.address().port, "127.0.0.1");
    await Promise.all([peerRan, clientRan]);
    await delay(10);
    // Deno reports connects and accepts through promises only: there the listener's own
    // continuation runs first, as with Deno's node:net (README, Timing).
    const expected = ctx.env.runtime === "deno" ? ["await", "resume", "tick"] : ["resume", "tick", "await"];
    assert.deepEqual(clientLog, expected, "client, 'connect'");
    assert.deepEqual(peerLog, expected, "server, 'connection'");
    client.end();
  }),

  defineCase("lifecycle", "inside an async 'lookup' listener, what it defers with process.nextTick runs before its code after an await where the runtime's resolver calls back from I/O (Node)", async (ctx) => {
    const tick = (globalThis as any).process.nextTick as (fn: () => void) => void;
    const server = await ctx.server((peer: any) => peer.end());
    const log: string[] = [];
    let done!: () => void;
    const ran = new Promise<void>((resolve) => (done = resolve));
    const client = ctx.track(ctx.net.connect({ port: server.address().port, host: "localhost", family: 4 }));
    client.on("lookup", async () => {
      tick(() => log.push("tick"));
      await null;
      log.push("await");
      done();
    });
    client.resume();
    await ran;
    await closed(client);
    // Deno and Bun resolve names through promises only (as their own node:net does).
    const expected = ctx.env.runtime === "node" ? ["tick", "await"] : ["await", "tick"];
    assert.deepEqual(log, expected);
  }),
];

export default cases;
