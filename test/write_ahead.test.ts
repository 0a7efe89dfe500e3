/**
 * The core's rules for writes the OS refuses at once outside the user's write(). Sent ahead
 * of a finished write's callbacks (Node's onwrite calls clearBuffer first, and those writes
 * are `sync`): the socket is errored now and destroyed a tick later, as for a write refused
 * inside write(). The first write, sent from `connect` (Node's pending write): the socket
 * is destroyed now and every waiting callback called before `ready`. Either way a short
 * string refused so is not counted in bytesWritten. The conformance suite cannot make a
 * peer reset fall exactly between two writes, or before `connect`; a scripted driver can.
 *
 * @module
 */
import { describe, expect, test } from "vitest";
import { createNet } from "../src/net.ts";
import type { Driver, DriverConnection, DriverError } from "../src/driver.ts";
import { fakeConnection } from "../bench/workload/fake_connection.ts";

/** A connection whose first write stays pending (its `done` kept) and whose next writes are refused at once with EPIPE. */
function scriptedConnection(pending: Array<(err?: DriverError) => void>): DriverConnection {
  let writes = 0;
  return fakeConnection({
    write(_data, done) {
      if (writes++ === 0) pending.push(done);
      else done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      return false;
    },
  });
}

/** A connection that refuses every write at once with EPIPE. */
function refusingConnection(): DriverConnection {
  return fakeConnection({
    write(_data, done) {
      done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      return false;
    },
  });
}

function scriptedDriver(connection: () => DriverConnection): Driver {
  return {
    name: "scripted",
    lookup: (_hostname, _family, done) => queueMicrotask(() => done(undefined, [{ address: "127.0.0.1", family: 4 }])),
    connect: (_options, done) => {
      queueMicrotask(() => done(undefined, connection()));
      return { abort() {} };
    },
    listen: () => {
      throw new Error("not used");
    },
  };
}

describe("writes refused at once outside write()", () => {
  test("sent ahead: errored now, destroyed a tick later, a short string not counted", async () => {
    const pending: Array<(err?: DriverError) => void> = [];
    const net = createNet(scriptedDriver(() => scriptedConnection(pending)));
    const socket = net.connect(2, "127.0.0.1");
    const log: string[] = [];
    socket.on("error", (err: { code?: string }) => log.push(`error:${err.code}`));
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(new Uint8Array(10), (err) => log.push(`first:${(err as { code?: string } | null)?.code ?? null}`));
    socket.write("ab", (err) => log.push(`second:${(err as { code?: string } | null)?.code ?? null}`));
    expect(socket.bytesWritten).toBe(12);
    // The first write finishes: the second goes out ahead of its callback and is refused.
    pending[0]!();
    expect(socket.errored).toMatchObject({ code: "EPIPE" });
    expect(socket.destroyed).toBe(false);
    expect(socket.writable).toBe(false);
    expect(socket.bytesWritten).toBe(10);
    // The first write's callback a tick later: done() was reported from awaiting code.
    expect(log).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.slice(0, 1)).toEqual(["first:null"]);
    await new Promise((resolve) => socket.once("close", resolve));
    expect(socket.destroyed).toBe(true);
    expect(log).toEqual(["first:null", "second:EPIPE", "error:EPIPE"]);
  });

  test("the first write, sent from 'connect': destroyed now, it and what waits behind it called back before 'ready'", async () => {
    const net = createNet(scriptedDriver(refusingConnection));
    const socket = net.connect(2, "127.0.0.1");
    const log: string[] = [];
    const code = (err: unknown) => (err as { code?: string } | null)?.code ?? null;
    socket.on("error", (err: unknown) => log.push(`error:${code(err)}`));
    socket.on("ready", () => log.push(`ready: destroyed ${socket.destroyed}, ${socket.bytesWritten} written`));
    socket.write("ab", (err) => log.push(`ab:${code(err)}`));
    socket.write(new Uint8Array(3), (err) => log.push(`bytes:${code(err)}`));
    socket.end((err?: unknown) => log.push(`end:${code(err)}`));
    expect(socket.bytesWritten).toBe(5);
    await new Promise((resolve) => socket.once("close", resolve));
    // Node: the pending write's writeGeneric fails, destroy(err, onwrite); onwrite (not
    // `sync`) calls it back, then errorBuffer the rest; the short string never counted.
    expect(log).toEqual(["ab:EPIPE", "bytes:EPIPE", "end:EPIPE", "ready: destroyed true, 0 written", "error:EPIPE"]);
  });

  test("a batch split for size fails whole, as Node's one writev: nothing left queued, 'drain' at once, every byte counted", async () => {
    const pending: Array<(err?: DriverError) => void> = [];
    const net = createNet(scriptedDriver(() => scriptedConnection(pending)));
    const socket = net.connect(2, "127.0.0.1");
    const log: string[] = [];
    const code = (err: unknown) => (err as { code?: string } | null)?.code ?? null;
    socket.on("error", (err: unknown) => log.push(`error:${code(err)}`));
    socket.on("drain", () => log.push(`drain: ${socket.writableLength} queued`));
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(new Uint8Array(10));
    // Larger than crossnet hands the driver in one piece with others (64 KiB): sent alone.
    expect(socket.write(new Uint8Array(100_000), (err) => log.push(`big:${code(err)}`))).toBe(false);
    socket.write("ab", (err) => log.push(`ab:${code(err)}`));
    pending[0]!();
    // Node sent both queued writes as one writev, refused at once: neither is queued now,
    // so 'drain' comes; a refused writev's bytes stay counted.
    expect(socket.writableLength).toBe(0);
    expect(socket.bytesWritten).toBe(100_012);
    // 'drain' a tick later: done() was reported from awaiting code.
    expect(log).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.slice(0, 1)).toEqual(["drain: 0 queued"]);
    await new Promise((resolve) => socket.once("close", resolve));
    expect(log).toEqual(["drain: 0 queued", "big:EPIPE", "ab:EPIPE", "error:EPIPE"]);
  });
});
