/**
 * What the three runner files share: the environment, the targets, options from the
 * process environment (`CROSSNET_TARGET`, `CROSSNET_RESULTS`, `CROSSNET_FILTER`).
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import { networkInterfaces } from "node:os";
import process from "node:process";
import type { Capability, Env, NetApi, Target } from "../harness.ts";
import type { SuiteOptions } from "../run.ts";

/** The runtime the suite runs in. */
export function runtimeInfo(): { name: string; version: string } {
  const g = globalThis as any;
  if (g.Deno) return { name: "deno", version: g.Deno.version.deno };
  if (g.Bun) return { name: "bun", version: g.Bun.version };
  return { name: "node", version: process.versions.node };
}

/** Facts about this machine the OS-dependent cases need. */
export function detectEnv(): Env {
  const ipv6 = Object.values(networkInterfaces()).some((list) =>
    list?.some((i) => i.family === "IPv6" && i.address === "::1")
  );
  return { runtime: runtimeInfo().name, platform: process.platform, ipv6 };
}

/**
 * The target named by `CROSSNET_TARGET`: `crossnet` (the runtime's own adapter, as the
 * package root picks it), `crossnet-node` (the node adapter, on any runtime), `crossnet-deno`,
 * `crossnet-bun` (one adapter explicitly) or `node:net`.
 */
export async function loadTarget(name: string = process.env.CROSSNET_TARGET ?? "crossnet"): Promise<Target> {
  switch (name) {
    case "node:net": {
      const net: any = await import("node:net");
      const api = (net.default ?? net) as NetApi;
      // Node 20's node:net predates Node 22.13's additions (SocketAddress.parse came with them).
      const node22 = typeof api.SocketAddress?.parse === "function";
      // Node 24 added setTypeOfService/getTypeOfService.
      const node24 = typeof (api.Socket as any)?.prototype?.setTypeOfService === "function";
      // Node 24.21 added BlockList's CIDR and removal methods (after 24.15's typeOfService option).
      const node2421 = typeof (api.BlockList as any)?.prototype?.addCIDR === "function";
      const capabilities: Capability[] = [];
      if (node22) capabilities.push("node22");
      if (node24) capabilities.push("node24");
      if (node2421) capabilities.push("node24.21");
      return { name, net: api, capabilities };
    }
    case "crossnet": {
      const net: any = await import("../../mod.ts");
      return { name, net: net as NetApi, capabilities: ["extras", "node22", "node24", "node24.21"] };
    }
    case "crossnet-node": {
      const net: any = await import("../../node.ts");
      return { name, net: net as NetApi, capabilities: ["extras", "node22", "node24", "node24.21"] };
    }
    case "crossnet-deno":
    case "crossnet-bun": {
      const { createNet } = await import("../../src/net.ts");
      const adapter: any = name === "crossnet-deno"
        ? await import("../../adapters/deno.ts")
        : await import("../../adapters/bun.ts");
      const driver = name === "crossnet-deno" ? adapter.createDenoDriver() : adapter.createBunDriver();
      return { name, net: createNet(driver) as unknown as NetApi, capabilities: ["extras", "node22", "node24", "node24.21"] };
    }
    default:
      throw new Error(`Unknown CROSSNET_TARGET "${name}"`);
  }
}

/** Suite options from the environment. */
export function suiteOptions(): SuiteOptions {
  return {
    runtime: runtimeInfo(),
    env: detectEnv(),
    resultsFile: process.env.CROSSNET_RESULTS || undefined,
    filter: process.env.CROSSNET_FILTER || undefined,
  };
}
