/**
 * `for await (const chunk of socket)` as node:stream's iterator does it: it reads in paused
 * mode (the socket is not flowing meanwhile, and pause() or resume() do not stop it), and
 * when the loop is over the socket is destroyed: with an `AbortError` when the loop was
 * left while a side was still open, without an error after the peer's end, and not at all
 * when the socket is half-open and still writable (Node 24).
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { defineCase, delay, once } from "../harness.ts";
import { closed, connected, until } from "./_shared.ts";
import type { Case } from "../harness.ts";

const cases: Case[] = [
  defineCase("lifecycle", "breaking out of for await on an open socket destroys it with an AbortError: 'error' (to the iterator's own listener when nobody listens), then close(true)", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.write("first");
    for await (const chunk of client) {
      assert.equal(String(chunk), "first");
      break;
    }
    assert.equal(client.destroyed, true);
    assert.equal(client.errored?.name, "AbortError");
    assert.equal(client.errored?.code, "ABORT_ERR");
    // No `error` listener of ours: the iterator's takes it, nothing is thrown.
    assert.equal(await closed(client), true, "close(hadError)");

    const second = await connected(ctx);
    const log: string[] = [];
    second.client.on("error", (err: any) => log.push(`error ${err.name} ${err.message}`));
    second.client.on("close", (hadError: boolean) => log.push(`close ${hadError}`));
    second.peer.write("again");
    second.client.end(); // our side ended, the peer's not: still unfinished
    for await (const _ of second.client) break;
    await closed(second.client);
    assert.deepEqual(log, ["error AbortError The operation was aborted", "close true"]);
  }),

  defineCase("lifecycle", "for await to the peer's end destroys the socket without an error, right after the loop (before our own end's 'finish')", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log: string[] = [];
    for (const e of ["end", "finish"]) client.on(e, () => log.push(e));
    client.on("error", (err: any) => log.push(`error ${err.code}`));
    peer.end("all");
    let got = "";
    for await (const chunk of client) got += chunk;
    log.push(`loop over, destroyed ${client.destroyed}`);
    assert.equal(await closed(client), false, "close without an error");
    assert.equal(got, "all");
    assert.deepEqual(log, ["end", "loop over, destroyed true"]);
  }),

  defineCase("half-close", "for await to the peer's end on a half-open socket still writable keeps it open: we can still write, then end", async (ctx) => {
    const { client, peer } = await connected(ctx, { client: { allowHalfOpen: true } });
    let answer = "";
    peer.on("data", (d: any) => (answer += d));
    peer.end("question");
    let got = "";
    for await (const chunk of client) got += chunk;
    assert.equal(got, "question");
    assert.equal(client.destroyed, false);
    assert.equal(client.writable, true);
    const peerEnded = once(peer, "end");
    const clientClosed = closed(client);
    client.end("answer");
    await peerEnded;
    assert.equal(answer, "answer");
    assert.equal(await clientClosed, false);
  }, { requires: ["node24"] }), // (Node 20 and 22 destroy this socket at the loop's end too, with an AbortError)

  defineCase("lifecycle", "for await: push(null) while the loop waits ends it (no error); over a socket closed after push(null), with nothing left to read, the loop just ends (and an end destroyed before it was read is not emitted)", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.write("first");
    const got: string[] = [];
    const closing1 = closed(client);
    let over = false;
    void (async () => {
      for await (const chunk of client) {
        got.push(String(chunk));
        // While the loop waits for more (the iterator's `readable` listener reads it).
        setTimeout(() => client.push(null), 10);
      }
      over = true;
    })();
    await until(() => over, "the loop ends at the pushed end");
    assert.deepEqual(got, ["first"]);
    assert.equal(client.readableEnded, true);
    assert.equal(await closing1, false);

    const second = await connected(ctx);
    second.client.push(null);
    second.client.destroy();
    let chunks = 0;
    for await (const _ of second.client) chunks++;
    assert.equal(chunks, 0);
    assert.equal(second.client.errored, null);

    // push(null) and destroy() while the loop waits: the end is never read (no `end`), and
    // the loop ends at the close.
    const third = await connected(ctx);
    const events: string[] = [];
    third.client.on("end", () => events.push("end"));
    const closing = closed(third.client);
    const loop = (async () => {
      let n = 0;
      for await (const _ of third.client) n++;
      return n;
    })();
    third.client.push(null);
    third.client.destroy();
    assert.equal(await loop, 0);
    assert.equal(await closing, false);
    assert.deepEqual(events, []);
  }),

  defineCase("errors", "for await over a socket destroyed with an error whose 'error' has not come yet: the loop throws it after the 'error' event; destroyed without one, it throws ERR_STREAM_PREMATURE_CLOSE before the 'close'", async (ctx) => {
    const { client } = await connected(ctx);
    const log: string[] = [];
    client.on("error", (err: any) => log.push(`error ${err.code}`));
    client.destroy(Object.assign(new Error("boom"), { code: "EBOOM" }));
    try {
      for await (const _ of client) log.push("chunk");
      log.push("loop ended");
    } catch (err: any) {
      log.push(`loop threw ${err.code}`);
    }
    assert.deepEqual(log, ["error EBOOM", "loop threw EBOOM"]);

    // Destroyed without an error: cut off, told before the `close` to come.
    const second = await connected(ctx);
    const order: string[] = [];
    second.client.on("close", () => order.push("close"));
    second.client.destroy();
    try {
      for await (const _ of second.client) order.push("chunk");
    } catch (err: any) {
      order.push(`loop threw ${err.code}`);
    }
    await until(() => order.includes("close"), "the close");
    assert.deepEqual(order, ["loop threw ERR_STREAM_PREMATURE_CLOSE", "close"]);
  }),

  defineCase("lifecycle", "for await begun on a socket whose end was pushed (nothing buffered) ends, even when the socket fails right after: Node 24's end-of-stream judged it over at the start", async (ctx) => {
    const { client } = await connected(ctx);
    const log: string[] = [];
    client.on("error", (err: any) => log.push(`error ${err.code}`));
    client.push(null);
    client.end();
    const loop = (async () => {
      let n = 0;
      for await (const _ of client) n++;
      return `ended ${n}`;
    })().catch((err: any) => `threw ${err.code}`);
    client.write("late"); // after end(): the socket fails with ERR_STREAM_WRITE_AFTER_END
    log.push(await loop);
    assert.deepEqual(log, ["error ERR_STREAM_WRITE_AFTER_END", "ended 0"]);
  }, { requires: ["node24"] }), // (Node 20 and 22 judge a tick later: the loop throws the error)

  defineCase("lifecycle", "for await: push(null) while the loop body runs (not waiting to read): no 'end' until the loop reads again; leaving it then is leaving an unfinished socket (AbortError)", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log: string[] = [];
    client.on("end", () => log.push("end"));
    client.on("error", (err: any) => log.push(`error ${err.code}`));
    const closing = closed(client);
    peer.write("first");
    for await (const _ of client) {
      client.push(null);
      await delay(10);
      log.push(`body: ended ${client.readableEnded}`);
      break;
    }
    assert.equal(await closing, true);
    assert.deepEqual(log, ["body: ended false", "error ABORT_ERR"]);
  }),

  defineCase("lifecycle", "for await begun inside 'connect' starts the socket reading, even if a push(null) there ends its readable side: the peer's bytes then fail it (ERR_STREAM_PUSH_AFTER_EOF)", async (ctx) => {
    const server = await ctx.server((s) => {
      s.on("error", () => {});
      s.write("bye");
    });
    // (Half-open: our side stays open after the end, as the socket reads on.)
    const client = ctx.track(ctx.net.connect({ port: server.address().port, host: "127.0.0.1", allowHalfOpen: true }));
    const errors: string[] = [];
    client.on("error", (err: any) => errors.push(err.code));
    let loop: Promise<string> | undefined;
    client.on("connect", () => {
      loop = (async () => {
        let n = 0;
        for await (const _ of client.iterator({ destroyOnReturn: false })) n++;
        return `ended ${n}`;
      })().catch((err: any) => `threw ${err.code}`);
      client.push(null);
    });
    await until(() => errors.length > 0, "the peer's bytes arrive after the end");
    assert.deepEqual(errors, ["ERR_STREAM_PUSH_AFTER_EOF"]);
    assert.equal(await loop, "ended 0");
    assert.equal(client.bytesRead, 3);
  }),

  defineCase("lifecycle", "two for await loops over one socket: each chunk goes to the loop whose read took it, never to both (the loop that began first reads first); both end at the peer's end", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const got: string[][] = [[], []];
    const loop = async (into: string[]) => {
      for await (const chunk of client) into.push(String(chunk));
      return "ended";
    };
    const loops = Promise.all([loop(got[0]!), loop(got[1]!)]);
    peer.write("one");
    await until(() => got[0]!.length + got[1]!.length === 1, "the first chunk is read");
    peer.end("two");
    assert.deepEqual(await loops, ["ended", "ended"]);
    // Both wait; the one that began first is told first, and reads what is there.
    assert.deepEqual(got, [["one", "two"], []]);
  }),

  defineCase("lifecycle", "for await: a read takes everything buffered, joined into one chunk (Node's read()), the peer's separate writes as one", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.write("x");
    const got: string[] = [];
    for await (const chunk of client) {
      got.push(String(chunk));
      if (got.length === 1) {
        // While the loop body runs, two writes of the peer arrive, one after the other.
        peer.write("a");
        await until(() => client.readableLength === 1, "the first write is buffered");
        peer.write("b");
        await until(() => client.readableLength === 2, "the second write is buffered");
        peer.end();
      }
    }
    assert.deepEqual(got, ["x", "ab"]);
  }),

  defineCase("lifecycle", "for await reads in paused mode: not flowing during the loop, pause() in the loop neither stops it nor says 'pause', resume() leaves it paused and says 'resume'", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const events: string[] = [];
    client.on("pause", () => events.push("pause"));
    client.on("resume", () => events.push("resume"));
    peer.write("a");
    const seen: string[] = [];
    for await (const chunk of client) {
      seen.push(`${chunk} flowing=${client.readableFlowing} paused=${client.isPaused()}`);
      if (seen.length === 1) {
        client.pause();
        peer.write("b");
      } else if (seen.length === 2) {
        client.resume();
        seen.push(`resumed flowing=${client.readableFlowing}`);
        peer.end("c");
      }
    }
    assert.deepEqual(seen, [
      "a flowing=false paused=true",
      "b flowing=false paused=true",
      "resumed flowing=false",
      "c flowing=false paused=true",
    ]);
    // pause() finds the socket not flowing already: no `pause`; resume() announces itself.
    assert.deepEqual(events, ["resume"]);
  }),
];

export default cases;
