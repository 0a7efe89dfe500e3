/**
 * `createNet(driver)`: node:net's API bound to one runtime's {@link Driver}. The entry
 * points (`crossnet`, `crossnet/node`, `crossnet/deno`, `crossnet/bun`) are this function
 * applied to an adapter; `crossnet/core` exports it so anyone can bring a driver.
 *
 * @module
 */

import type { Driver } from "./driver.ts";
import { Socket as CoreSocket, type SocketConnectOptions, type SocketOptions } from "./socket.ts";
import { normalizeConnectArgs } from "./socket_args.ts";
import { Server as CoreServer, type ServerOptions } from "./server.ts";
import { isIP, isIPv4, isIPv6 } from "./ip.ts";
import { BlockList } from "./block_list.ts";
import { SocketAddress } from "./socket_address.ts";
import {
  getDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamily,
  setDefaultAutoSelectFamilyAttemptTimeout,
} from "./defaults.ts";

// deno-lint-ignore no-explicit-any
type Callback = (...args: any[]) => void;

/** A Socket class bound to a driver: `new Socket(options?)`. */
export type SocketClass = new (options?: SocketOptions) => CoreSocket;

/** A Server class bound to a driver: `new Server(options?, listener?)`. */
export type ServerClass = new (
  options?: ServerOptions | ((socket: CoreSocket) => void),
  connectionListener?: (socket: CoreSocket) => void,
) => CoreServer;

/** `connect` / `createConnection`, with all of node:net's forms. */
export interface ConnectFunction {
  (options: SocketConnectOptions, connectListener?: () => void): CoreSocket;
  (port: number | string, host?: string, connectListener?: () => void): CoreSocket;
  (port: number | string, connectListener?: () => void): CoreSocket;
  (path: string, connectListener?: () => void): CoreSocket;
}

/** node:net's API on one driver. */
export interface Net {
  /** A TCP or Unix-domain socket class (`net.Socket`). */
  Socket: SocketClass;
  /** The old name of `Socket` (`net.Stream`, which node:net keeps): the same class. */
  Stream: SocketClass;
  /** A TCP or Unix-domain server class (`net.Server`). */
  Server: ServerClass;
  /** Open a connection (`net.connect`); same function as `createConnection`. */
  connect: ConnectFunction;
  /** Open a connection (`net.createConnection`); same function as `connect`. */
  createConnection: ConnectFunction;
  /** Make a server (`net.createServer`); `connectionListener` gets each accepted socket. */
  createServer(
    options?: ServerOptions | ((socket: CoreSocket) => void),
    connectionListener?: (socket: CoreSocket) => void,
  ): CoreServer;
  /** 4, 6 or 0: the IP version of `input` (`net.isIP`). */
  isIP: (input: unknown) => 0 | 4 | 6;
  /** Whether `input` is an IPv4 address (`net.isIPv4`). */
  isIPv4: (input: unknown) => boolean;
  /** Whether `input` is an IPv6 address, zone allowed (`net.isIPv6`). */
  isIPv6: (input: unknown) => boolean;
  /** The default of the `autoSelectFamily` connect option (Happy Eyeballs). */
  getDefaultAutoSelectFamily: () => boolean;
  /** Set the default of the `autoSelectFamily` connect option. */
  setDefaultAutoSelectFamily: (value: boolean) => void;
  /** The default per-attempt timeout of Happy Eyeballs, in ms. */
  getDefaultAutoSelectFamilyAttemptTimeout: () => number;
  /** Set the default per-attempt timeout of Happy Eyeballs, in ms (below 10 becomes 10). */
  setDefaultAutoSelectFamilyAttemptTimeout: (value: number) => void;
  /** Rules refusing IP addresses, ranges and subnets (`net.BlockList`), the same class everywhere. */
  BlockList: typeof BlockList;
  /** An IP socket address (`net.SocketAddress`), the same class everywhere. */
  SocketAddress: typeof SocketAddress;
}

/**
 * node:net's API over `driver`.
 *
 * @param driver The runtime primitives (see `adapters/`).
 * @returns `Socket`, `Server`, `connect`, `createConnection`, `createServer`, `isIP`...
 *
 * @example
 * ```ts
 * import { createNet } from "crossnet/core";
 * import { createNodeDriver } from "crossnet/node";
 * const net = createNet(createNodeDriver());
 * const server = net.createServer((s) => s.pipe(s)).listen(0, "127.0.0.1");
 * server.close();
 * ```
 */
export function createNet(driver: Driver): Net {
  // The classes take their names, `Socket` and `Server` as node:net's, from the property
  // keys: declared as `class Socket`, a bundler renames them (esbuild: `Socket2`), since
  // the core classes they extend have those names too, and `socket.constructor.name`,
  // `util.inspect(socket)` and stack traces would show that name.
  const { Socket, Server } = {
    Socket: class extends CoreSocket {
      constructor(options?: SocketOptions) {
        super(driver, options);
      }
    },
    Server: class extends CoreServer {
      constructor(options?: ServerOptions | Callback, connectionListener?: Callback) {
        super(driver, newSocket, options, connectionListener);
      }
    },
  };
  const newSocket = (options: SocketOptions) => new Socket(options);
  // deno-lint-ignore no-explicit-any
  const connect = ((...args: any[]) => {
    const normalized = normalizeConnectArgs(args);
    const options = normalized[0] as SocketConnectOptions & { timeout?: number };
    const socket = new Socket(options);
    if (options.timeout) socket.setTimeout(options.timeout);
    return socket.connect(options, normalized[1]);
  }) as ConnectFunction;
  return {
    Socket,
    Stream: Socket,
    Server,
    connect,
    createConnection: connect,
    createServer: (options, connectionListener) => new Server(options, connectionListener),
    isIP,
    isIPv4,
    isIPv6,
    getDefaultAutoSelectFamily,
    setDefaultAutoSelectFamily,
    getDefaultAutoSelectFamilyAttemptTimeout,
    setDefaultAutoSelectFamilyAttemptTimeout,
    BlockList,
    SocketAddress,
  };
}
