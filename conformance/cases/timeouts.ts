// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { defineCase, delay, once, readAll } from "../harness.ts";
import { connected } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

/** Count the 'timeout' events of `socket`. */
function countTimeouts(socket: any): { count: number } {
  const counter = { count: 0 };
  socket.on("timeout", () => counter.count++);
  return counter;
}

/**
 * A bounded wait: a fresh idle socket whose own `ms` idle timeout fires. Cases use it to
 * show that another timer did not fire in the same span, without measuring time.
 */
async function idleFor(ctx: Ctx, ms: number): Promise<void> {
  const { client } = await connected(ctx);
  client.setTimeout(ms);
  await once(client, "timeout");
  client.destroy();
}

const cases: Case[] = [
  defineCase("timeouts", "setTimeout(ms): 'timeout' when idle, and the socket stays open", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const ret = client.setTimeout(30);
    assert.equal(ret, client);
    assert.equal(client.timeout, 30);
    const args = await once(client, "timeout");
    assert.deepEqual([...args], []);
    // A timeout only notifies: nothing is closed.
    assert.equal(client.destroyed, false);
    assert.equal(client.readyState, "open");
    peer.write("still alive");
    client.setEncoding("utf8");
    const [chunk] = await once(client, "data");
    assert.equal(chunk, "still alive");
  }),

  defineCase("timeouts", "'timeout' fires once per idle period, re-armed by reads and writes", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const timeouts = countTimeouts(client);
    client.setTimeout(20);
    await once(client, "timeout");
    await delay(50);
    assert.equal(timeouts.count, 1); // not periodic
    // Reading re-arms it.
    client.resume();
    peer.write("x");
    await once(client, "timeout");
    await delay(50);
    assert.equal(timeouts.count, 2);
    // Writing re-arms it.
    peer.resume();
    client.write("y");
    await once(client, "timeout");
    assert.equal(timeouts.count, 3);
  }),

  defineCase("timeouts", "end() without data is not activity: it does not re-arm the idle timer; end(data) writes, which is", async (ctx) => {
    // The peers stay half-open: no FIN comes back (reading it would be activity).
    const { client } = await connected(ctx, { server: { allowHalfOpen: true } });
    const timeouts = countTimeouts(client);
    client.setTimeout(20);
    await once(client, "timeout");
    const finished = once(client, "finish");
    client.end();
    await finished;
    await idleFor(ctx, 80);
    assert.equal(timeouts.count, 1, "end() or our FIN re-armed the idle timer");

    const other = (await connected(ctx, { server: { allowHalfOpen: true } })).client;
    const otherTimeouts = countTimeouts(other);
    other.setTimeout(20);
    await once(other, "timeout");
    other.end("x");
    await once(other, "timeout");
    assert.equal(otherTimeouts.count, 2);
  }),

  defineCase("timeouts", "incoming data keeps resetting the idle timer", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const timeouts = countTimeouts(client);
    client.resume();
    client.setTimeout(300);
    // Data every few ms for longer than the timeout: the timer keeps being reset.
    for (let i = 0; i < 50; i++) {
      peer.write("ping");
      await delay(10);
    }
    assert.equal(timeouts.count, 0);
    await once(client, "timeout");
    assert.equal(timeouts.count, 1);
  }, { timeoutMs: 15_000 }),

  defineCase("timeouts", "our own writes keep resetting the idle timer", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const timeouts = countTimeouts(client);
    peer.resume();
    client.setTimeout(300);
    for (let i = 0; i < 50; i++) {
      client.write("ping");
      await delay(10);
    }
    assert.equal(timeouts.count, 0);
    await once(client, "timeout");
    assert.equal(timeouts.count, 1);
  }, { timeoutMs: 15_000 }),

  defineCase("timeouts", "a write the peer keeps taking, however slowly, is not idle: no 'timeout' until it is written; a stalled write times out", async (ctx) => {
    // The peer reads for 2 ms every 20 ms: the OS keeps taking the 32 MiB write, which
    // takes longer than the idle timeout (Node looks at libuv's write queue when the timer
    // fires, and waits another period if it moved).
    {
      const { client, peer } = await connected(ctx);
      peer.pause();
      const reader = setInterval(() => {
        peer.resume();
        setTimeout(() => peer.pause(), 2);
      }, 20);
      try {
        const timeouts = countTimeouts(client);
        client.setTimeout(100);
        await new Promise((resolve) => client.write(new Uint8Array(32 * 1024 * 1024), resolve));
        assert.equal(timeouts.count, 0);
      } finally {
        clearInterval(reader);
      }
      client.destroy();
    }
    // The peer reads nothing: the write stalls, and `timeout` comes while it is out.
    {
      const { client } = await connected(ctx, { server: { pauseOnConnect: true } });
      client.write(new Uint8Array(16 * 1024 * 1024));
      client.setTimeout(50);
      await once(client, "timeout");
      assert.ok(client.writableLength > 0, "the write is still out");
      client.destroy();
    }
  }),

  defineCase("timeouts", "a write held back (corked) is not activity for the idle timer: 'timeout' comes while such writes go on", async (ctx) => {
    // Node re-arms the timer when bytes go to the OS (or a write finishes), not when a write
    // only joins the queue. 60 held writes, one every 5 ms, outlast the 40 ms timeout.
    const { client, peer } = await connected(ctx);
    const received = readAll(peer);
    client.cork();
    client.setTimeout(40);
    let writes = 0;
    const writer = setInterval(() => {
      if (writes < 60) {
        client.write("x");
        writes++;
      }
    }, 5);
    try {
      await once(client, "timeout");
      assert.ok(writes < 60, `'timeout' came only after all ${writes} held writes`);
    } finally {
      clearInterval(writer);
    }
    client.end();
    assert.equal((await received).byteLength, writes);
  }),

  defineCase("timeouts", "setTimeout(0) disables the idle timer", async (ctx) => {
    const { client } = await connected(ctx);
    const timeouts = countTimeouts(client);
    client.setTimeout(20);
    assert.equal(client.setTimeout(0), client);
    assert.equal(client.timeout, 0);
    await idleFor(ctx, 80);
    assert.equal(timeouts.count, 0);
  }),

  defineCase("timeouts", "setTimeout(ms, callback) adds a once listener, setTimeout(0, callback) removes it", async (ctx) => {
    const { client } = await connected(ctx);
    const calls: number[] = [];
    const callback = (...args: unknown[]) => calls.push(args.length);
    const before = client.listenerCount("timeout");
    client.setTimeout(20, callback);
    assert.equal(client.listenerCount("timeout"), before + 1);
    await once(client, "timeout");
    assert.deepEqual(calls, [0]);
    assert.equal(client.listenerCount("timeout"), before);
    // Removing with setTimeout(0, callback).
    client.setTimeout(1000, callback);
    assert.equal(client.listenerCount("timeout"), before + 1);
    client.setTimeout(0, callback);
    assert.equal(client.listenerCount("timeout"), before);
    assert.deepEqual(calls, [0]);
  }),

  defineCase("timeouts", "the timeout option of connect() sets the idle timeout", async (ctx) => {
    const server = await ctx.server();
    const client = ctx.track(
      ctx.net.connect({ port: server.address().port, host: "127.0.0.1", timeout: 50 }),
    );
    assert.equal(client.timeout, 50);
    const log: string[] = [];
    client.on("connect", () => log.push("connect"));
    client.on("timeout", () => log.push("timeout"));
    await once(client, "timeout");
    assert.deepEqual(log, ["connect", "timeout"]);
    assert.equal(client.destroyed, false);
  }),

  defineCase("timeouts", "new Socket({ timeout }) ignores the option; connect() honours it", async (ctx) => {
    const server = await ctx.server();
    const socket = ctx.track(new ctx.net.Socket({ timeout: 20 }));
    assert.equal(socket.timeout, undefined);
    const timeouts = countTimeouts(socket);
    socket.connect(server.address().port, "127.0.0.1");
    await once(socket, "connect");
    await idleFor(ctx, 80);
    assert.equal(timeouts.count, 0);
  }),

  defineCase("timeouts", "a server-side socket times out too", async (ctx) => {
    const log: string[] = [];
    const { client } = await connected(ctx, {
      onServer: (s) => {
        s.setTimeout(20, () => {
          log.push(`timeout:${s.readyState}`);
          s.end("idle");
        });
      },
    });
    client.setEncoding("utf8");
    const chunks: string[] = [];
    client.on("data", (d: string) => chunks.push(d));
    await once(client, "end");
    assert.deepEqual(log, ["timeout:open"]);
    assert.deepEqual(chunks, ["idle"]);
  }),

  defineCase("timeouts", "no 'timeout' after the socket is destroyed", async (ctx) => {
    const { client } = await connected(ctx);
    const timeouts = countTimeouts(client);
    client.setTimeout(20);
    client.destroy();
    await once(client, "close");
    await idleFor(ctx, 80);
    assert.equal(timeouts.count, 0);
    // setTimeout on a destroyed socket does nothing and returns the socket.
    assert.equal(client.setTimeout(10), client);
    await idleFor(ctx, 50);
    assert.equal(timeouts.count, 0);
  }),

  defineCase("timeouts", "the timeout property tracks the last setTimeout value", async (ctx) => {
    const { client, peer } = await connected(ctx);
    assert.equal(client.timeout, undefined);
    assert.equal(peer.timeout, undefined);
    client.setTimeout(5000);
    assert.equal(client.timeout, 5000);
    client.setTimeout(1234);
    assert.equal(client.timeout, 1234);
    client.setTimeout(0);
    assert.equal(client.timeout, 0);
    peer.setTimeout(100);
    assert.equal(peer.timeout, 100);
    peer.setTimeout(0);
  }),
];

export default cases;
