#!/usr/bin/env node
// The conformance matrix: runs the one shared suite for every target on every runtime
// (Node on PATH, Node 22 and 24 from npm, Deno, Bun), then prints a table of areas x
// target/runtime with passed/failed/skipped, and the totals.
//
// Gating: crossnet everywhere (the package root, which picks the runtime's native adapter:
// shown as crossnet-native on Deno and Bun), and node:net on Node (the reference).
// Informational: node:net on Deno and Bun (their compatibility layers; failures listed,
// not counted), and crossnet's node adapter over Deno's node:net.
//
// Usage: node scripts/conformance.mjs [--only <substring of a column>] [--json <file>]
// Env: CROSSNET_FILTER restricts cases (substring of "area/name").

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, accessSync, constants } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const resultsDir = join(root, ".conformance");
const RUN_TIMEOUT_MS = 10 * 60 * 1000;

/** The `node` found on PATH outside node_modules/.bin (npm puts node22/24 first there). */
function systemNode() {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir.includes(`node_modules${"/"}.bin`)) continue;
    const candidate = join(dir, "node");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch { /* not here */ }
  }
  return process.execPath;
}

const bin = (name) => join(root, "node_modules", ".bin", name);
const vitest = join(root, "node_modules", "vitest", "vitest.mjs");

/** Every runtime of the matrix: how to run the suite there. */
function runtimes() {
  const list = [];
  const nodes = [
    ["node", systemNode()],
    ["node22", join(root, "node_modules", "node22", "bin", "node")],
    ["node24", join(root, "node_modules", "node24", "bin", "node")],
  ];
  for (const [label, exe] of nodes) {
    if (!existsSync(exe)) continue;
    list.push({
      label,
      exe,
      command: (target) => [exe, [vitest, "run", "--config", "vitest.config.ts"]],
      targets: [
        { target: "crossnet", gating: true },
        { target: "node:net", gating: true },
      ],
    });
  }
  if (existsSync(bin("deno"))) {
    list.push({
      label: "deno",
      exe: bin("deno"),
      command: () => [bin("deno"), ["test", "-A", "--no-check", "conformance/runners/deno.ts"]],
      targets: [
        { target: "crossnet", label: "crossnet-native", gating: true },
        { target: "node:net", gating: false },
        // crossnet's node adapter over Deno's node:net, faster on Deno 2.9 than its Deno
        // adapter (bench/README.md, Findings): what it still fails there.
        { target: "crossnet-node", gating: false },
      ],
    });
  }
  if (existsSync(bin("bun"))) {
    list.push({
      label: "bun",
      exe: bin("bun"),
      command: () => [bin("bun"), ["test", "--timeout", "30000", "./conformance/runners/bun.ts"]],
      targets: [
        { target: "crossnet", label: "crossnet-native", gating: true },
        { target: "node:net", gating: false },
      ],
    });
  }
  return list;
}

function version(exe) {
  return new Promise((resolvePromise) => {
    const child = spawn(exe, ["--version"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => (out += d));
    child.on("close", () => resolvePromise(out.split("\n")[0].trim()));
    child.on("error", () => resolvePromise("?"));
  });
}

/** Run one target on one runtime; resolves with its exit code and log tail. */
function runOne(rt, t, resultsFile) {
  const [exe, args] = rt.command(t.target);
  return new Promise((resolvePromise) => {
    const child = spawn(exe, args, {
      cwd: root,
      env: { ...process.env, CROSSNET_TARGET: t.target, CROSSNET_RESULTS: resultsFile, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let log = "";
    const keep = (d) => {
      log += d;
      if (log.length > 200_000) log = log.slice(-100_000);
    };
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => {
      log += `\n[conformance] killed after ${RUN_TIMEOUT_MS / 1000} s\n`;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch { /* gone */ }
    }, RUN_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 1 : 0), log });
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      resolvePromise({ code: 1, log: String(err) });
    });
  });
}

function readResults(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

function pad(text, width) {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

async function main() {
  const argv = process.argv.slice(2);
  const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
  const jsonOut = argv.includes("--json") ? argv[argv.indexOf("--json") + 1] : undefined;
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  const columns = [];
  for (const rt of runtimes()) {
    const ver = await version(rt.exe);
    for (const t of rt.targets) {
      const name = `${t.label ?? t.target}/${rt.label}`;
      if (only && !name.includes(only)) continue;
      const file = join(resultsDir, `${rt.label}-${t.target.replace(":", "_")}.jsonl`);
      process.stdout.write(`[conformance] ${pad(name, 18)} (${ver}) ... `);
      const started = Date.now();
      const { code, log } = await runOne(rt, t, file);
      const results = readResults(file);
      const failed = results.filter((r) => r.status === "failed").length;
      const passed = results.filter((r) => r.status === "passed").length;
      const crashed = code !== 0 && failed === 0;
      process.stdout.write(
        `${passed} passed, ${failed} failed${crashed ? ", RUNNER FAILED" : ""} ` +
          `(${((Date.now() - started) / 1000).toFixed(1)} s)${t.gating ? "" : " [informational]"}\n`,
      );
      if (crashed || (results.length === 0)) {
        process.stdout.write(log.split("\n").slice(-40).map((l) => `    | ${l}`).join("\n") + "\n");
      }
      columns.push({ name, version: ver, gating: t.gating, results, crashed: crashed || results.length === 0 });
    }
  }

  // The matrix: areas x columns.
  const areas = [...new Set(columns.flatMap((c) => c.results.map((r) => r.area)))];
  const width = Math.max(12, ...areas.map((a) => a.length)) + 2;
  const colWidth = Math.max(...columns.map((c) => c.name.length), 11) + 2;
  const lines = [];
  lines.push(pad("area", width) + columns.map((c) => pad(c.name + (c.gating ? "" : "*"), colWidth)).join(""));
  for (const area of areas) {
    let line = pad(area, width);
    for (const c of columns) {
      const rs = c.results.filter((r) => r.area === area);
      const p = rs.filter((r) => r.status === "passed").length;
      const f = rs.filter((r) => r.status === "failed").length;
      const s = rs.filter((r) => r.status === "skipped").length;
      const cell = rs.length === 0 ? "-" : `${p}/${f}${s ? `/${s}s` : ""}`;
      line += pad(f ? `${cell} !` : cell, colWidth);
    }
    lines.push(line);
  }
  console.log("\nConformance matrix (passed/failed[/skipped]; * = informational, not gating)\n");
  console.log(lines.join("\n"));

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const gatingFailures = [];
  for (const c of columns) {
    if (!c.gating) continue;
    for (const r of c.results) {
      if (r.status === "passed") passed++;
      else if (r.status === "skipped") skipped++;
      else {
        failed++;
        gatingFailures.push(`${c.name}: ${r.area} > ${r.name}: ${r.reason ?? ""}`);
      }
    }
    if (c.crashed) {
      failed++;
      gatingFailures.push(`${c.name}: the runner failed (see its log above)`);
    }
  }
  if (gatingFailures.length) {
    console.log("\nFailures:");
    for (const f of gatingFailures) console.log(`  - ${f}`);
  }
  const info = columns.filter((c) => !c.gating);
  for (const c of info) {
    const fails = c.results.filter((r) => r.status === "failed");
    if (fails.length === 0) continue;
    console.log(`\nInformational: ${c.name} (${c.version}) fails ${fails.length} case(s):`);
    for (const r of fails) console.log(`  - ${r.area} > ${r.name}`);
  }
  if (jsonOut) {
    writeFileSync(jsonOut, JSON.stringify({ columns: columns.map((c) => ({ ...c, results: c.results })) }, null, 2));
  }
  console.log(`\nconformance: ${passed} passed, ${failed} failed, ${skipped} skipped (gating columns)`);
  process.exitCode = failed ? 1 : 0;
  return { passed, failed, skipped };
}

export { main };

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
