/**
 * node:net's type names (as `@types/node` declares them) for crossnet's types, so that
 * TypeScript written against node:net (`net.NetConnectOpts`, `net.ServerOpts`...) compiles
 * with only the import changed. Each is an alias of the crossnet type it names.
 *
 * @example
 * ```ts
 * import { connect, type NetConnectOpts } from "crossnet";
 * const options: NetConnectOpts = { host: "127.0.0.1", port: 8124, timeout: 1000 };
 * connect(options).on("error", () => {});
 * ```
 *
 * @module
 */

import type {
  AddressInfo,
  IpcSocketConnectOptions,
  OnReadOptions,
  Socket,
  SocketConnectOptions,
  SocketOptions,
  TcpSocketConnectOptions,
} from "./socket.ts";
import type { DropInfo, ListenOptions, Server, ServerOptions } from "./server.ts";

/** node:net's name for {@link SocketOptions}: `new Socket(options)`. */
export type SocketConstructorOpts = SocketOptions;
/** node:net's name for {@link OnReadOptions}: the `onread` option. */
export type OnReadOpts = OnReadOptions;
/** node:net's name for {@link TcpSocketConnectOptions}. */
export type TcpSocketConnectOpts = TcpSocketConnectOptions;
/** node:net's name for {@link IpcSocketConnectOptions}. */
export type IpcSocketConnectOpts = IpcSocketConnectOptions;
/** node:net's name for {@link SocketConnectOptions}: `socket.connect(options)`. */
export type SocketConnectOpts = SocketConnectOptions;
/** node:net's name for a TCP `connect(options)`'s options (socket options included). */
export type TcpNetConnectOpts = TcpSocketConnectOptions;
/** node:net's name for a Unix-socket `connect(options)`'s options (socket options included). */
export type IpcNetConnectOpts = IpcSocketConnectOptions;
/** node:net's name for `connect(options)`'s options. */
export type NetConnectOpts = SocketConnectOptions;
/** node:net's name for {@link ServerOptions}: `createServer(options)`. */
export type ServerOpts = ServerOptions;
/** node:net's name for {@link DropInfo}: what the server's `drop` event carries. */
export type DropArgument = DropInfo;
/** node:net's name for what `socket.readyState` says. */
export type SocketReadyState = Socket["readyState"];

/**
 * node:net's type names, as one map: each entry's default export declares its type
 * namespace from it (`import net from "crossnet"`, then `net.Socket`). (A map, not the
 * types themselves: inside that namespace a type cannot name a type of the same name
 * outside it, and the bundled declarations would make it refer to itself.)
 */
export interface NetTypes {
  /** `net.Socket`. */
  Socket: Socket;
  /** `net.Server`. */
  Server: Server;
  /** `net.AddressInfo`. */
  AddressInfo: AddressInfo;
  /** `net.SocketConstructorOpts`. */
  SocketConstructorOpts: SocketConstructorOpts;
  /** `net.NetConnectOpts`. */
  NetConnectOpts: NetConnectOpts;
  /** `net.ServerOpts`. */
  ServerOpts: ServerOpts;
  /** `net.ListenOptions`. */
  ListenOptions: ListenOptions;
}
