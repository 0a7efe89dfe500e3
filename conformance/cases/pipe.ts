/**
 * pipe() and unpipe() as node:stream's Readable does them on a socket: each destination is
 * unpiped at its `finish`, `close` or `error`, the source pauses once none is left, a
 * source piped into several destinations waits for every one that asked to wait, and a
 * destination that already waits for `drain` pauses the source at once.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { defineCase, once } from "../harness.ts";
import { connected, textSink, until } from "./_shared.ts";
import type { Case } from "../harness.ts";

/**
 * A Writable that holds every write's callback until `release()`: with a high-water mark
 * of 1 its write() returns `false` at once, and `drain` comes only once released.
 */
function heldSink(): Writable & { release(): void; text(): string } {
  let got = "";
  let held: Array<() => void> = [];
  const sink = new Writable({
    highWaterMark: 1,
    write(chunk, _encoding, callback) {
      got += chunk;
      held.push(callback);
    },
  });
  const release = () => {
    const callbacks = held;
    held = [];
    for (const cb of callbacks) cb();
  };
  return Object.assign(sink, { release, text: () => got });
}

const cases: Case[] = [
  defineCase("lifecycle", "pipe(): the destination's 'finish' (at our end) unpipes it, with 'unpipe' (source); then the source is paused, no pipe left", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const sink = textSink();
    const log: string[] = [];
    sink.on("finish", () => log.push("finish"));
    sink.on("unpipe", (source: any) => log.push(`unpipe:${source === client}`));
    assert.equal(client.pipe(sink), sink);
    assert.equal(client._readableState.pipes.length, 1);
    peer.end("bye");
    await once(client, "end");
    await until(() => log.length === 2, "the destination finishes and is unpiped");
    assert.deepEqual(log, ["finish", "unpipe:true"]);
    assert.equal(sink.text(), "bye");
    assert.equal(client.readableFlowing, false, "paused once no destination is left");
    assert.equal(client._readableState.pipes.length, 0);
  }),

  defineCase("lifecycle", "pipe(): a destination destroyed ('close') or failing ('error') is unpiped; the source pauses and writes no more to it", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const closing = textSink();
    const failing = textSink();
    const log: string[] = [];
    closing.on("unpipe", () => log.push("unpipe closing"));
    failing.on("unpipe", () => log.push("unpipe failing"));
    failing.on("error", (err: any) => log.push(`error ${err.code}`));
    client.pipe(closing);
    client.pipe(failing);
    peer.write("one");
    await until(() => closing.text() === "one" && failing.text() === "one", "both get the first bytes");
    closing.destroy();
    await until(() => log.length === 1, "the closed destination is unpiped");
    assert.equal(client.readableFlowing, true, "still piped into the other one");
    failing.destroy(Object.assign(new Error("sink broke"), { code: "ESINK" }));
    await until(() => log.length === 3, "the failing destination is unpiped, and its error emitted");
    assert.deepEqual(log, ["unpipe closing", "unpipe failing", "error ESINK"]);
    assert.equal(client.readableFlowing, false, "no destination left: paused");
    peer.write("two");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(closing.text(), "one");
    assert.equal(failing.text(), "one");
    assert.equal(client.readableLength, 3, "the rest waits in the socket");
  }),

  defineCase("backpressure", "pipe() into two destinations: the source waits until every destination that returned false has drained", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const a = heldSink();
    const b = heldSink();
    client.pipe(a);
    client.pipe(b);
    peer.write("x");
    await until(() => a.text() === "x" && b.text() === "x", "both destinations get the chunk");
    assert.equal(client.isPaused(), true, "both asked to wait");
    const aDrained = once(a, "drain");
    a.release(); // (its `drain` comes inside release())
    await aDrained;
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(client.readableFlowing, false, "one destination drained, the other not yet");
    const bDrained = once(b, "drain");
    b.release();
    await bDrained;
    assert.equal(client.readableFlowing, true, "both drained: flowing again");
    peer.write("y");
    await until(() => a.text() === "xy" && b.text() === "xy", "the next chunk reaches both");
  }),

  defineCase("backpressure", "pipe() into a destination already waiting for 'drain' pauses the source until it drains", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const sink = heldSink();
    assert.equal(sink.write("held"), false);
    assert.equal(sink.writableNeedDrain, true);
    client.pipe(sink);
    assert.equal(client.readableFlowing, false, "paused at once");
    peer.write("x");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(sink.text(), "held", "nothing piped while the destination waits");
    assert.equal(client.readableLength, 1);
    const drained = once(sink, "drain");
    sink.release();
    await drained;
    assert.equal(client.readableFlowing, true, "flowing at the destination's drain");
    await until(() => sink.text() === "heldx", "what waited is piped");
  }),
];

export default cases;
