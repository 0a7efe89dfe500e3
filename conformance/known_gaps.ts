/**
 * Known gaps: cases a crossnet target does not pass yet on one runtime. Each entry is a
 * crossnet bug or an adapter gap with an open issue, listed here so the matrix reports it
 * as skipped with its reason instead of hiding it. The reference (`node:net` on Node) is
 * never listed: it must pass everything. Remove an entry as soon as its case passes.
 *
 * @module
 */

/** One known gap. */
export interface KnownGap {
  /** `area/name` of the case. */
  caseId: string;
  /** Targets (`crossnet`, `crossnet-deno`...) it applies to. */
  targets: readonly string[];
  /** Runtimes (`node`, `deno`, `bun`) it applies to. */
  runtimes: readonly string[];
  /** Why, and which issue tracks it. */
  reason: string;
}

/** Every known gap. */
export const knownGaps: readonly KnownGap[] = [
  {
    caseId: "addresses/ipv6Only: true refuses IPv4 clients, accepts ::1",
    targets: ["crossnet", "crossnet-deno", "crossnet-node"],
    runtimes: ["deno"],
    reason: "Deno.listen cannot set IPV6_V6ONLY and Deno's node:net ignores ipv6Only; " +
      "crossnet on Deno (its node adapter too) fails such a listen with ENOTSUP rather than accept IPv4 clients (issue 3)",
  },
];

/** The reason `caseId` is a known gap for this target and runtime, if it is one. */
export function knownGap(caseId: string, target: string, runtime: string): string | undefined {
  const gap = knownGaps.find((g) =>
    g.caseId === caseId && g.targets.includes(target) && g.runtimes.includes(runtime)
  );
  return gap ? `known gap: ${gap.reason}` : undefined;
}
