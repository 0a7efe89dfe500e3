/**
 * Structural types for the part of Bun's API the Bun adapter uses, so that crossnet's
 * published types depend on no Bun type package. `test/types/bun_api.check.ts` checks them
 * against Bun's real types (`@types/bun`, a devDependency) in `npm test`.
 *
 * @example
 * ```ts
 * import type { BunApi } from "./bun_api.ts";
 * const bun = (globalThis as unknown as { Bun?: BunApi }).Bun;
 * console.log(typeof bun?.connect); // "function" on Bun
 * ```
 *
 * @module
 */

import type { AddressFamily } from "../src/driver.ts";

/** A Bun socket (`Socket<Data>`), as far as the adapter uses it. */
export interface BunSocket<Data> {
  data: Data;
  /** Bytes taken (the rest is dropped), or -1 once shut down or closed. */
  write(data: Uint8Array, byteOffset?: number, byteLength?: number): number;
  /** No argument: shutdown(SHUT_WR), our FIN. `true`: the read side instead. */
  shutdown(readSide?: boolean): void;
  /** Closes the whole socket (a FIN; bytes already taken still go out). */
  close(): void;
  /** SO_LINGER 0, then close: a RST. */
  terminate(): void;
  pause(): void;
  resume(): void;
  timeout(seconds: number): void;
  setNoDelay(noDelay?: boolean): boolean;
  setKeepAlive(enable?: boolean, initialDelayMs?: number): boolean;
  ref(): void;
  unref(): void;
  // Undefined on Unix-domain sockets and once closed.
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly localFamily?: string;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly remoteFamily?: string;
}

/** The handler object of `Bun.connect`/`Bun.listen`: one per listener, not per socket. */
export interface BunSocketHandler<Data> {
  open(socket: BunSocket<Data>): void;
  data(socket: BunSocket<Data>, chunk: Uint8Array): void;
  drain(socket: BunSocket<Data>): void;
  end(socket: BunSocket<Data>): void;
  close(socket: BunSocket<Data>, error?: unknown): void;
  /** `Bun.connect` failed (its promise then rejects, not reported as unhandled). */
  connectError?(socket: BunSocket<Data>, error: unknown): void;
}

/** What every `Bun.connect`/`Bun.listen` call passes. */
export interface BunSocketOptions<Data> {
  socket: BunSocketHandler<Data>;
  data: Data;
  allowHalfOpen: boolean;
}

/** What `Bun.listen` returns (`TCPSocketListener`/`UnixSocketListener`). */
export interface BunListener {
  // TCP listeners: the bound address as getsockname(2) says it.
  getsockname?(out: { address?: string; family?: string; port?: number }): void;
  readonly hostname?: string;
  readonly port?: number;
  /** Stop accepting (and remove a Unix socket file); `true` also closes the connections. */
  stop(closeActiveConnections?: boolean): void;
  ref(): void;
  unref(): void;
}

/** `Bun.connect`'s options for TCP. */
export interface BunTcpConnectOptions<Data> extends BunSocketOptions<Data> {
  hostname: string;
  port: number;
  localAddress?: string;
  localPort?: number;
}

/** `Bun.connect`'s options for a Unix-domain socket. */
export interface BunUnixConnectOptions<Data> extends BunSocketOptions<Data> {
  unix: string;
}

/** `Bun.listen`'s options for TCP. */
export interface BunTcpListenOptions<Data> extends BunSocketOptions<Data> {
  hostname: string;
  port: number;
  exclusive: boolean;
  reusePort: boolean;
  ipv6Only: boolean;
}

/** `Bun.listen`'s options for a Unix-domain socket. */
export interface BunUnixListenOptions<Data> extends BunSocketOptions<Data> {
  unix: string;
}

/** The part of the `Bun` global the adapter uses. */
export interface BunApi {
  connect<Data>(
    options: BunTcpConnectOptions<Data> | BunUnixConnectOptions<Data>,
  ): Promise<BunSocket<Data>>;
  listen<Data>(options: BunTcpListenOptions<Data> | BunUnixListenOptions<Data>): BunListener;
  readonly dns: {
    lookup(
      hostname: string,
      options: { family: 0 | AddressFamily; backend: "system" },
    ): Promise<Array<{ address: string; family: AddressFamily }>>;
  };
}
