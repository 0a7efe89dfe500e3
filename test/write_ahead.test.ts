/**
 * The core's rule for writes sent ahead of a finished write's callbacks (Node's onwrite
 * calls clearBuffer first, and those writes are `sync`): one the OS refuses at once errors
 * the socket now and destroys it a tick later, as a write refused inside write() does, and
 * a short string refused so is not counted in bytesWritten. The conformance suite cannot
 * make a peer reset fall exactly between two writes; a scripted driver can.
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

function scriptedDriver(pending: Array<(err?: DriverError) => void>): Driver {
  return {
    name: "scripted",
    lookup: () => Promise.resolve([{ address: "127.0.0.1", family: 4 }]),
    connect: () => Promise.resolve(scriptedConnection(pending)),
    listen: () => {
      throw new Error("not used");
    },
  };
}

describe("writes sent ahead", () => {
  test("refused at once: errored now, destroyed a tick later, a short string not counted", async () => {
    const pending: Array<(err?: DriverError) => void> = [];
    const net = createNet(scriptedDriver(pending));
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
    expect(log).toEqual(["first:null"]);
    await new Promise((resolve) => socket.once("close", resolve));
    expect(socket.destroyed).toBe(true);
    expect(log).toEqual(["first:null", "second:EPIPE", "error:EPIPE"]);
  });
});
