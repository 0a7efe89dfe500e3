/**
 * crossnet on Node.js, explicitly: node:net's API over `node:net` itself.
 *
 * @example
 * ```ts
 * import { createServer, connect } from "crossnet/node";
 * const server = createServer((socket) => socket.pipe(socket)); // echo
 * server.listen(8124, "127.0.0.1", () => {
 *   const client = connect(8124, "127.0.0.1", () => client.end("hi"));
 *   client.on("data", (d) => console.log(d.toString())); // hi
 *   client.on("close", () => server.close());
 * });
 * ```
 *
 * @module
 */

import { createNodeDriver } from "./adapters/node.ts";
import { createNet, type Net } from "./src/net.ts";
import type * as types from "./src/public.ts";

export { createNodeDriver };
export * from "./src/public.ts";

const net: Net = createNet(createNodeDriver());

/**
 * A TCP or Unix-domain socket (`net.Socket`).
 *
 * @example
 * ```ts
 * import { Socket } from "crossnet/node";
 * const socket = new Socket();
 * socket.setEncoding("utf8");
 * socket.on("data", (text) => console.log(text));
 * socket.connect(8124, "127.0.0.1", () => socket.end("hello"));
 * ```
 */
export const Socket: Net["Socket"] = net.Socket;
/** A socket, as a type: what `new Socket()` and `connect()` make (`net.Socket` in TypeScript). */
export type Socket = types.SocketInstance;
/**
 * The old name of {@link Socket} (`net.Stream`, which node:net keeps for code of its early
 * days): the same class.
 *
 * @example
 * ```ts
 * import { Socket, Stream } from "crossnet/node";
 * console.log(Stream === Socket); // true
 * ```
 */
export const Stream: Net["Stream"] = net.Stream;
/**
 * A TCP or Unix-domain server (`net.Server`).
 *
 * @example
 * ```ts
 * import { Server } from "crossnet/node";
 * const server = new Server((socket) => socket.end("hello\n"));
 * server.listen(8124, "127.0.0.1");
 * ```
 */
export const Server: Net["Server"] = net.Server;
/** A server, as a type: what `new Server()` and `createServer()` make (`net.Server` in TypeScript). */
export type Server = types.ServerInstance;
/**
 * Open a connection (`net.connect`); same function as {@link createConnection}.
 *
 * @example
 * ```ts
 * import { connect } from "crossnet/node";
 * const socket = connect({ host: "127.0.0.1", port: 8124 }, () => socket.end("hello"));
 * socket.on("error", (err) => console.error(err.message)); // connect ECONNREFUSED 127.0.0.1:8124
 * ```
 */
export const connect: Net["connect"] = net.connect;
/**
 * Open a connection (`net.createConnection`); same function as {@link connect}.
 *
 * @example
 * ```ts
 * import { createConnection } from "crossnet/node";
 * const socket = createConnection("/tmp/app.sock", () => socket.end("hello")); // Unix domain
 * socket.on("close", (hadError) => console.log("closed", hadError));
 * ```
 */
export const createConnection: Net["createConnection"] = net.createConnection;
/**
 * Make a server (`net.createServer`).
 *
 * @example
 * ```ts
 * import { createServer } from "crossnet/node";
 * const server = createServer((socket) => socket.pipe(socket)); // echo
 * server.listen(8124, () => console.log("listening on", server.address()));
 * ```
 */
export const createServer: Net["createServer"] = net.createServer;
/**
 * 4, 6 or 0: the IP version of a string (`net.isIP`).
 *
 * @example
 * ```ts
 * import { isIP } from "crossnet/node";
 * isIP("127.0.0.1"); // 4
 * isIP("::1"); // 6
 * isIP("localhost"); // 0
 * ```
 */
export const isIP: Net["isIP"] = net.isIP;
/**
 * Whether a string is an IPv4 address (`net.isIPv4`).
 *
 * @example
 * ```ts
 * import { isIPv4 } from "crossnet/node";
 * isIPv4("127.0.0.1"); // true
 * isIPv4("::1"); // false
 * ```
 */
export const isIPv4: Net["isIPv4"] = net.isIPv4;
/**
 * Whether a string is an IPv6 address (`net.isIPv6`).
 *
 * @example
 * ```ts
 * import { isIPv6 } from "crossnet/node";
 * isIPv6("::1"); // true
 * isIPv6("127.0.0.1"); // false
 * ```
 */
export const isIPv6: Net["isIPv6"] = net.isIPv6;
/**
 * The default of the `autoSelectFamily` connect option.
 *
 * @example
 * ```ts
 * import { getDefaultAutoSelectFamily } from "crossnet/node";
 * getDefaultAutoSelectFamily(); // true, unless set otherwise
 * ```
 */
export const getDefaultAutoSelectFamily: Net["getDefaultAutoSelectFamily"] = net.getDefaultAutoSelectFamily;
/**
 * Set the default of the `autoSelectFamily` connect option.
 *
 * @example
 * ```ts
 * import { setDefaultAutoSelectFamily } from "crossnet/node";
 * setDefaultAutoSelectFamily(false); // connect tries only the first address of a host name
 * ```
 */
export const setDefaultAutoSelectFamily: Net["setDefaultAutoSelectFamily"] = net.setDefaultAutoSelectFamily;
/**
 * The default per-attempt timeout of Happy Eyeballs, in ms.
 *
 * @example
 * ```ts
 * import { getDefaultAutoSelectFamilyAttemptTimeout } from "crossnet/node";
 * getDefaultAutoSelectFamilyAttemptTimeout(); // 250, unless set otherwise
 * ```
 */
export const getDefaultAutoSelectFamilyAttemptTimeout: Net["getDefaultAutoSelectFamilyAttemptTimeout"] =
  net.getDefaultAutoSelectFamilyAttemptTimeout;
/**
 * Set the default per-attempt timeout of Happy Eyeballs, in ms.
 *
 * @example
 * ```ts
 * import { setDefaultAutoSelectFamilyAttemptTimeout } from "crossnet/node";
 * setDefaultAutoSelectFamilyAttemptTimeout(500); // each address gets 500 ms before the next
 * ```
 */
export const setDefaultAutoSelectFamilyAttemptTimeout: Net["setDefaultAutoSelectFamilyAttemptTimeout"] =
  net.setDefaultAutoSelectFamilyAttemptTimeout;
/**
 * The whole API as one object, as node:net's default export: code written
 * `import net from "node:net"` (or `const net = require("net")`) runs with only the
 * module name changed. Its members are the named exports above.
 *
 * @example
 * ```ts
 * import net from "crossnet/node";
 * const server = net.createServer((socket) => socket.end("hello\n"));
 * server.listen(8124, "127.0.0.1", () => {
 *   const client = net.connect(8124, "127.0.0.1");
 *   client.on("data", (d) => console.log(d.toString())); // hello
 *   client.on("close", () => server.close());
 * });
 * ```
 */
const api: Net = net;
/**
 * node:net's type names on the default export too, as `@types/node` has them:
 * `import net from "crossnet"`, then `let socket: net.Socket`.
 */
declare namespace api {
  /** A socket, as a type (`net.Socket`). */
  export type Socket = types.NetTypes["Socket"];
  /** A server, as a type (`net.Server`). */
  export type Server = types.NetTypes["Server"];
  /** A bound address (`net.AddressInfo`). */
  export type AddressInfo = types.NetTypes["AddressInfo"];
  /** `new Socket(options)` (`net.SocketConstructorOpts`). */
  export type SocketConstructorOpts = types.NetTypes["SocketConstructorOpts"];
  /** `connect(options)` (`net.NetConnectOpts`). */
  export type NetConnectOpts = types.NetTypes["NetConnectOpts"];
  /** `createServer(options)` (`net.ServerOpts`). */
  export type ServerOpts = types.NetTypes["ServerOpts"];
  /** `server.listen(options)` (`net.ListenOptions`). */
  export type ListenOptions = types.NetTypes["ListenOptions"];
}
export default api;
