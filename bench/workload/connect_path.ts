/**
 * The core's per-connection cost, without any network: a client's whole life in crossnet's
 * core over a fake driver (connect resolves at once, writes complete at once and come back
 * as the peer's reply a microtask later, our FIN is answered by the peer's): `connect`,
 * one 1 KiB round trip, `end()`, `end`, `close`. 500 such clients at once, as the bench's
 * many-connections scenario starts them, round after round: the first round runs on cold
 * code (interpreters, then the JIT compilers at work), the later ones on compiled code.
 *
 * Run it with any runtime (`node_modules/node24/bin/node`, `deno run`, `bun`):
 * `bun bench/workload/connect_path.ts`. It prints microseconds per connection; no test
 * asserts on it. An argument sets the number of rounds (default 8).
 *
 * @module
 */

import { createNet } from "../../src/net.ts";
import type { ConnectionSink, Driver, DriverConnection } from "../../src/driver.ts";
import { fakeConnection } from "./fake_connection.ts";

const CLIENTS = 500;
// Rounds: the first argument, else 8 (`bun bench/workload/connect_path.ts 1`: the cold round only).
const given = (globalThis as { Deno?: { args: string[] } }).Deno?.args[0] ??
  (globalThis as { process?: { argv: string[] } }).process?.argv[2];
const ROUNDS = given === undefined ? 8 : Number(given);
const SIZE = 1024;

/** A connection whose peer echoes every write and answers our FIN with its own. */
function echoConnection(): DriverConnection {
  let sink: ConnectionSink | undefined;
  return fakeConnection({
    start: (s) => void (sink = s),
    write: (bytes) => {
      queueMicrotask(() => sink?._data(bytes));
      return true;
    },
    shutdown: (done) => {
      done();
      queueMicrotask(() => sink?._eof());
    },
    close: () => void (sink = undefined),
    reset: () => void (sink = undefined),
  });
}

/** The attempt of a connect that cannot be abandoned. */
const NO_ABORT = { abort() {} };

const driver: Driver = {
  name: "fake",
  lookup: (_hostname, _family, done) => queueMicrotask(() => done(undefined, [{ address: "127.0.0.1", family: 4 }])),
  // Called back a moment later, as a runtime reports a connect from its I/O callback.
  connect: (_options, done) => {
    queueMicrotask(() => done(undefined, echoConnection()));
    return NO_ABORT;
  },
  listen: () => {
    throw new Error("not used");
  },
};

const net = createNet(driver);
// A Buffer where there is one, as the adapters deliver.
const NodeBuffer = (globalThis as { Buffer?: { alloc(size: number, fill: number): Uint8Array } }).Buffer;
const message = NodeBuffer ? NodeBuffer.alloc(SIZE, 120) : new Uint8Array(SIZE).fill(120);

/** One client, as the bench's echo client does it (listeners error, connect, data, close). */
function client(): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = SIZE;
    const socket = net.connect({ port: 9, host: "127.0.0.1" });
    socket.on("error", reject);
    socket.on("connect", () => {
      socket.setNoDelay(true);
      socket.write(message);
    });
    socket.on("data", (chunk: Uint8Array) => {
      pending -= chunk.byteLength;
      if (pending === 0) socket.end();
    });
    socket.on("close", () => resolve());
  });
}

const out: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  const all: Promise<void>[] = [];
  for (let i = 0; i < CLIENTS; i++) all.push(client());
  await Promise.all(all);
  out.push((((performance.now() - start) * 1000) / CLIENTS).toFixed(1));
}
console.log(`µs per connection, round by round (${CLIENTS} at once): ${out.join(" ")}`);
