/**
 * Checks adapters/deno_api.ts against Deno's real types: the `Deno` global can stand where
 * the Deno adapter expects its structural `DenoApi`, and the connections and listeners
 * Deno returns can stand for `DenoConn` and `DenoListener`. Type-checked by `deno check`
 * in `npm test`; never run.
 *
 * @module
 */

import type { DenoAddr, DenoApi, DenoConn, DenoListener } from "../../adapters/deno_api.ts";

type ConnectOptions = Parameters<DenoApi["connect"]>[0];
type ListenOptions = Parameters<DenoApi["listen"]>[0];

declare const tcp: Extract<ConnectOptions, { transport: "tcp" }>;
declare const unix: Extract<ConnectOptions, { transport: "unix" }>;
declare const tcpListen: Extract<ListenOptions, { transport: "tcp" }>;
declare const unixListen: Extract<ListenOptions, { transport: "unix" }>;

export const connected: Array<Promise<DenoConn>> = [Deno.connect(tcp), Deno.connect(unix)];
export const listening: DenoListener[] = [Deno.listen(tcpListen), Deno.listen(unixListen)];
export const address: DenoAddr = Deno.listen(tcpListen).addr;
export const files: Pick<DenoApi, "statSync" | "chmodSync" | "unrefTimer"> = Deno;
