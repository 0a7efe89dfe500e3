#!/usr/bin/env node
// Does the packed package work for a user? Installs the tarball (`npm pack`) into an empty
// temporary project, offline, and there runs a short echo program with the package's root
// import under Node (the one on PATH, and Node 22 and 24 when installed), Deno (through an
// `npm:crossnet` specifier, resolved from the project's node_modules) and Bun, plus a check
// that each subpath (crossnet/core, crossnet/conformance, the runtime's own crossnet/<name>)
// loads there. Only loopback traffic; the npm registry is not asked for anything.
//
// Usage: node scripts/check-tarball.mjs [path/to/crossnet-x.y.z.tgz]
// Without a tarball: builds dist/ when stale, packs into a temporary folder, checks that.
// Exits non-zero on a problem.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { allRuntimes, ensureBuilt, root } from "./examples.mjs";

const RUN_TIMEOUT_MS = 30_000;

// The three-line echo of the README, with only the import to change per runtime.
const ECHO = `import { connect, createServer } from "crossnet";
const server = createServer((socket) => socket.pipe(socket)).listen(0, "127.0.0.1", () => {
  const client = connect(server.address().port, "127.0.0.1", () => client.end("hello"));
  client.on("data", (data) => console.log(\`echo: \${data}\`)).on("close", () => server.close());
});
`;

// Every subpath loads, and the runtime's own pinned entry exposes its driver factory.
const SUBPATHS = (runtime) => `import { createNet } from "crossnet/core";
import { cases, registerSuite } from "crossnet/conformance";
import * as pinned from "crossnet/${runtime}";
const factory = { node: "createNodeDriver", deno: "createDenoDriver", bun: "createBunDriver" }["${runtime}"];
const ok = typeof createNet === "function" && typeof registerSuite === "function" && cases.length > 0 &&
  typeof pinned[factory] === "function" && typeof pinned.createServer === "function";
console.log(ok ? "subpaths: ok" : "subpaths: missing exports");
`;

const npmCli = () => {
  // The npm that runs this script, else the one on PATH.
  const execPath = process.env.npm_execpath;
  return execPath && execPath.endsWith(".js") ? [process.execPath, [execPath]] : ["npm", []];
};

function npm(args, cwd) {
  const [cmd, pre] = npmCli();
  return spawnSync(cmd, [...pre, ...args], { cwd, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "error" } });
}

function run(command, args, cwd) {
  return new Promise((done) => {
    const env = { ...process.env, NO_COLOR: "1" };
    delete env.FORCE_COLOR;
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.on("error", (err) => {
      clearTimeout(timer);
      done({ code: -1, out: out + err.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code: signal ? `killed by ${signal}` : code, out });
    });
  });
}

/** Pack the package (scripts skipped: dist/ is built by the caller) into `dir`. */
export function pack(dir) {
  const r = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], root);
  if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stdout}${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  return { tarball: join(dir, info.filename), files: info.files.map((f) => f.path), info };
}

/**
 * Install `tarball` into a fresh project and run the checks. Returns the lines to print and
 * how many checks failed.
 */
export async function checkTarball(tarball) {
  const lines = [];
  let failed = 0;
  const project = mkdtempSync(join(tmpdir(), "crossnet-tarball-"));
  try {
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "tarball-check", private: true, type: "module" }));
    const install = npm(["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", resolve(tarball)], project);
    if (install.status !== 0) {
      return { lines: [`npm install of the tarball failed:\n${install.stdout}${install.stderr}`], failed: 1 };
    }
    lines.push(`installed ${tarball.split("/").pop()} into an empty project (offline)`);
    const pkg = JSON.parse(readFileSync(join(project, "node_modules", "crossnet", "package.json"), "utf8"));
    lines.push(`node_modules/crossnet is version ${pkg.version}`);

    writeFileSync(join(project, "echo.mjs"), ECHO);
    writeFileSync(join(project, "echo.deno.mjs"), ECHO.replace(`from "crossnet"`, `from "npm:crossnet"`));
    for (const runtime of allRuntimes().filter((r) => !r.reference)) {
      const family = runtime.name.startsWith("node") ? "node" : runtime.name;
      const script = family === "deno" ? "echo.deno.mjs" : "echo.mjs";
      writeFileSync(join(project, `subpaths.${family}.mjs`), SUBPATHS(family));
      const checks = [
        [script, "echo: hello"],
        [`subpaths.${family}.mjs`, "subpaths: ok"],
      ];
      for (const [file, expected] of checks) {
        const r = await run(runtime.command, [...runtime.args, file], project);
        const ok = r.code === 0 && r.out.trim() === expected;
        if (!ok) failed++;
        lines.push(`${ok ? "ok  " : "FAIL"} ${runtime.name} ${[...runtime.args, file].join(" ")}` +
          (ok ? `: ${expected}` : `: exit ${r.code}, expected "${expected}", got:\n${r.out.trimEnd().replace(/^/gm, "      ")}`));
      }
    }
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
  return { lines, failed };
}

async function main(argv) {
  let tarball = argv[0];
  let packDir;
  if (!tarball) {
    ensureBuilt();
    packDir = mkdtempSync(join(tmpdir(), "crossnet-pack-"));
    tarball = pack(packDir).tarball;
  }
  try {
    const { lines, failed } = await checkTarball(tarball);
    for (const line of lines) console.log(line);
    console.log(failed ? `check-tarball: ${failed} problem(s)` : "check-tarball: the tarball works on every runtime");
    return failed ? 1 : 0;
  } finally {
    if (packDir) rmSync(packDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
