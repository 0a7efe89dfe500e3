/**
 * Structural types for the part of Deno's API the Deno adapter uses, so that crossnet's
 * published types depend on no Deno namespace. `test/types/deno_api.check.ts` checks them
 * against Deno's real types (`deno check`) in `npm test`.
 *
 * @example
 * ```ts
 * import type { DenoApi } from "./deno_api.ts";
 * const deno = (globalThis as unknown as { Deno?: DenoApi }).Deno;
 * console.log(typeof deno?.connect); // "function" on Deno
 * ```
 *
 * @module
 */

/** `Deno.NetAddr`: a TCP end. */
export interface DenoNetAddr {
  transport: "tcp" | "udp";
  hostname: string;
  port: number;
}

/** `Deno.UnixAddr`: a Unix-domain end. */
export interface DenoUnixAddr {
  transport: "unix" | "unixpacket";
  path: string | null;
}

/** Either end's address. */
export type DenoAddr = DenoNetAddr | DenoUnixAddr;

/** `Deno.Conn` (`TcpConn`, `UnixConn`), as far as the adapter uses it. */
export interface DenoConn {
  read(buffer: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  closeWrite(): Promise<void>;
  close(): void;
  readonly localAddr: DenoAddr;
  readonly remoteAddr: DenoAddr;
  ref(): void;
  unref(): void;
  // TCP connections only.
  setNoDelay?(noDelay?: boolean): void;
  setKeepAlive?(keepAlive?: boolean): void;
}

/** `Deno.Listener`, as far as the adapter uses it. */
export interface DenoListener {
  accept(): Promise<DenoConn>;
  close(): void;
  readonly addr: DenoAddr;
  ref(): void;
  unref(): void;
}

/** The part of the `Deno` global the adapter uses. */
export interface DenoApi {
  connect(
    options:
      | {
        transport: "tcp";
        hostname: string;
        port: number;
        signal?: AbortSignal;
        autoSelectFamily?: boolean;
      }
      | { transport: "unix"; path: string },
  ): Promise<DenoConn>;
  listen(
    options:
      | {
        transport: "tcp";
        hostname: string;
        port: number;
        reusePort?: boolean;
        tcpBacklog?: number;
      }
      | { transport: "unix"; path: string },
  ): DenoListener;
  statSync(path: string): { mode: number | null };
  chmodSync(path: string, mode: number): void;
  unrefTimer(id: number): void;
  readonly version: { readonly deno: string };
  // Present only with --unstable-net.
  readonly listenDatagram?: unknown;
}
