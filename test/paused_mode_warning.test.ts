/**
 * A `readable` listener on a crossnet socket: Node's paused mode (`readable`, read()) is
 * not crossnet's (sockets flow, see DESIGN), and such a listener would wait forever in
 * silence; crossnet says so with one process warning (code CROSSNET_NO_PAUSED_MODE).
 * Other listeners, and `readable` on a Server, warn nothing.
 *
 * @module
 */
import process from "node:process";
import { describe, expect, test } from "vitest";
import { createServer, Socket } from "../node.ts";

/** The warnings `process` emits while `fn` runs and a turn after. */
async function warningsDuring(fn: () => void): Promise<Error[]> {
  const seen: Error[] = [];
  const onWarning = (w: Error) => seen.push(w);
  process.on("warning", onWarning);
  try {
    fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", onWarning);
  }
  return seen;
}

describe("paused mode", () => {
  test("other listeners and a Server's 'readable' warn nothing", async () => {
    const seen = await warningsDuring(() => {
      const socket = new Socket();
      for (const event of ["data", "end", "close", "error", "drain"]) socket.on(event, () => {});
      const server = createServer();
      server.on("readable", () => {});
    });
    expect(seen).toEqual([]);
  });

  test("a 'readable' listener warns once per process, whichever way it is added", async () => {
    const seen = await warningsDuring(() => {
      const socket = new Socket();
      socket.on("readable", () => {});
      socket.once("readable", () => {});
      new Socket().prependListener("readable", () => {});
    });
    expect(seen).toHaveLength(1);
    expect((seen[0] as Error & { code?: string }).code).toBe("CROSSNET_NO_PAUSED_MODE");
    expect(seen[0]!.message).toContain("no 'readable' event and no read()");
  });
});
