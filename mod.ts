/**
 * crossnet: node:net's API on Node.js, Deno and Bun, each on its own fastest sockets.
 * This entry picks the adapter of the runtime it runs in (`Deno.connect` on Deno,
 * `Bun.connect` on Bun, `node:net` on Node); `crossnet/node`, `crossnet/deno` and
 * `crossnet/bun` pin one.
 *
 * @example
 * ```ts
 * import { createServer, connect } from "crossnet";
 * const server = createServer((socket) => socket.pipe(socket)); // echo
 * server.listen(0, "127.0.0.1", () => {
 *   const client = connect(server.address().port, "127.0.0.1", () => client.end("hi"));
 *   client.on("data", (d) => console.log(d.toString())); // hi
 *   client.on("close", () => server.close());
 * });
 * ```
 *
 * @module
 */

import { createBunDriver } from "./adapters/bun.ts";
import { createDenoDriver } from "./adapters/deno.ts";
import { createNodeDriver } from "./adapters/node.ts";
import type { Driver } from "./src/driver.ts";
import { createNet, type Net } from "./src/net.ts";

export * from "./src/public.ts";

/**
 * The driver of the runtime this module runs in: `Bun.connect` on Bun, `Deno.connect` on
 * Deno, `node:net` elsewhere. Detected from the globals, so it also holds when this file
 * is imported by path (JSR, `deno run`), where package.json's conditions play no part.
 */
function detectDriver(): Driver {
  const g = globalThis as { Bun?: unknown; Deno?: { connect?: unknown } };
  if (g.Bun !== undefined) return createBunDriver();
  if (typeof g.Deno?.connect === "function") return createDenoDriver();
  return createNodeDriver();
}

const net: Net = createNet(detectDriver());

/** A TCP or Unix-domain socket (`net.Socket`). */
export const Socket: Net["Socket"] = net.Socket;
/** A TCP or Unix-domain server (`net.Server`). */
export const Server: Net["Server"] = net.Server;
/** Open a connection (`net.connect`); same function as {@link createConnection}. */
export const connect: Net["connect"] = net.connect;
/** Open a connection (`net.createConnection`); same function as {@link connect}. */
export const createConnection: Net["createConnection"] = net.createConnection;
/** Make a server (`net.createServer`). */
export const createServer: Net["createServer"] = net.createServer;
/** 4, 6 or 0: the IP version of a string (`net.isIP`). */
export const isIP: Net["isIP"] = net.isIP;
/** Whether a string is an IPv4 address (`net.isIPv4`). */
export const isIPv4: Net["isIPv4"] = net.isIPv4;
/** Whether a string is an IPv6 address (`net.isIPv6`). */
export const isIPv6: Net["isIPv6"] = net.isIPv6;
/** The default of the `autoSelectFamily` connect option. */
export const getDefaultAutoSelectFamily: Net["getDefaultAutoSelectFamily"] = net.getDefaultAutoSelectFamily;
/** Set the default of the `autoSelectFamily` connect option. */
export const setDefaultAutoSelectFamily: Net["setDefaultAutoSelectFamily"] = net.setDefaultAutoSelectFamily;
/** The default per-attempt timeout of Happy Eyeballs, in ms. */
export const getDefaultAutoSelectFamilyAttemptTimeout: Net["getDefaultAutoSelectFamilyAttemptTimeout"] =
  net.getDefaultAutoSelectFamilyAttemptTimeout;
/** Set the default per-attempt timeout of Happy Eyeballs, in ms. */
export const setDefaultAutoSelectFamilyAttemptTimeout: Net["setDefaultAutoSelectFamilyAttemptTimeout"] =
  net.setDefaultAutoSelectFamilyAttemptTimeout;
