/**
 * crossnet's core for adapter authors: {@link createNet} binds node:net's API to any
 * {@link Driver}, the small contract an adapter implements for one runtime.
 *
 * @example
 * ```ts
 * import { createNet } from "crossnet/core";
 * import { createNodeDriver } from "crossnet/node";
 * const net = createNet(createNodeDriver());
 * const server = net.createServer((socket) => socket.end("hi\n"));
 * server.listen(0, "127.0.0.1", () => server.close());
 * ```
 *
 * @module
 */

export { createNet } from "./src/net.ts";
export { reportUncaught } from "./src/turn.ts";
export type * from "./src/driver.ts";
export * from "./src/public.ts";
