/**
 * The dns.lookup hint flags the core hands a program's own `lookup`: the runtime's
 * node:dns values where it has them (a lookup that forwards to dns.lookup passes them on,
 * and dns.lookup refuses bits not its own), else the C library's for the platform. The
 * conformance suite covers the first on every runtime; the fallback needs a runtime
 * without `process.getBuiltinModule` (Node before 20.16), made up here.
 *
 * @module
 */
import dns from "node:dns";
import { afterEach, describe, expect, test, vi } from "vitest";

const realProcess = globalThis.process;

/** dns_flags.ts loaded afresh (it keeps what it found), under `host` as `process`. */
async function loadUnder(host: object): Promise<typeof import("../src/dns_flags.ts")> {
  vi.resetModules();
  Object.defineProperty(globalThis, "process", { value: host, configurable: true, writable: true });
  try {
    const mod = await import("../src/dns_flags.ts");
    mod.dnsFlags(); // read now, under `host`
    return mod;
  } finally {
    Object.defineProperty(globalThis, "process", { value: realProcess, configurable: true, writable: true });
  }
}

afterEach(() => {
  vi.resetModules();
});

describe("dns flags", () => {
  test("the runtime's node:dns values", async () => {
    const { dnsFlags, lookupHints } = await import("../src/dns_flags.ts");
    expect(dnsFlags()).toEqual({ ADDRCONFIG: dns.ADDRCONFIG, V4MAPPED: dns.V4MAPPED, ALL: dns.ALL });
    expect(lookupHints(undefined, 0)).toBe(dns.ADDRCONFIG);
    expect(lookupHints(0, 0)).toBe(dns.ADDRCONFIG);
    expect(lookupHints(4, 0)).toBe(0);
    expect(lookupHints(6, 0)).toBe(0);
    expect(lookupHints(undefined, dns.V4MAPPED)).toBe(dns.V4MAPPED);
  });

  test("without process.getBuiltinModule: the C library's values for the platform", async () => {
    const linux = await loadUnder({ platform: "linux" });
    expect(linux.dnsFlags()).toEqual({ ADDRCONFIG: 32, V4MAPPED: 8, ALL: 16 });
    const mac = await loadUnder({ platform: "darwin" });
    expect(mac.dnsFlags()).toEqual({ ADDRCONFIG: 0x400, V4MAPPED: 0x800, ALL: 0x100 });
    const none = await loadUnder({});
    expect(none.dnsFlags()).toEqual({ ADDRCONFIG: 0x400, V4MAPPED: 0x800, ALL: 0x100 });
  });

  test("a node:dns without the constants, or one that throws: the same fallback", async () => {
    const odd = await loadUnder({ platform: "linux", getBuiltinModule: () => ({}) });
    expect(odd.dnsFlags().ADDRCONFIG).toBe(32);
    const throwing = await loadUnder({
      platform: "linux",
      getBuiltinModule: () => {
        throw new Error("no such module");
      },
    });
    expect(throwing.dnsFlags().ADDRCONFIG).toBe(32);
  });

  test("Windows: no ADDRCONFIG by default, as Node", async () => {
    vi.resetModules();
    const mod = await import("../src/dns_flags.ts");
    Object.defineProperty(globalThis, "process", {
      value: { platform: "win32" },
      configurable: true,
      writable: true,
    });
    try {
      expect(mod.lookupHints(undefined, 0)).toBe(0);
    } finally {
      Object.defineProperty(globalThis, "process", { value: realProcess, configurable: true, writable: true });
    }
  });
});
