/**
 * createServer()'s `highWaterMark`: given to every accepted socket, both ways. node:net
 * takes any number and fails only at its first accepted connection (an uncaught
 * ERR_INVALID_ARG_VALUE from inside its accept callback ends the process) when the value is
 * not an integer; crossnet refuses such a value in createServer() itself, with that code.
 *
 * @module
 */
import { once } from "node:events";
import { describe, expect, test } from "vitest";
import { connect, createServer, type AddressInfo, type Socket } from "../node.ts";

describe("createServer({ highWaterMark })", () => {
  test("NaN, 1.5 and Infinity throw ERR_INVALID_ARG_VALUE at once; a string ERR_INVALID_ARG_TYPE", () => {
    for (const value of [Number.NaN, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => createServer({ highWaterMark: value })).toThrow(expect.objectContaining({
        name: "TypeError",
        code: "ERR_INVALID_ARG_VALUE",
        message: `The property 'options.highWaterMark' is invalid. Received ${value}`,
      }));
    }
    expect(() => createServer({ highWaterMark: "5" as never })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARG_TYPE" }),
    );
  });

  test("an accepted socket gets it both ways; a negative one is the default", async () => {
    for (const [value, expected] of [[1024, 1024], [0, 0], [-1, 65536]] as const) {
      const server = createServer({ highWaterMark: value });
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      const accepted = once(server, "connection") as Promise<[Socket]>;
      const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
      const [socket] = await accepted;
      expect([socket.readableHighWaterMark, socket.writableHighWaterMark]).toEqual([expected, expected]);
      expect(client.readableHighWaterMark).toBe(65536);
      client.destroy();
      socket.destroy();
      server.close();
      await once(server, "close");
    }
  });
});
