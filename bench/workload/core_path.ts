/**
 * The core's per-message cost, without any network: an echo server in crossnet's core over
 * a fake driver (its writes complete at once) is handed 1 KiB chunks for 500 sockets in
 * turn, and each chunk goes `data` event -> user handler -> `write()` -> driver write. A
 * bare handler doing the same bookkeeping runs next to it. Twice: with warm caches (a tight
 * loop), and with cold ones (1 MiB of other memory read between two messages, as the
 * kernel and the other process do between two messages of a real run).
 *
 * Run it on any runtime (`node_modules/node24/bin/node`, `deno run --allow-env`, `bun`):
 * `bun bench/workload/core_path.ts`. It prints nanoseconds per message; no test asserts
 * on it. The bench's cold-versus-warm findings (issue 7) come from it. With
 * `CORE_PATH_COUNT=n` set it only hands over n messages through the core (after a
 * warm-up) and times nothing: `bench/cache_misses.mjs` counts the cache misses of that.
 *
 * @module
 */

import { createNet } from "../../src/net.ts";
import type { ConnectionSink, Driver, DriverConnection, DriverListener } from "../../src/driver.ts";
import { fakeConnection } from "./fake_connection.ts";

const SOCKETS = 500;
const CHUNK = 1024;
const EVICT_BYTES = 1024 * 1024;

const sinks: ConnectionSink[] = [];

/** A connection the core writes to at once, whose sink is kept to hand it chunks. */
function connection(): DriverConnection {
  return fakeConnection({ start: (sink) => void sinks.push(sink) });
}

/** Accepts {@link SOCKETS} fake connections as soon as it listens. */
const driver: Driver = {
  name: "fake",
  lookup: () => {
    throw new Error("not used");
  },
  connect: () => {
    throw new Error("not used");
  },
  listen(_options, onConnection): DriverListener {
    queueMicrotask(() => {
      for (let i = 0; i < SOCKETS; i++) onConnection(connection());
    });
    return {
      address: () => ({ address: "127.0.0.1", family: "IPv4", port: 9 }),
      close: () => Promise.resolve(),
      ref() {},
      unref() {},
    };
  },
};

const evictable = new Float64Array(EVICT_BYTES / 8);
let evictSum = 0;

/** Read {@link EVICT_BYTES} of other memory, one load per cache line. */
function evictCaches(): void {
  for (let i = 0; i < evictable.length; i += 8) evictSum += evictable[i]!;
}

/** Nanoseconds per message of `step(i)`, eviction time (when `cold`) left out. */
function measure(count: number, cold: boolean, step: (i: number) => void): number {
  let outside = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    if (cold) {
      const t = performance.now();
      evictCaches();
      outside += performance.now() - t;
    }
    step(i);
  }
  return ((performance.now() - start - outside) * 1e6) / count;
}

async function main(): Promise<void> {
  const net = createNet(driver);
  const server = net.createServer((socket) => {
    socket.on("data", (chunk: Uint8Array) => socket.write(chunk));
  });
  server.listen(0, "127.0.0.1");
  while (sinks.length < SOCKETS) await new Promise((resolve) => setTimeout(resolve, 1));

  // A Buffer where there is one, as the adapters deliver (a plain Uint8Array would be
  // copied into a Buffer for the user: not what a real read costs).
  const NodeBuffer = (globalThis as { Buffer?: { alloc(size: number, fill: number): Uint8Array } }).Buffer;
  const chunk = NodeBuffer ? NodeBuffer.alloc(CHUNK, 120) : new Uint8Array(CHUNK).fill(120);
  const bare = Array.from({ length: SOCKETS }, () => ({ received: 0, conn: connection() }));
  const noop = (): void => {};
  const viaCore = (i: number): void => sinks[(i * 7) % SOCKETS]!._data(chunk);
  const viaBare = (i: number): void => {
    const state = bare[(i * 7) % SOCKETS]!;
    state.received += chunk.byteLength;
    state.conn.write(chunk, noop);
  };

  // Counting mode, for bench/cache_misses.mjs (which runs this under a cache simulator):
  // warm up, then hand over exactly that many messages, and time nothing.
  const counted = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
    ?.env.CORE_PATH_COUNT;
  if (counted !== undefined) {
    for (let i = 0; i < 300_000; i++) viaCore(i);
    for (let i = 0; i < Number(counted); i++) viaCore(i);
    server.close();
    return;
  }

  for (let round = 1; round <= 3; round++) {
    const warmCore = measure(1_000_000, false, viaCore);
    const warmBare = measure(1_000_000, false, viaBare);
    const coldCore = measure(20_000, true, viaCore);
    const coldBare = measure(20_000, true, viaBare);
    console.log(
      `round ${round}: warm caches ${warmCore.toFixed(0)} ns/message (bare ${warmBare.toFixed(0)}), ` +
        `cold caches ${coldCore.toFixed(0)} ns/message (bare ${coldBare.toFixed(0)})`,
    );
  }
  server.close();
  if (evictSum !== 0) console.log("(unexpected: evicted memory was not zero)");
}

await main();
