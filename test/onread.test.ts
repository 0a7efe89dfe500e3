/**
 * crossnet's own checks of the `onread` option, where it is stricter than node:net (so
 * they are not conformance cases, which node:net must pass too): an empty buffer is
 * refused up front, and a `buffer()` function that returns no usable buffer fails the
 * socket with `ERR_INVALID_RETURN_VALUE` instead of reading nowhere.
 *
 * @module
 */
import { once } from "node:events";
import { describe, expect, test } from "vitest";
import { connect, createServer, Socket } from "../node.ts";

/** A server on 127.0.0.1 that sends `bytes` to each client and ends; closed afterwards. */
async function sender(bytes: number): Promise<{ port: number; close: () => void }> {
  const server = createServer((s) => s.end(new Uint8Array(bytes).fill(7)));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

describe("onread", () => {
  test("an empty buffer is refused with ERR_INVALID_ARG_VALUE", () => {
    const make = () => new Socket({ onread: { buffer: new Uint8Array(0), callback: () => {} } });
    expect(make).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARG_VALUE", name: "TypeError" }));
    expect(make).toThrow(/options\.onread\.buffer' must not be empty/);
  });

  test("a buffer() returning no buffer at first fails the socket with ERR_INVALID_RETURN_VALUE", async () => {
    const server = await sender(1000);
    try {
      const socket = connect({
        port: server.port,
        host: "127.0.0.1",
        onread: { buffer: () => 42 as unknown as Uint8Array, callback: () => {} },
      });
      const [err] = await once(socket, "error");
      expect(err).toMatchObject({ code: "ERR_INVALID_RETURN_VALUE", name: "TypeError" });
      expect(err.message).toBe(
        'Expected a non-empty Uint8Array to be returned from the "onread.buffer" function but got type number (42).',
      );
      await once(socket, "close");
    } finally {
      server.close();
    }
  });

  test("a buffer() returning junk later keeps the previous buffer (as Node)", async () => {
    const server = await sender(50_000);
    try {
      const first = new Uint8Array(1000);
      let calls = 0;
      let total = 0;
      const socket = connect({
        port: server.port,
        host: "127.0.0.1",
        onread: {
          buffer: () => (calls++ === 0 ? first : (null as unknown as Uint8Array)),
          callback: (n, buf) => {
            expect(buf).toBe(first);
            total += n;
          },
        },
      });
      await once(socket, "close");
      expect(total).toBe(50_000);
      expect(calls).toBeGreaterThan(50);
    } finally {
      server.close();
    }
  });
});
