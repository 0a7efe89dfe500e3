/**
 * Checks adapters/bun_api.ts against Bun's real types (`@types/bun`): every call the Bun
 * adapter makes, with the options it builds, compiles against `Bun.connect`, `Bun.listen`
 * and `Bun.dns.lookup`, and what they return can stand where the adapter expects its
 * structural types. Compiled by `tsc -p test/types/tsconfig.bun.json` in `npm test`;
 * never run.
 *
 * @module
 */

import type {
  BunApi,
  BunListener,
  BunSocket,
  BunTcpConnectOptions,
  BunTcpListenOptions,
  BunUnixConnectOptions,
  BunUnixListenOptions,
} from "../../adapters/bun_api.ts";

interface Data {
  tag: string;
}

declare const tcp: BunTcpConnectOptions<Data>;
declare const unix: BunUnixConnectOptions<Data>;
declare const tcpListen: BunTcpListenOptions<Data>;
declare const unixListen: BunUnixListenOptions<Data>;

export const connected: Array<Promise<BunSocket<Data>>> = [Bun.connect(tcp), Bun.connect(unix)];
export const listening: BunListener[] = [Bun.listen(tcpListen), Bun.listen(unixListen)];
export const resolved: ReturnType<BunApi["dns"]["lookup"]> = Bun.dns.lookup("localhost", {
  family: 0,
  backend: "system",
});
