/**
 * The runtimes the bench runs on: where each executable is, its version, its variants, and
 * the command line of one workload process (`../workload/main.ts`).
 *
 * Node is Node 24 from node_modules when installed (else the orchestrator's own Node); it
 * runs the workload transpiled to JavaScript (see `compile.mjs`). Deno and Bun are their
 * npm packages' binaries, started directly (no `npx` wrapper process: its RSS and start-up
 * are not the runtime's), on the TypeScript sources.
 *
 * @module
 */

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * Variants per runtime, in the order each interleaved round runs them. On Node the native
 * API is node:net itself, so Node has two.
 */
export const VARIANTS = {
  node: ["crossnet", "node:net"],
  deno: ["crossnet", "native", "node:net"],
  bun: ["crossnet", "native", "node:net"],
};

/** The variant crossnet is compared with as "native" on each runtime. */
export const NATIVE = { node: "node:net", deno: "native", bun: "native" };

/**
 * `--by-side`: crossnet on one side only, the runtime's native API on the other, to see
 * which side a gap comes from. Each runs after the variants above in every round.
 */
export const SIDE_VARIANTS = ["crossnet-server", "crossnet-client"];

/**
 * What one process of a run uses: the run's variant, or for a side variant crossnet on
 * its side and the native API on the other.
 *
 * @param {string} runtime
 * @param {string} variant A variant of {@link VARIANTS} or {@link SIDE_VARIANTS}.
 * @param {"server" | "client"} role
 * @returns {string} A variant of {@link VARIANTS}.
 */
export function variantOf(runtime, variant, role) {
  if (variant === "crossnet-server") return role === "server" ? "crossnet" : NATIVE[runtime];
  if (variant === "crossnet-client") return role === "client" ? "crossnet" : NATIVE[runtime];
  return variant;
}

function nodeExecutable(root) {
  const node24 = join(root, "node_modules", "node24", "bin", "node");
  return existsSync(node24) ? node24 : process.execPath;
}

/**
 * Find every runtime asked for.
 *
 * @param {string} root The repository root.
 * @param {string[]} names Runtimes asked for.
 * @returns {Array<{ name: string, exe: string, version: string, args: (script: string, task: string) => string[] }>}
 */
export function findRuntimes(root, names) {
  const found = [];
  for (const name of names) {
    let exe;
    let args;
    if (name === "node") {
      exe = nodeExecutable(root);
      args = (script, task) => [script, task];
    } else if (name === "deno") {
      exe = join(root, "node_modules", "deno", "deno");
      // Loopback only: no other permission.
      args = (script, task) => ["run", "--quiet", "--no-check", "--allow-net=127.0.0.1", script, task];
    } else {
      exe = join(root, "node_modules", "bun", "bin", "bun.exe");
      args = (script, task) => [script, task];
    }
    if (!existsSync(exe)) throw new Error(`${name}: ${exe} not found (npm install)`);
    const said = execFileSync(exe, ["--version"], { encoding: "utf8", timeout: 30_000 });
    const version = /\d+\.\d+\.\d+\S*/.exec(said)?.[0] ?? said.trim();
    found.push({ name, exe, version, args });
  }
  return found;
}
