/**
 * crossnet as a bench process loads it, per runtime. This file loads the sources; a bench
 * run replaces it in its snapshot with one that loads the package's build (`dist/`, as
 * npm installs it: see `../lib/snapshot.mjs`), unless it runs with `--sources`.
 *
 * @module
 */

/** A loader of crossnet's entry for each runtime. */
export const crossnet: Record<"node" | "deno" | "bun", () => Promise<unknown>> = {
  node: () => import("../../node.ts"),
  deno: () => import("../../deno.ts"),
  bun: () => import("../../bun.ts"),
};
