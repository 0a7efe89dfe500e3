/**
 * The core's rule for what a destroy() leaves to fail when nothing is in flight (queued
 * writes, end()'s callbacks): a tick later, unless the callback of a write that had
 * finished comes first. Node's afterWrite then fails them right after that callback
 * (errorBuffer), so end(cb) followed by a write after end (which destroys the socket)
 * calls back the first finished write, end(), then the others and the late write. The same program runs on
 * real node:net as the reference, and on crossnet over a driver whose writes finish inside
 * write(), as libuv's do on a socket with room (on Deno every write finishes later, so the
 * conformance suite cannot set this up there).
 *
 * @module
 */
import * as nodeNet from "node:net";
import { describe, expect, test } from "vitest";
import { createNet } from "../src/net.ts";
import type { Driver } from "../src/driver.ts";
import { fakeConnection } from "../bench/workload/fake_connection.ts";

/** A driver whose connections take every write at once. */
function syncDriver(): Driver {
  return {
    name: "sync-writes",
    lookup: (_hostname, _family, done) => queueMicrotask(() => done(undefined, [{ address: "127.0.0.1", family: 4 }])),
    connect: (_options, done) => {
      queueMicrotask(() => done(undefined, fakeConnection({ write: () => true })));
      return { abort() {} };
    },
    listen: () => {
      throw new Error("not used");
    },
  };
}

interface Connectable {
  connect(port: number, host: string): nodeNet.Socket;
}

/** The program: a write with a callback, end(cb), a write after end; the log up to `close`. */
async function program(net: Connectable, port: number, writes: number): Promise<string[]> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  const log: string[] = [];
  const code = (err: unknown) => (err as { code?: string } | null | undefined)?.code ?? null;
  socket.on("error", (err) => log.push(`error ${code(err)}`));
  const closed = new Promise((resolve) => socket.once("close", resolve));
  for (let i = 0; i < writes; i++) socket.write("cd", (err) => log.push(`write ${i} ${code(err)}`));
  socket.end((err?: unknown) => log.push(`end ${code(err)}`));
  socket.write("late", (err) => log.push(`late ${code(err)}`));
  await closed;
  return log;
}

describe("destroy() with finished writes not yet called back", () => {
  for (const writes of [0, 1, 2]) {
    test(`${writes} finished write(s), end(cb), a write after end: as node:net`, async () => {
      const server = nodeNet.createServer((s) => s.resume());
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const port = (server.address() as nodeNet.AddressInfo).port;
        const reference = await program(nodeNet, port, writes);
        const crossnet = await program(createNet(syncDriver()) as unknown as Connectable, port, writes);
        // Each finished write is called back on a tick of its own, booked by its write();
        // end()'s callback fails right after the first of them.
        const expected = writes === 0
          ? ["late ERR_STREAM_WRITE_AFTER_END", "end ERR_STREAM_WRITE_AFTER_END"]
          : [
            "write 0 null",
            "end ERR_STREAM_WRITE_AFTER_END",
            ...Array.from({ length: writes - 1 }, (_, i) => `write ${i + 1} null`),
            "late ERR_STREAM_WRITE_AFTER_END",
          ];
        expected.push("error ERR_STREAM_WRITE_AFTER_END");
        expect(reference).toEqual(expected);
        expect(crossnet).toEqual(expected);
      } finally {
        server.close();
      }
    });
  }
});
