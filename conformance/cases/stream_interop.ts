/**
 * node:stream's helpers over a socket. `finished()` and `pipeline()` decide whether a stream
 * is readable, writable or both, and whether it ended, finished or closed early, from its
 * `_readableState` and `_writableState`; libraries built for node:net read a few of those
 * fields too (`ws`: `endEmitted` and `length` when its socket closes). A socket must look
 * to them like node:net's Duplex: done once both sides are, an early close a premature one.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { finished, PassThrough, pipeline, Readable, Transform } from "node:stream";
import { defineCase, delay, once } from "../harness.ts";
import { closed, connected, textSink } from "./_shared.ts";
import type { Case } from "../harness.ts";

/** finished(socket) as a promise of its error's code (`"ok"` without one). */
function finishedCode(socket: any): Promise<string> {
  return new Promise((resolve) => finished(socket, (err: any) => resolve(err ? String(err.code) : "ok")));
}

const cases: Case[] = [
  defineCase("lifecycle", "stream.finished(socket) calls back once both sides are done: our 'finish' first, then the peer's end", async (ctx) => {
    const { client, peer } = await connected(ctx, {
      server: { allowHalfOpen: true },
      client: { allowHalfOpen: true },
    });
    const log: string[] = [];
    for (const e of ["finish", "end", "close"]) client.on(e, () => log.push(e));
    const done = finishedCode(client).then((code) => log.push(`finished:${code}`));
    client.resume();
    peer.resume();
    client.end("x");
    await once(client, "finish");
    await once(peer, "end");
    peer.end("bye");
    await done;
    await closed(client);
    assert.deepEqual(log, ["finish", "end", "finished:ok", "close"]);
  }),

  defineCase("lifecycle", "stream.finished(socket): destroy() before the end is a premature close, destroy(err) that error", async (ctx) => {
    const { client } = await connected(ctx);
    const early = finishedCode(client);
    client.destroy();
    assert.equal(await early, "ERR_STREAM_PREMATURE_CLOSE");

    const { client: other } = await connected(ctx);
    other.on("error", () => {});
    const failed = finishedCode(other);
    other.destroy(Object.assign(new Error("boom"), { code: "EBOOM" }));
    assert.equal(await failed, "EBOOM");
  }),

  defineCase("lifecycle", "stream.finished(socket) on a socket already closed calls back at once (ok if both sides ended)", async (ctx) => {
    const server = await ctx.server((s: any) => {
      s.resume();
      s.on("end", () => s.end());
    });
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    client.resume();
    client.end();
    await closed(client);
    assert.equal(await finishedCode(client), "ok");
  }),

  defineCase("lifecycle", "stream.pipeline(socket, writable): the socket's data into the writable, done at the socket's end", async (ctx) => {
    const server = await ctx.server((s: any) => {
      s.write("abc");
      setTimeout(() => s.end("def"), 5);
    });
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const sink = textSink();
    await new Promise<void>((resolve, reject) => pipeline(client, sink, (err) => err ? reject(err) : resolve()));
    assert.equal(sink.text(), "abcdef");
    assert.equal(sink.writableFinished, true);
  }),

  defineCase("lifecycle", "_readableState and _writableState show Node's values: ended and endEmitted, finished, errored and errorEmitted, closed, no object mode", async (ctx) => {
    const { client, peer } = await connected(ctx, { client: { allowHalfOpen: true } });
    const r = client._readableState;
    const w = client._writableState;
    const fields = () => ({
      ended: r.ended, endEmitted: r.endEmitted, length: r.length, rErrored: r.errored,
      finished: w.finished, ending: w.ending, wErrored: w.errored,
      errorEmitted: r.errorEmitted || w.errorEmitted, closed: r.closed || w.closed,
    });
    assert.equal(r.objectMode, false);
    assert.equal(w.objectMode, false);
    assert.equal(r.autoDestroy && w.autoDestroy, true);
    assert.deepEqual(fields(), {
      ended: false, endEmitted: false, length: 0, rErrored: null,
      finished: false, ending: false, wErrored: null, errorEmitted: false, closed: false,
    });
    client.resume();
    peer.end("bye");
    await once(client, "end");
    assert.deepEqual(fields(), {
      ended: true, endEmitted: true, length: 0, rErrored: null,
      finished: false, ending: false, wErrored: null, errorEmitted: false, closed: false,
    });
    client.end();
    await once(client, "finish");
    assert.equal(w.finished, true);
    assert.equal(w.ending, true);
    await closed(client);
    assert.equal(r.closed && w.closed, true);

    const { client: other } = await connected(ctx);
    const err = Object.assign(new Error("boom"), { code: "EBOOM" });
    other.on("error", () => {});
    other.destroy(err);
    assert.equal(other._readableState.errored, err);
    assert.equal(other._writableState.errored, err);
    assert.equal(other._readableState.closed, true);
    await once(other, "error");
    assert.equal(other._readableState.errorEmitted, true);
  }),

  defineCase("lifecycle", "pipe(): a socket that already ended ends its destination (a tick later); with end: false it unpipes at its end; process.stdout is never ended", async (ctx) => {
    const server = await ctx.server((s: any) => s.end());
    const port = server.address().port;
    const ended = ctx.track(ctx.net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }));
    ended.resume();
    await once(ended, "end");
    const late = new PassThrough();
    late.resume();
    assert.equal(ended.pipe(late), late);
    assert.equal(late.writableEnded, false); // not inside pipe()
    await once(late, "finish");

    const kept = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    const open = new PassThrough();
    const log: string[] = [];
    open.on("unpipe", (src: unknown) => log.push(`unpipe:${src === kept}`));
    kept.pipe(open, { end: false });
    await once(kept, "end");
    await delay(5);
    assert.deepEqual(log, ["unpipe:true"]);
    assert.equal(open.writableEnded, false);

    const toStdout = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    const stdout = process.stdout as any;
    const end = stdout.end;
    let endedStdout = false;
    stdout.end = () => (endedStdout = true);
    try {
      toStdout.pipe(process.stdout); // nothing is written: the server sends nothing
      await closed(toStdout);
      await delay(5);
    } finally {
      stdout.end = end;
    }
    assert.equal(endedStdout, false);
  }),

  defineCase("backpressure", "_writableState.needDrain stays true once ending, where writableNeedDrain says false (no 'drain' comes then), as node:http reads it", async (ctx) => {
    const { client } = await connected(ctx, {
      server: { pauseOnConnect: true },
      onServer: (s) => s.on("error", () => {}),
    });
    client.on("error", () => {});
    assert.equal(client.write(new Uint8Array(4 * 1024 * 1024)), false);
    assert.equal(client._writableState.needDrain, true);
    assert.equal(client.writableNeedDrain, true);
    client.end();
    assert.equal(client._writableState.needDrain, true);
    assert.equal(client.writableNeedDrain, false);
    client.destroy();
    assert.equal(client._writableState.needDrain, true);
    await closed(client);
  }),

  defineCase("lifecycle", "Readable's operators on a socket (node:stream's): toArray, map, filter, flatMap, forEach, reduce, some, every, find, compose", async (ctx) => {
    // Three writes, then the end: the operators see them (chunk boundaries are the reads').
    const server = await ctx.server((s) => {
      s.write("ab");
      setTimeout(() => s.write("cd"), 5);
      setTimeout(() => s.end("ef"), 10);
    });
    const port = server.address().port;
    const open = () => {
      const socket = ctx.track(ctx.net.connect(port, "127.0.0.1"));
      socket.setEncoding("utf8");
      return socket;
    };
    assert.equal((await open().toArray()).join(""), "abcdef");
    const mapped = open().map((text: string) => text.toUpperCase());
    assert.ok(mapped instanceof Readable);
    assert.equal((await mapped.toArray()).join(""), "ABCDEF");
    assert.equal((await open().filter(() => true).toArray()).join(""), "abcdef");
    assert.equal((await open().flatMap((text: string) => [...text]).toArray()).join(""), "abcdef");
    let seen = "";
    assert.equal(await open().forEach((text: string) => void (seen += text)), undefined);
    assert.equal(seen, "abcdef");
    assert.equal(await open().reduce((n: number, text: string) => n + text.length, 0), 6);
    assert.equal(await open().some((text: string) => text.includes("f")), true);
    assert.equal(await open().every((text: string) => typeof text === "string"), true);
    assert.match(await open().find((text: string) => text.includes("e")), /e/);
    const upper = new Transform({
      transform(chunk, _encoding, done) {
        done(null, String(chunk).toUpperCase());
      },
    });
    assert.equal((await open().compose(upper).toArray()).join(""), "ABCDEF");
  }),

  defineCase("lifecycle", "Readable's take() and drop() on a socket; take() destroys it once it has its chunks; an aborted signal rejects with an AbortError", async (ctx) => {
    const server = await ctx.server((s) => s.end("ab"));
    const port = server.address().port;
    const open = () => ctx.track(ctx.net.connect(port, "127.0.0.1"));
    const taking = open();
    const taken = await taking.take(1).toArray();
    assert.equal(taken.length, 1);
    assert.equal(String(taken[0]), "ab");
    await closed(taking);
    assert.equal(taking.destroyed, true);
    assert.deepEqual(await open().drop(1).toArray(), []);
    assert.equal((await open().drop(0).toArray()).map(String).join(""), "ab");

    // node:stream's toArray() looks at its signal when a chunk comes: the server sends one
    // once the signal was aborted.
    const onAsk = await ctx.server((s) => s.once("data", () => s.write("late")));
    const waiting = ctx.track(ctx.net.connect(onAsk.address().port, "127.0.0.1"));
    const controller = new AbortController();
    const reading = waiting.toArray({ signal: controller.signal });
    await once(waiting, "connect");
    controller.abort();
    waiting.write("go");
    await assert.rejects(reading, (err: any) => err.name === "AbortError");
    await closed(waiting);
    assert.equal(waiting.destroyed, true);
  }),
];

export default cases;
