/**
 * The flags of `dns.lookup`'s `hints` as the running runtime's own `node:dns` has them.
 * Their values are the C library's `AI_*` (Linux: `ADDRCONFIG` 32, `V4MAPPED` 8, `ALL`
 * 16; macOS, the BSDs and Windows: 0x400, 0x800, 0x100), and a runtime's `dns.lookup`
 * refuses any bit that is not one of its own (`ERR_INVALID_ARG_VALUE`). node:net hands a
 * program's own `lookup` its `ADDRCONFIG` when no family was asked, and a `lookup` that
 * forwards to `dns.lookup` (the usual wrapper: logging, caching) passes it on: it has to
 * be the runtime's value.
 *
 * @module
 */

import { builtinModule } from "./builtin_module.ts";

/** The three flags `dns.lookup` takes in `hints`. */
export interface DnsFlags {
  /** Addresses of a family only if the host has an address of it (`dns.ADDRCONFIG`). */
  readonly ADDRCONFIG: number;
  /** IPv4 addresses as IPv4-mapped IPv6 ones when IPv6 was asked (`dns.V4MAPPED`). */
  readonly V4MAPPED: number;
  /** With `V4MAPPED`: IPv6 and mapped IPv4 addresses both (`dns.ALL`). */
  readonly ALL: number;
}

/** The platform, as `process.platform` says (`undefined` where there is no `process`). */
function platform(): string | undefined {
  return (globalThis as { process?: { platform?: string } }).process?.platform;
}

let flags: DnsFlags | undefined;

/**
 * The runtime's `dns.ADDRCONFIG`, `dns.V4MAPPED` and `dns.ALL`: read from its `node:dns`
 * (through `process.getBuiltinModule`, the first time they are needed), else the
 * platform's C library values (Linux's, or the BSD family's elsewhere).
 *
 * @returns The flags, the same object on every call.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import dns from "node:dns";
 * import { dnsFlags } from "./dns_flags.ts";
 *
 * assert.equal(dnsFlags().ADDRCONFIG, dns.ADDRCONFIG);
 * ```
 */
export function dnsFlags(): DnsFlags {
  if (flags !== undefined) return flags;
  const dns = builtinModule("node:dns") as Partial<DnsFlags> | undefined;
  const { ADDRCONFIG, V4MAPPED, ALL } = dns ?? {};
  if (typeof ADDRCONFIG === "number" && typeof V4MAPPED === "number" && typeof ALL === "number") {
    return flags = { ADDRCONFIG, V4MAPPED, ALL };
  }
  // No node:dns here: the C library's values.
  return flags = platform() === "linux"
    ? { ADDRCONFIG: 32, V4MAPPED: 8, ALL: 16 }
    : { ADDRCONFIG: 0x400, V4MAPPED: 0x800, ALL: 0x100 };
}

/**
 * The `hints` node:net gives a name's lookup: the program's own, or `dns.ADDRCONFIG` when
 * it gave none and asked for no family (not on Windows, as Node).
 *
 * @param family The family asked for (4, 6, or anything else for both).
 * @param hints The `hints` option (0 when not given).
 * @returns The hints to pass to the lookup.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dnsFlags, lookupHints } from "./dns_flags.ts";
 *
 * assert.equal(lookupHints(4, 0), 0);
 * assert.equal(lookupHints(undefined, 0), dnsFlags().ADDRCONFIG);
 * ```
 */
export function lookupHints(family: number | undefined, hints: number): number {
  if (family === 4 || family === 6 || hints !== 0) return hints;
  return platform() === "win32" ? 0 : dnsFlags().ADDRCONFIG;
}
