#!/usr/bin/env node
// Runs every program in examples/ on every runtime and checks what it prints.
//
// Each example imports "crossnet", which resolves through this package's own `exports`
// (package self-reference) to the built files in dist/: dist/node.js on Node, dist/deno.js on
// Deno, dist/bun.js on Bun. So the examples run exactly as a user's copy would after
// `npm install crossnet`, and dist/ is built first when it is missing or older than the
// sources.
//
// The runtime "node:net" is the reference: the same file with its import changed back to
// node:net (`import * as net from "node:net"`, `import net from "node:net"` or
// `const net = require("node:net")`, whichever form the example uses), run by Node, must
// print the same (examples that use more of crossnet than that one import, such as
// custom-driver, are not run there). Examples are ES modules (`.mjs`) or CommonJS (`.cjs`).
//
// An example states its expected output in a closing comment block that starts with
// `// Prints:`, and what it needs besides the runtime in a `// Needs: curl` line (the
// example is skipped where that command is missing).
//
// Usage: node scripts/examples.mjs [--runtime node,deno,bun,node:net,node22,node24] [filter...]
// The last line is "N passed, N failed" (skipped runs are counted apart).

import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const examplesDir = join(root, "examples");
const RUN_TIMEOUT_MS = 30_000;

/** `name` on PATH, skipping node_modules/.bin (npm puts other Nodes first there). */
function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir.includes(`node_modules${"/"}.bin`)) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch { /* not here */ }
  }
  return undefined;
}

/** Every runtime an example can run on: label and how to run a file there. */
export function allRuntimes() {
  const local = (...p) => join(root, "node_modules", ...p);
  return [
    { name: "node", command: onPath("node") ?? process.execPath, args: [] },
    { name: "node:net", command: onPath("node") ?? process.execPath, args: [], reference: true },
    { name: "node22", command: local("node22", "bin", "node"), args: [] },
    { name: "node24", command: local("node24", "bin", "node"), args: [] },
    { name: "deno", command: local(".bin", "deno"), args: ["run", "-A"] },
    { name: "bun", command: local(".bin", "bun"), args: [] },
  ].filter((r) => existsSync(r.command));
}

/** The runtimes the examples promise (node is the one on PATH), and the node:net reference. */
export const DEFAULT_RUNTIMES = ["node", "deno", "bun", "node:net"];

/** The ways an example may import crossnet, each with its node:net counterpart. */
const CROSSNET_IMPORTS = [
  [`import * as net from "crossnet";`, `import * as net from "node:net";`],
  [`import net from "crossnet";`, `import net from "node:net";`],
  [`const net = require("crossnet");`, `const net = require("node:net");`],
];

/** Every example: file, expected lines, commands it needs. */
export function listExamples() {
  return readdirSync(examplesDir)
    .filter((f) => /\.[mc]js$/.test(f) && !f.startsWith("_"))
    .sort()
    .map((file) => readExample(join(examplesDir, file)));
}

/**
 * One program written as an example (a `// Prints:` block, an optional `// Needs:` line),
 * wherever it lives: examples/, or a test's own fixtures.
 */
export function readExample(path) {
  const file = basename(path);
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === "// Prints:");
  if (start < 0) throw new Error(`${file} has no "// Prints:" block`);
  const expected = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("//")) break;
    expected.push(line.replace(/^\/\/ ?/, "").trimEnd());
  }
  while (expected.length && expected.at(-1) === "") expected.pop();
  const needs = (/^\/\/ Needs: (.+)$/m.exec(text)?.[1] ?? "").split(/[ ,]+/).filter(Boolean);
  // Runs against node:net too when "crossnet" is its only import of crossnet.
  const crossnetImports = text.match(/from\s+["']crossnet[^"']*["']|(?:import|require)\(\s*[`"']crossnet/g) ?? [];
  const portable = CROSSNET_IMPORTS.some(([ours]) => text.includes(ours)) && crossnetImports.length === 1;
  return { name: file.replace(/\.[mc]js$/, ""), file: path, expected, needs, portable };
}

/** Whether dist/ is missing or older than a source file it is built from. */
function distIsStale() {
  const built = join(root, "dist", "mod.js");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = ["mod.ts", "node.ts", "deno.ts", "bun.ts", "core.ts", "package.json", "tsup.config.ts"];
  const walk = (dir) => readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []
  );
  for (const file of [...sources, ...walk("src"), ...walk("adapters"), ...walk("conformance")]) {
    if (existsSync(join(root, file)) && statSync(join(root, file)).mtimeMs > builtAt) return true;
  }
  return false;
}

/** Build dist/ (tsup) when it is missing or stale. Throws when the build fails. */
export function ensureBuilt({ force = false } = {}) {
  if (!force && !distIsStale()) return false;
  const r = spawnSync(process.execPath, [join(root, "node_modules", "tsup", "dist", "cli-default.js")], {
    cwd: root,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
  return true;
}

/** Compare output lines with expected lines; a short description of the first difference. */
export function compareLines(actual, expected) {
  const got = actual.replace(/\r\n/g, "\n").split("\n").map((l) => l.trimEnd());
  while (got.length && got.at(-1) === "") got.pop();
  for (let i = 0; i < Math.max(got.length, expected.length); i++) {
    if (got[i] !== expected[i]) {
      return `line ${i + 1}: expected ${JSON.stringify(expected[i] ?? "<end of output>")}, got ${JSON.stringify(got[i] ?? "<end of output>")}`;
    }
  }
  return undefined;
}

function withoutForceColor(env) {
  const copy = { ...env };
  delete copy.FORCE_COLOR;
  return copy;
}

/**
 * Run one example on one runtime. Resolves with { status: "passed" | "failed" | "skipped",
 * reason?, stdout, stderr }.
 */
export function runExample(example, runtime) {
  const missing = example.needs.filter((cmd) => !onPath(cmd));
  if (missing.length) {
    return Promise.resolve({ status: "skipped", reason: `needs ${missing.join(", ")}`, stdout: "", stderr: "" });
  }
  let file = example.file;
  let tempDir;
  if (runtime.reference) {
    if (!example.portable) {
      return Promise.resolve({ status: "skipped", reason: "uses more of crossnet than node:net has", stdout: "", stderr: "" });
    }
    tempDir = mkdtempSync(join(tmpdir(), "crossnet-example-"));
    file = join(tempDir, basename(example.file));
    let text = readFileSync(example.file, "utf8");
    for (const [ours, theirs] of CROSSNET_IMPORTS) text = text.replace(ours, theirs);
    writeFileSync(file, text);
  }
  const cleanup = () => tempDir && rmSync(tempDir, { recursive: true, force: true });
  return new Promise((settle) => {
    const done = (result) => {
      cleanup();
      settle(result);
    };
    const child = spawn(runtime.command, [...runtime.args, file], {
      cwd: root,
      // NO_COLOR only: Deno takes any FORCE_COLOR, even "0", as "use colors".
      env: { ...withoutForceColor(process.env), NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    // (A character split between two reads of the pipe stays whole: the seeds print Chinese.)
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.on("error", (err) => {
      clearTimeout(timer);
      done({ status: "failed", reason: `could not start: ${err.message}`, stdout, stderr });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal) return done({ status: "failed", reason: `killed by ${signal} (did it not exit by itself?)`, stdout, stderr });
      if (code !== 0) return done({ status: "failed", reason: `exit code ${code}`, stdout, stderr });
      const diff = compareLines(stdout, example.expected);
      done(diff ? { status: "failed", reason: diff, stdout, stderr } : { status: "passed", stdout, stderr });
    });
  });
}

async function main(argv) {
  let names = DEFAULT_RUNTIMES;
  const filters = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runtime") names = argv[++i].split(",");
    else filters.push(argv[i]);
  }
  const runtimes = allRuntimes().filter((r) => names.includes(r.name));
  for (const name of names) {
    if (!runtimes.some((r) => r.name === name)) console.log(`runtime ${name}: not found, not run`);
  }
  const examples = listExamples().filter((e) => !filters.length || filters.some((f) => e.name.includes(f)));
  if (ensureBuilt()) console.log("built dist/");
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const example of examples) {
    for (const runtime of runtimes) {
      const r = await runExample(example, runtime);
      counts[r.status]++;
      const label = `${example.name} on ${runtime.name}`;
      if (r.status === "passed") console.log(`ok      ${label}`);
      else if (r.status === "skipped") console.log(`skipped ${label}: ${r.reason}`);
      else {
        console.log(`FAILED  ${label}: ${r.reason}`);
        for (const line of (r.stdout + r.stderr).trimEnd().split("\n").slice(-30)) console.log(`    | ${line}`);
      }
    }
  }
  console.log(`${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
  return counts.failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
