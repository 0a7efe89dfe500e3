/**
 * integrity: every byte arrives, once, in order: tens of MiB echoed, both directions at once,
 * writes of odd sizes, many concurrent connections, and a large transfer over a Unix socket.
 * Compared with SHA-256 (`node:crypto`, available on Node, Deno and Bun).
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { defineCase, once } from "../harness.ts";
import { pseudoRandom, sha256 } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

const MiB = 1024 * 1024;

/** Hash everything `socket` receives until 'end'; resolves with [sha256, byte count]. */
function hashUntilEnd(socket: any): Promise<[string, number]> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    let count = 0;
    socket.on("data", (chunk: Uint8Array) => {
      assert.ok(chunk instanceof Uint8Array, "binary chunks");
      hash.update(chunk);
      count += chunk.length;
    });
    socket.once("end", () => resolve([hash.digest("hex"), count]));
    socket.once("error", reject);
  });
}

/** An echo server (socket.pipe(socket)) on 127.0.0.1. */
function echoServer(ctx: Ctx): Promise<any> {
  return ctx.server((s) => s.pipe(s));
}

/** Write `payload` in pieces of the given sizes (cycled), then end. */
function writeInPieces(socket: any, payload: Uint8Array, sizes: readonly number[]): void {
  let offset = 0;
  for (let i = 0; offset < payload.length; i++) {
    const size = sizes[i % sizes.length];
    socket.write(payload.subarray(offset, offset + size));
    offset += size;
  }
  socket.end();
}

const cases: Case[] = [
  defineCase("integrity", "32 MiB echoed back intact (SHA-256)", async (ctx) => {
    const server = await echoServer(ctx);
    const payload = pseudoRandom(32 * MiB, 0x1234);
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const received = hashUntilEnd(client);
    const closed = new Promise((resolve) => client.once("close", resolve));
    client.end(payload);
    const [hash, count] = await received;
    assert.equal(count, payload.length);
    assert.equal(hash, sha256(payload));
    await closed;
    assert.equal(client.bytesWritten, payload.length);
    assert.equal(client.bytesRead, payload.length);
  }, { timeoutMs: 60_000 }),

  defineCase("integrity", "32 MiB each way at the same time", async (ctx) => {
    const up = pseudoRandom(32 * MiB, 0xa11ce);
    const down = pseudoRandom(32 * MiB, 0xb0b);
    let serverReceived!: Promise<[string, number]>;
    let onServerSide!: () => void;
    const serverSide = new Promise<void>((resolve) => (onServerSide = resolve));
    const server = await ctx.server((s) => {
      serverReceived = hashUntilEnd(s);
      s.end(down);
      onServerSide();
    }, { allowHalfOpen: true });
    const client = ctx.track(
      ctx.net.connect({ port: server.address().port, host: "127.0.0.1", allowHalfOpen: true }),
    );
    const clientReceived = hashUntilEnd(client);
    client.end(up);
    await serverSide;
    const [[upHash, upCount], [downHash, downCount]] = await Promise.all([
      serverReceived,
      clientReceived,
    ]);
    assert.equal(upCount, up.length);
    assert.equal(upHash, sha256(up));
    assert.equal(downCount, down.length);
    assert.equal(downHash, sha256(down));
  }, { timeoutMs: 60_000 }),

  defineCase("integrity", "thousands of writes of odd sizes arrive in order", async (ctx) => {
    const server = await echoServer(ctx);
    const payload = pseudoRandom(3 * MiB + 17, 77);
    const sizes = [1, 2, 3, 5, 7, 11, 13, 127, 1021, 4099, 65537, 333333];
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const received = hashUntilEnd(client);
    writeInPieces(client, payload, sizes);
    const [hash, count] = await received;
    assert.equal(count, payload.length);
    assert.equal(hash, sha256(payload));
  }, { timeoutMs: 30_000 }),

  defineCase("integrity", "single-byte writes keep their order", async (ctx) => {
    const server = await echoServer(ctx);
    const payload = pseudoRandom(20_000, 5);
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const received = hashUntilEnd(client);
    writeInPieces(client, payload, [1]);
    const [hash, count] = await received;
    assert.equal(count, payload.length);
    assert.equal(hash, sha256(payload));
  }, { timeoutMs: 30_000 }),

  defineCase("integrity", "mixed strings and bytes keep their order", async (ctx) => {
    const server = await echoServer(ctx);
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const expected: Uint8Array[] = [];
    const received = hashUntilEnd(client);
    for (let i = 0; i < 2000; i++) {
      if (i % 3 === 0) {
        const s = `line ${i} é€😀\n`;
        client.write(s);
        expected.push(new TextEncoder().encode(s));
      } else if (i % 3 === 1) {
        const hex = (i & 0xffff).toString(16).padStart(4, "0");
        client.write(hex, "hex");
        expected.push(new Uint8Array([parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2), 16)]));
      } else {
        const bytes = pseudoRandom(i % 97 + 1, i);
        client.write(bytes);
        expected.push(bytes);
      }
    }
    client.end();
    const all = new Uint8Array(expected.reduce((n, b) => n + b.length, 0));
    let off = 0;
    for (const b of expected) {
      all.set(b, off);
      off += b.length;
    }
    const [hash, count] = await received;
    assert.equal(count, all.length);
    assert.equal(hash, sha256(all));
  }, { timeoutMs: 30_000 }),

  defineCase("integrity", "50 concurrent connections, each with its own data", async (ctx) => {
    const server = await echoServer(ctx);
    const port = server.address().port;
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const payload = pseudoRandom(64 * 1024 + i * 997, 1000 + i);
        const client = ctx.track(ctx.net.connect(port, "127.0.0.1"));
        const received = hashUntilEnd(client);
        writeInPieces(client, payload, [4096 + i, 1 + i, 10_000]);
        const [hash, count] = await received;
        return { i, ok: hash === sha256(payload) && count === payload.length };
      }),
    );
    assert.deepEqual(results.filter((r) => !r.ok).map((r) => r.i), [], "connections with bad data");
  }, { timeoutMs: 30_000 }),

  defineCase("integrity", "the server sees each client's bytes on the right socket", async (ctx) => {
    // Each client sends its index in every byte; the server checks and answers with a hash.
    const server = await ctx.server((s) => {
      const hash = createHash("sha256");
      let first = -1;
      let mixed = false;
      s.on("data", (chunk: Uint8Array) => {
        if (first < 0) first = chunk[0];
        for (const b of chunk) if (b !== first) mixed = true;
        hash.update(chunk);
      });
      s.on("end", () => s.end(`${first}:${mixed ? "mixed" : "clean"}:${hash.digest("hex")}`));
    });
    const port = server.address().port;
    const answers = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const payload = new Uint8Array(50_000 + i).fill(i);
        const client = ctx.track(ctx.net.connect(port, "127.0.0.1"));
        client.setEncoding("utf8");
        let answer = "";
        client.on("data", (s: string) => (answer += s));
        const ended = once(client, "end");
        writeInPieces(client, payload, [1000, 3333]);
        await ended;
        return [answer, `${i}:clean:${sha256(payload)}`];
      }),
    );
    for (const [answer, expected] of answers) assert.equal(answer, expected);
  }, { timeoutMs: 30_000 }),

  defineCase("integrity", "16 MiB echoed over a Unix socket", async (ctx) => {
    const path = ctx.socketPath();
    const server = ctx.net.createServer((s: any) => {
      ctx.track(s);
      s.pipe(s);
    });
    await ctx.listen(server, { path });
    const payload = pseudoRandom(16 * MiB, 0x5eed);
    const client = ctx.track(ctx.net.connect(path));
    const received = hashUntilEnd(client);
    writeInPieces(client, payload, [65536, 12345, 1]);
    const [hash, count] = await received;
    assert.equal(count, payload.length);
    assert.equal(hash, sha256(payload));
  }, {
    timeoutMs: 60_000,
    skip: (env) => env.platform === "win32" ? "no Unix domain sockets on Windows" : undefined,
  }),
];

export default cases;
