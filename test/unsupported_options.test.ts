/**
 * What node:net takes and crossnet cannot, on any runtime: a file descriptor or a handle
 * to adopt (`new Socket({ fd })`, `new Socket(fd)`, `server.listen({ fd })`,
 * `listen({ handle })`, `listen(otherServer)`). Neither Deno's nor Bun's socket API can
 * adopt a descriptor, so crossnet says so at once, with Node's ERR_INVALID_ARG_VALUE, and
 * the object stays usable.
 *
 * @module
 */
import { once } from "node:events";
import { describe, expect, test } from "vitest";
import { createServer, Socket } from "../node.ts";

const unsupported = expect.objectContaining({
  name: "TypeError",
  code: "ERR_INVALID_ARG_VALUE",
  message: expect.stringContaining("is not supported by crossnet"),
});

describe("descriptors and handles", () => {
  test("new Socket({ fd }) and new Socket(fd) throw", () => {
    expect(() => new Socket({ fd: 3 } as never)).toThrow(unsupported);
    expect(() => new Socket(3 as never)).toThrow(unsupported);
  });

  test("listen({ fd }), listen({ handle: { fd } }) and listen(server with a _handle) throw; the server can listen after", async () => {
    const server = createServer();
    const callback = () => {};
    expect(() => server.listen({ fd: 3 } as never, callback)).toThrow(unsupported);
    expect(() => server.listen({ handle: { fd: 3 } } as never)).toThrow(unsupported);
    expect(() => server.listen({ _handle: { fd: 3 } } as never)).toThrow(unsupported);
    expect(server.listenerCount("listening")).toBe(0);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    server.close();
    await once(server, "close");
  });
});
