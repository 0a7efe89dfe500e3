#!/usr/bin/env node
// `npm test`: type check, lint, unit tests, then the conformance matrix on every runtime.
// The last line is "N passed, N failed" with the real totals: each check (type check, lint)
// counts as one test, unit tests and gating conformance cases count one each.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { main as conformance } from "./conformance.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const bin = (name) => join(root, "node_modules", ".bin", name);
let passed = 0;
let failed = 0;
const failures = [];

function step(name, command, args) {
  console.log(`\n== ${name}: ${[command, ...args].map((a) => a.replace(root + "/", "")).join(" ")}`);
  const r = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, FORCE_COLOR: "0" } });
  return r.status === 0;
}

function check(name, command, args) {
  if (step(name, command, args)) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

check("type check", process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--noEmit"]);
check("lint", process.execPath, [join(root, "scripts", "lint.mjs")]);
// The adapters' structural types (no runtime type package in what we publish) against the
// runtimes' real ones.
check("adapter types vs Bun's (@types/bun)", process.execPath, [
  join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "test/types/tsconfig.bun.json",
]);
check("adapter types vs Deno's (deno check)", bin("deno"), ["check", "test/types/deno_api.check.ts"]);
// Each adapter on its own, below the core: the Driver contract (test/driver_smoke.ts).
const node24 = join(root, "node_modules", "node24", "bin", "node");
if (existsSync(node24)) check("driver smoke: node adapter", node24, ["test/driver_smoke.ts", "node"]);
check("driver smoke: deno adapter", bin("deno"), ["run", "-A", "test/driver_smoke.ts", "deno"]);
check("driver smoke: bun adapter", bin("bun"), ["test/driver_smoke.ts", "bun"]);
// The node adapter over Deno's and Bun's node:net: crossnet/node loaded there, and the Deno
// adapter's connects with a local address, which go through it.
check("driver smoke: node adapter on deno", bin("deno"), ["run", "-A", "test/driver_smoke.ts", "node"]);
check("driver smoke: node adapter on bun", bin("bun"), ["test/driver_smoke.ts", "node"]);
for (const extra of ["scripts/check-package.mjs"]) {
  if (existsSync(join(root, extra))) check(extra, process.execPath, [join(root, extra)]);
}

// Unit tests (vitest), counted from its JSON report.
const reportDir = join(root, ".conformance");
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, "unit.json");
rmSync(report, { force: true });
step("unit tests", process.execPath, [
  join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--config", "vitest.unit.config.ts",
  "--reporter=default", "--reporter=json", `--outputFile.json=${report}`,
]);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numFailedTests) failures.push(`${r.numFailedTests} unit test(s)`);
  if (r.numTotalTests === 0 || r.success === false && r.numFailedTests === 0) {
    failed++;
    failures.push("unit test run failed");
  }
} else {
  failed++;
  failures.push("unit tests produced no report");
}

console.log("\n== conformance matrix");
const c = await conformance();
passed += c.passed;
failed += c.failed;
if (c.failed) failures.push(`${c.failed} conformance case(s)`);

if (failures.length) console.log(`\nfailed: ${failures.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
