/**
 * onread: node:net's `onread` option, where a client reads into one buffer of its own
 * instead of getting a fresh chunk per `data` event. The bytes arrive whole and in order,
 * `data` events carry nothing, `end` and `close` come as usual, a callback returning
 * `false` stops reading until `resume()`, `pause()` stops it at once, a function `buffer`
 * is asked for the next buffer before the first read and after each one, and an `onread`
 * without a usable buffer or callback is ignored.
 *
 * Every peer sends a payload larger than the client's buffer, so the callback must be
 * called several times whatever chunk sizes the runtime reads.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { concat, defineCase, delay, once, readAll } from "../harness.ts";
import { pseudoRandom, until } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

const PAYLOAD = 96 * 1024;

/** A server that sends `payload` to each client, then ends. */
function sender(ctx: Ctx, payload: Uint8Array): Promise<any> {
  return ctx.server((s) => {
    s.on("error", () => {});
    s.end(payload);
  });
}

/**
 * A client of `server` reading with `onread` into one buffer of `size` bytes, keeping a
 * copy of each read's bytes in `parts`; `onRead` (if given) runs after each, and what it
 * returns is the callback's answer (`false` stops reading).
 */
function collectingClient(
  ctx: Ctx,
  server: any,
  onRead?: (parts: Uint8Array[]) => boolean | void,
  size = 2048,
): { client: any; parts: Uint8Array[] } {
  const parts: Uint8Array[] = [];
  const client: any = ctx.track(ctx.net.connect({
    port: server.address().port,
    host: "127.0.0.1",
    onread: {
      buffer: new Uint8Array(size),
      callback(n: number, buf: Uint8Array) {
        parts.push(buf.slice(0, n));
        return onRead?.(parts);
      },
    },
  }));
  return { client, parts };
}

/** Time for bytes to arrive if reading went on, when a case checks that it stopped. */
const QUIET_MS = 50;

const cases: Case[] = [
  defineCase("onread", "bytes arrive whole in the buffer; no data events; end and close come", async (ctx) => {
    const payload = pseudoRandom(PAYLOAD, 11);
    const server = await sender(ctx, payload);
    const buffer = new Uint8Array(4096);
    const parts: Uint8Array[] = [];
    let dataEvents = 0;
    const client = ctx.track(ctx.net.connect({
      port: server.address().port,
      host: "127.0.0.1",
      onread: {
        buffer,
        callback(n: number, buf: Uint8Array) {
          assert.equal(buf, buffer);
          assert.ok(n > 0 && n <= buffer.byteLength, `bytes written: ${n}`);
          parts.push(buf.slice(0, n));
        },
      },
    }));
    client.on("data", () => dataEvents++);
    const events: string[] = [];
    client.on("end", () => events.push("end"));
    const [hadError] = await once(client, "close");
    events.push("close");
    assert.equal(hadError, false);
    assert.deepEqual(events, ["end", "close"]);
    assert.equal(dataEvents, 0);
    assert.ok(parts.length >= PAYLOAD / buffer.byteLength, `${parts.length} callbacks`);
    assert.deepEqual(concat(parts), payload);
    assert.equal(client.bytesRead, PAYLOAD);
  }),

  defineCase("onread", "a function buffer is asked for before the first read and after each one", async (ctx) => {
    const payload = pseudoRandom(PAYLOAD, 12);
    const server = await sender(ctx, payload);
    const buffers = [new Uint8Array(3000), new Uint8Array(5000)];
    let asked = 0;
    let last: Uint8Array | undefined;
    const parts: Uint8Array[] = [];
    const client = ctx.track(new ctx.net.Socket({
      onread: {
        buffer: () => (last = buffers[asked++ % 2]),
        callback(n: number, buf: Uint8Array) {
          assert.equal(buf, last, "the callback gets the buffer returned last");
          parts.push(buf.slice(0, n));
        },
      },
    }));
    client.connect(server.address().port, "127.0.0.1");
    await once(client, "close");
    assert.deepEqual(concat(parts), payload);
    assert.equal(asked, parts.length + 1);
  }),

  defineCase("onread", "a callback returning false stops reading until resume()", async (ctx) => {
    const payload = pseudoRandom(PAYLOAD, 13);
    const server = await sender(ctx, payload);
    let stopped = false;
    const { client, parts } = collectingClient(ctx, server, (parts) => {
      if (parts.length === 1) {
        stopped = true;
        return false;
      }
      assert.equal(stopped, false, "no callback while stopped");
      return true;
    }, 1024);
    let ended = false;
    client.on("end", () => (ended = true));
    await until(() => parts.length > 0, "the first callback");
    await delay(QUIET_MS);
    assert.equal(parts.length, 1);
    assert.equal(ended, false, "end waits for the bytes not read yet");
    assert.equal(client.isPaused(), false, "stopping is not pause()");
    stopped = false;
    client.resume();
    await once(client, "close");
    assert.equal(ended, true);
    assert.deepEqual(concat(parts), payload);
  }),

  defineCase("onread", "pause() stops the callbacks at once; resume() brings the rest", async (ctx) => {
    const payload = pseudoRandom(PAYLOAD, 14);
    const server = await sender(ctx, payload);
    let paused = false;
    const { client, parts } = collectingClient(ctx, server, (parts) => {
      assert.equal(paused, false, "no callback while paused");
      if (parts.length === 2) {
        paused = true;
        client.pause();
      }
    });
    await until(() => parts.length >= 2, "two callbacks");
    await delay(QUIET_MS);
    assert.equal(parts.length, 2);
    assert.equal(client.isPaused(), true);
    assert.equal(client.readableLength, 0, "the bytes not read yet wait with the OS, not in the readable side");
    paused = false;
    client.resume();
    await once(client, "close");
    assert.deepEqual(concat(parts), payload);
  }),

  defineCase("onread", "an onread without a Uint8Array or function buffer is ignored: data events flow", async (ctx) => {
    const payload = pseudoRandom(8192, 15);
    const server = await sender(ctx, payload);
    let called = 0;
    const client = ctx.track(ctx.net.connect({
      port: server.address().port,
      host: "127.0.0.1",
      onread: { buffer: 42, callback: () => void called++ },
    }));
    assert.deepEqual(await readAll(client), payload);
    assert.equal(called, 0);
  }),

  defineCase("onread", "an onread without a callback is ignored: data events flow", async (ctx) => {
    const payload = pseudoRandom(8192, 16);
    const server = await sender(ctx, payload);
    const client = ctx.track(ctx.net.connect({
      port: server.address().port,
      host: "127.0.0.1",
      onread: { buffer: new Uint8Array(1024) },
    }));
    assert.deepEqual(await readAll(client), payload);
  }),

  defineCase("onread", "writing works as usual on a socket reading into its own buffer", async (ctx) => {
    const server = await ctx.server((s) => {
      s.on("error", () => {});
      s.on("data", (chunk: Uint8Array) => s.write(chunk));
      s.on("end", () => s.end());
    });
    const buffer = new Uint8Array(512);
    const parts: Uint8Array[] = [];
    const client = ctx.track(ctx.net.connect({
      port: server.address().port,
      host: "127.0.0.1",
      onread: { buffer, callback: (n: number) => void parts.push(buffer.slice(0, n)) },
    }));
    const message = pseudoRandom(10_000, 17);
    client.end(message);
    await once(client, "close");
    assert.deepEqual(concat(parts), message);
  }),

  defineCase("onread", "paused inside 'connect': nothing is read until resume(); but after a read asked for while connecting (a 'data' listener), Node's handle reads all the same: the bytes reach the callback and 'end' comes, still paused", async (ctx) => {
    const payload = pseudoRandom(PAYLOAD, 21);
    const server = await sender(ctx, payload);
    for (const asked of [false, true]) {
      const { client, parts } = collectingClient(ctx, server);
      if (asked) client.on("data", () => {});
      client.on("connect", () => client.pause());
      const ended = once(client, "end");
      await once(client, "connect");
      if (!asked) {
        await delay(QUIET_MS);
        assert.equal(parts.length, 0, "nothing read while paused");
        client.resume();
      }
      await ended;
      assert.equal(client.isPaused(), asked, `asked: ${asked}`);
      assert.deepEqual(concat(parts), payload);
    }
  }),

  defineCase("onread", "push() goes through the readable side: a 'data' event (decoded by setEncoding) while the peer's bytes go to the callback; unread, it is in readableLength and holds 'end' back until resume()", async (ctx) => {
    const payload = pseudoRandom(5000, 22);
    const server = await sender(ctx, payload);
    for (const listening of [true, false]) {
      const { client, parts } = collectingClient(ctx, server, undefined, 1000);
      client.setEncoding("hex");
      const data: string[] = [];
      if (listening) client.on("data", (d: string) => data.push(d));
      const events: string[] = [];
      client.on("end", () => events.push("end"));
      client.on("connect", () => {
        events.push(`push->${client.push("P")} ${client.readableLength}`);
      });
      if (listening) {
        await once(client, "close");
        assert.deepEqual(data, ["50"], "the pushed byte, as hex");
        assert.deepEqual(events, ["push->true 0", "end"]);
      } else {
        await until(() => concat(parts).byteLength === payload.byteLength, "the peer's bytes at the callback");
        await delay(QUIET_MS);
        assert.deepEqual(events, ["push->true 2"], "no 'end' while the pushed chunk is unread");
        assert.equal(client.readableLength, 2);
        assert.equal(client.readableFlowing, null);
        client.resume();
        await once(client, "close");
        assert.deepEqual(events, ["push->true 2", "end"]);
      }
      assert.deepEqual(concat(parts), payload, `listening: ${listening}`);
      assert.equal(client.bytesRead, payload.byteLength, "pushed bytes do not count");
    }
  }),
];

export default cases;
