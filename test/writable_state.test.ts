/**
 * `socket._writableState`: the few fields of Node's Writable state that node:http reads
 * and writes on a socket (the conformance suite serves HTTP over crossnet's sockets on
 * every runtime). Here: the `corked` setter corks and uncorks to the count it is given, as
 * node:http's `res.end()` relies on (it sets 1, then uncorks), and the read-only fields
 * follow the socket.
 *
 * @module
 */
import { once } from "node:events";
import { describe, expect, test } from "vitest";
import { connect, createServer, type AddressInfo } from "../node.ts";

describe("_writableState", () => {
  test("corked: setting it corks or uncorks to that count; what was held goes out at 0", async () => {
    const received: string[] = [];
    const server = createServer((peer) => peer.on("data", (chunk) => received.push(String(chunk))));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
      await once(socket, "connect");
      const state = socket._writableState;
      expect(state).toBe(socket._writableState); // one view per socket
      expect(state.corked).toBe(0);
      state.corked = 3;
      expect(socket.writableCorked).toBe(3);
      socket.write("held");
      expect(state.length).toBe(4);
      state.corked = 1; // as node:http's end() does, then uncork()
      expect(socket.writableCorked).toBe(1);
      expect(state.length).toBe(4);
      socket.uncork();
      expect(socket.writableCorked).toBe(0);
      while (received.join("") !== "held") await new Promise((resolve) => setTimeout(resolve, 5));
      expect(state.needDrain).toBe(false);
      expect(state.highWaterMark).toBe(socket.writableHighWaterMark);
      expect([state.ending, state.ended, state.finished, state.destroyed]).toEqual([false, false, false, false]);
      socket.end();
      expect([state.ending, state.ended]).toEqual([true, true]);
      await once(socket, "finish");
      expect(state.finished).toBe(true);
      socket.destroy();
      expect(state.destroyed).toBe(true);
    } finally {
      server.close();
    }
  });

  test("needDrain: true from a write that returned false; destroyed, it stays (Node's state), writableNeedDrain says false", async () => {
    const server = createServer((peer) => peer.pause());
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
      await once(socket, "connect");
      let ok = true;
      while (ok) ok = socket.write(new Uint8Array(1024 * 1024));
      expect(socket._writableState.needDrain).toBe(true);
      socket.destroy();
      expect(socket._writableState.needDrain).toBe(true);
      expect(socket.writableNeedDrain).toBe(false);
    } finally {
      server.close();
    }
  });
});
