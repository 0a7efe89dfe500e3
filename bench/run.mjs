#!/usr/bin/env node
/**
 * The crossnet bench: crossnet against each runtime's native API and its node:net, for
 * bulk throughput, ping-pong round trips and many concurrent connections (with the peak
 * RSS of each side), as ratios that hold on a noisy machine.
 *
 * Every run is two fresh processes, a server and a client of the same runtime and variant
 * (`workload/main.ts`), talking over 127.0.0.1. Rounds are interleaved: for each runtime
 * and scenario, A B C A B C ..., so that each ratio compares neighbouring runs. Bulk and
 * ping-pong pin both processes to one core (`taskset`); many-connections runs unpinned.
 * Prints a table and writes it all as JSON (bench/results/latest.json).
 *
 * Runs on Node >= 20. The workloads run from a snapshot of the sources taken at the start
 * (`lib/snapshot.mjs`), crossnet from the package's build (`dist/`, made by `npm run build`
 * first) as npm installs it, on every runtime; with `--sources` from the sources: on Node
 * 24 (from node_modules) transpiled to JavaScript, on Deno and Bun as TypeScript.
 * Usage: `node bench/run.mjs [--reps 5] [--quick] [--runtime deno,bun] [--scenario bulk]
 * [--by-side] [--sources] [--deno-over-node]`;
 * `--help` lists every option.
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { start } from "./lib/child.mjs";
import { snapshotSources } from "./lib/snapshot.mjs";
import { parseOptions, USAGE } from "./lib/options.mjs";
import { formatReport } from "./lib/report.mjs";
import { findRuntimes, SIDE_VARIANTS, VARIANTS, variantOf } from "./lib/runtimes.mjs";
import { phasesOf, speedOf, summarizeRatios, summarizeVariants } from "./lib/stats.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** Limits of one run: the server's start, the client's work, the server's report, exits. */
const READY_MS = 30_000;
const CLIENT_MS = 180_000;
const SERVER_DONE_MS = 30_000;
const EXIT_MS = 10_000;

function log(text) {
  process.stderr.write(`${text}\n`);
}

/** Bytes the server must have received, and the client must have got back. */
function expectedBytes(scenario, p) {
  if (scenario === "bulk") return { server: p.bulkBytes, client: 0 };
  if (scenario === "ping-pong") return { server: p.pingRounds * p.pingSize, client: p.pingRounds * p.pingSize };
  const total = p.manyClients * p.manyRounds * p.manySize;
  return { server: total, client: total };
}

/**
 * One run: a server process, then a client process, of the same runtime and variant (a
 * side variant: crossnet on one side, native on the other).
 */
async function runOnce(runtime, scenario, variant, params, cpu) {
  const pinned = cpu !== null && scenario !== "many";
  const launch = (role, port) => {
    const task = JSON.stringify({
      role,
      runtime: runtime.name,
      variant: variantOf(runtime.name, variant, role),
      scenario,
      params,
      port,
      timeoutMs: READY_MS + CLIENT_MS + SERVER_DONE_MS,
    });
    const args = runtime.args(runtime.script, task);
    return pinned
      ? start("taskset", ["-c", String(cpu), runtime.exe, ...args], root)
      : start(runtime.exe, args, root);
  };
  const server = launch("server");
  let client;
  try {
    const port = await server.message("ready", READY_MS, "server");
    client = launch("client", port);
    const clientDone = await client.message("done", CLIENT_MS, "client");
    const serverDone = await server.message("done", SERVER_DONE_MS, "server");
    const [clientOk, serverOk] = await Promise.all([client.exit(EXIT_MS), server.exit(EXIT_MS)]);
    if (!clientOk || !serverOk) throw new Error(`${clientOk ? "server" : "client"} did not exit cleanly`);
    const expected = expectedBytes(scenario, params);
    // The server also received the client's warm-up pass (--warmup), if any.
    const serverExpected = expected.server + (clientDone.warmupBytes ?? 0);
    if (serverDone.bytes !== serverExpected || clientDone.bytes !== expected.client) {
      throw new Error(
        `bytes: server got ${serverDone.bytes} (expected ${serverExpected}), ` +
          `client got ${clientDone.bytes} (expected ${expected.client})`,
      );
    }
    return {
      ok: true,
      ms: clientDone.ms,
      speed: speedOf(scenario, params, clientDone.ms),
      ...phasesOf(scenario, params, clientDone),
      serverRssKiB: serverDone.rssKiB,
      clientRssKiB: clientDone.rssKiB,
    };
  } catch (err) {
    return { ok: false, error: err.message };
  } finally {
    client?.kill();
    server.kill();
  }
}

function describe(run) {
  if (!run.ok) return `FAILED: ${run.error}`;
  return `${run.speed.toFixed(1)}/s in ${(run.ms / 1000).toFixed(2)} s, ` +
    `RSS server ${(run.serverRssKiB / 1024).toFixed(1)} MiB, client ${(run.clientRssKiB / 1024).toFixed(1)} MiB`;
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    log(err.message);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  let cpu = options.cpu;
  if (cpu !== null) {
    const check = spawnSync("taskset", ["-c", String(cpu), "true"], { timeout: 10_000 });
    if (check.status !== 0) {
      log(`taskset -c ${cpu} is not usable here: running unpinned`);
      cpu = null;
    }
  }
  const runtimes = findRuntimes(root, options.runtimes);
  // crossnet as npm installs it: the package's build, made now from the sources.
  if (!options.sources) {
    log("building the package (npm run build)...");
    const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"], timeout: 300_000 });
    if (build.status !== 0) {
      log("npm run build failed (or run with --sources)");
      return 2;
    }
  }
  const snapshot = snapshotSources(root, options.sources ? undefined : join(root, "dist"), options.denoOverNode);
  process.on("exit", () => snapshot.remove());
  for (const runtime of runtimes) runtime.script = runtime.name === "node" ? snapshot.jsMain : snapshot.tsMain;
  const { params, reps, scenarios } = options;
  const variantsOf = (name) => options.bySide ? [...VARIANTS[name], ...SIDE_VARIANTS] : VARIANTS[name];
  const total = runtimes.reduce((n, rt) => n + variantsOf(rt.name).length, 0) * scenarios.length * reps;
  log(`${total} runs: ${runtimes.map((r) => `${r.name} ${r.version}`).join(", ")}`);

  // Warm-up: one small run per runtime and variant, unrecorded (binaries into the page
  // cache, and a broken variant shows up before the long part).
  const warmParams = { ...params, pingRounds: 200, bulkBytes: 4 * 1024 * 1024, manyClients: 10, manyRounds: 5 };
  for (const runtime of runtimes) {
    for (const variant of VARIANTS[runtime.name]) {
      const run = await runOnce(runtime, "ping-pong", variant, warmParams, cpu);
      if (!run.ok) log(`warm-up ${runtime.name} ${variant}: ${describe(run)}`);
    }
  }

  const loadBefore = loadavg()[0];
  if (loadBefore > 0.5) log(`note: load average ${loadBefore.toFixed(2)} before the runs: other work adds noise`);
  const runs = [];
  let index = 0;
  for (const runtime of runtimes) {
    for (const scenario of scenarios) {
      for (let round = 1; round <= reps; round++) {
        for (const variant of variantsOf(runtime.name)) {
          const run = await runOnce(runtime, scenario, variant, params, cpu);
          runs.push({ runtime: runtime.name, scenario, variant, round, ...run });
          log(`[${++index}/${total}] ${runtime.name} ${scenario} ${variant} #${round}: ${describe(run)}`);
        }
      }
    }
  }

  const cpuList = cpus();
  const result = {
    meta: {
      date: new Date().toISOString(),
      machine: `${cpuList.length} x ${cpuList[0]?.model?.trim() ?? "cpu"}, Linux ${release()}`,
      runtimes: runtimes.map((r) => ({ name: r.name, version: r.version, exe: r.exe })),
      reps,
      quick: options.quick,
      bySide: options.bySide,
      crossnet: (options.sources ? "its sources" : "the package's build (dist/, as npm installs it)") +
        (options.denoOverNode ? "; on Deno its node adapter over Deno's node:net (--deno-over-node)" : ""),
      pinnedCpu: cpu,
      params,
      // 1-minute load average before and after: other work on the machine shows here.
      loadAverage: { before: loadBefore, after: loadavg()[0] },
      command: `node bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    },
    variants: summarizeVariants(runs),
    ratios: summarizeRatios(runs),
    runs,
  };
  // A smoke run never replaces the latest full results.
  const out = options.out
    ? resolve(options.out)
    : join(root, "bench", "results", options.quick ? "quick.json" : "latest.json");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(formatReport(result));
  log(`\nJSON: ${out}`);
  return runs.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(err?.stack ?? String(err));
    process.exit(1);
  },
);
