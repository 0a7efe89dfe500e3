/**
 * The core's rule for a runtime that cannot make an IPv6-only listener (the driver's
 * `ipv6Only: false`: Deno.listen, Deno's node:net): a listen with `ipv6Only` on the IPv6
 * wildcard fails with ENOTSUP, without asking the driver, and without falling back to
 * IPv4's `0.0.0.0` when no host was given (that listener would take IPv4 clients only).
 * Other listens reach the driver as usual. A scripted driver shows it on any runtime; the
 * conformance suite's ipv6Only case needs a runtime that can.
 *
 * @module
 */
import { describe, expect, test } from "vitest";
import { createNet } from "../src/net.ts";
import type { Driver, DriverListenOptions, DriverListener } from "../src/driver.ts";

/** A driver that records what it was asked to listen on, and listens on nothing real. */
function recordingDriver(ipv6Only: boolean | undefined, asked: DriverListenOptions[]): Driver {
  return {
    name: "scripted",
    ...(ipv6Only === undefined ? {} : { ipv6Only }),
    lookup: (_hostname, _family, done) => queueMicrotask(() => done(undefined, [{ address: "::", family: 6 }])),
    connect: () => {
      throw new Error("not used");
    },
    listen: (options): DriverListener => {
      asked.push(options);
      const address = options.kind === "tcp"
        ? { address: options.host, family: options.host.includes(":") ? "IPv6" : "IPv4", port: 4321 }
        : options.path;
      return { address: () => address, close: () => {}, ref: () => {}, unref: () => {} };
    },
  };
}

/** `listen(options)`'s outcome: the error's code and message, or the address. */
function outcome(net: ReturnType<typeof createNet>, options: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.on("error", (err: { code?: string; message: string }) => resolve({ error: err.code, message: err.message }));
    server.listen(options, () => {
      resolve(server.address());
      server.close();
    });
  });
}

describe("ipv6Only on a runtime that cannot make an IPv6-only listener", () => {
  test("on :: (any spelling), or with no host: ENOTSUP, the driver never asked", async () => {
    const asked: DriverListenOptions[] = [];
    const net = createNet(recordingDriver(false, asked));
    expect(await outcome(net, { port: 0, host: "::", ipv6Only: true })).toEqual({
      error: "ENOTSUP",
      message: "listen ENOTSUP: operation not supported on socket ::",
    });
    expect(await outcome(net, { port: 0, host: "0:0::0", ipv6Only: true })).toMatchObject({ error: "ENOTSUP" });
    // No host: Node binds `::`; no fallback to 0.0.0.0 here.
    expect(await outcome(net, { port: 0, ipv6Only: true })).toMatchObject({ error: "ENOTSUP" });
    expect(asked).toEqual([]);
  });

  test("other listens reach the driver: ipv6Only elsewhere, or not asked", async () => {
    const asked: DriverListenOptions[] = [];
    const net = createNet(recordingDriver(false, asked));
    expect(await outcome(net, { port: 0, host: "::1", ipv6Only: true })).toMatchObject({ address: "::1" });
    expect(await outcome(net, { port: 0, host: "::" })).toMatchObject({ address: "::" });
    expect(asked.map((o) => o.kind === "tcp" && [o.host, o.ipv6Only])).toEqual([["::1", true], ["::", false]]);
  });

  test("a driver that can (ipv6Only absent or true) is asked", async () => {
    for (const can of [undefined, true]) {
      const asked: DriverListenOptions[] = [];
      const net = createNet(recordingDriver(can, asked));
      expect(await outcome(net, { port: 0, host: "::", ipv6Only: true })).toMatchObject({ address: "::" });
      expect(asked).toHaveLength(1);
    }
  });
});
