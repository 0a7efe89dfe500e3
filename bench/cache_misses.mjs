/**
 * Cache misses per message of the core's path (`workload/core_path.ts`), counted by a cache
 * simulator instead of timed: the same figure on every run, where timings of a ~10% change
 * drown in this machine's noise. Needs `valgrind` (Debian: `apt-get install valgrind`); not
 * part of `npm run bench` or of any test.
 *
 * Cachegrind simulates a 256 KiB last-level cache, smaller than 500 sockets' state, so each
 * message finds its socket's objects evicted, as in the many-connections scenario. The
 * script runs core_path.ts twice under Node 24 (n and 5n messages, each after the same
 * warm-up) and divides the difference by 4n: start-up, warm-up and compilation cancel out.
 * "LL data misses" is about the number of distinct cache lines (objects, and object parts)
 * one message touches that no other message touched meanwhile.
 *
 * Usage: `node bench/cache_misses.mjs [n]` (default 50000; ~1 minute on 2 cores). Not
 * quite deterministic: a garbage collection or a recompilation landing in one of the two
 * runs shifts the result (seen: 12.5 instead of 9.4 LL misses with n = 20000); run it
 * twice, and believe figures that repeat.
 *
 * @module
 */

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const node = join(root, "node_modules", "node24", "bin", "node");
const script = join(root, "bench", "workload", "core_path.ts");
const n = Number(process.argv[2] ?? 50_000);
if (!Number.isInteger(n) || n <= 0) throw new Error(`message count: a positive integer, not ${process.argv[2]}`);
if (!existsSync(node)) throw new Error(`${node} not found (npm install)`);

const dir = mkdtempSync(join(tmpdir(), "crossnet-cachegrind-"));

/** Run core_path.ts for `count` messages under cachegrind; its summary counters. */
function run(count) {
  const out = join(dir, `cg.${count}`);
  const args = [
    "--tool=cachegrind", "--cache-sim=yes", "--I1=32768,8,64", "--D1=32768,8,64",
    "--LL=262144,8,64", "--smc-check=all-non-file", `--cachegrind-out-file=${out}`,
    node, "--single-threaded", script,
  ];
  return new Promise((resolve, reject) => {
    execFile("valgrind", args, {
      env: { ...process.env, CORE_PATH_COUNT: String(count) },
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    }, (err, _stdout, stderr) => {
      if (err) return reject(new Error(`valgrind: ${err.message}\n${stderr.slice(-2000)}`));
      const counter = (name) => {
        const m = new RegExp(`${name}:\\s+([\\d,]+)`).exec(stderr);
        if (!m) return reject(new Error(`no "${name}" in valgrind's output\n${stderr.slice(-2000)}`));
        return Number(m[1].replaceAll(",", ""));
      };
      resolve({ ir: counter("I\\s+refs"), d1: counter("D1\\s+misses"), lld: counter("LLd misses") });
    });
  });
}

try {
  const [small, large] = await Promise.all([run(n), run(5 * n)]);
  const per = (key) => ((large[key] - small[key]) / (4 * n)).toFixed(1);
  console.log(`core path, per message (${4 * n} messages): instructions ${per("ir")}, ` +
    `L1 data misses ${per("d1")}, LL data misses ${per("lld")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
