#!/usr/bin/env node
// Is the package ready to publish on npm and JSR? One check per line, each with what it
// looked at; details under a failed one. Exits 1 if any check failed. `npm test` runs this
// (scripts/test.mjs counts it as one test); `npm run check:package` runs it alone.
//
//   build            tsup builds dist/ (ESM + .d.ts per entry)
//   package.json     type, sideEffects, engines, files, exports: conditions in the order
//                    types, deno, bun, node, default on "."; the ./node ./deno ./bun ./core
//                    ./conformance subpaths, each with types; the same subpaths in deno.json
//   versions         package.json and deno.json carry the same version
//   npm pack         the tarball holds only what a user needs: package.json, README.md,
//                    LICENSE, CHANGELOG.md and dist/ (.js and .d.ts), with every file that
//                    exports names
//   types            the built .d.ts name no runtime type package (no node:* import, no
//                    @types/*, no Deno or Bun namespace, no NodeJS or Buffer type, no
//                    triple-slash reference, no `declare global`) and compile on their own:
//                    once with no runtime types at all (web lib only), once with @types/node
//   publint          on the tarball: no error, warning or suggestion
//   attw             Are the Types Wrong, on the tarball, profile esm-only
//   deno publish     `deno publish --dry-run` (JSR's rules, slow types included) passes
//   deno doc --lint  every export documented, no private type in a public signature
//   doc examples     every @example type-checks (`deno check --doc-only`), "crossnet" and
//                    its subpaths mapped to the sources: each entry alone, then src/,
//                    adapters/ and conformance/ together
//   tarball          the tarball installed into an empty project runs under Node, Deno
//                    (npm: specifier) and Bun (scripts/check-tarball.mjs)
//
// Usage: node scripts/check-package.mjs [--no-build] [--only <substring of a check name>]

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkTarball, pack } from "./check-tarball.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const argv = process.argv.slice(2);
const noBuild = argv.includes("--no-build");
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const denoJson = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));
const SUBPATHS = ["./node", "./deno", "./bun", "./core", "./conformance"];
const ROOT_CONDITIONS = ["types", "deno", "bun", "node", "default"];
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");
const local = (...p) => join(root, "node_modules", ...p);

/** Run a command; its combined output, ANSI colours removed. */
function exec(command, args, options = {}) {
  const env = { ...process.env, NO_COLOR: "1", ...options.env };
  delete env.FORCE_COLOR; // Deno takes any FORCE_COLOR, even "0", as "use colors"
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20, ...options, env });
  return {
    status: r.status,
    stdout: r.stdout ?? "",
    out: stripAnsi(`${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? r.error.message : ""}`),
  };
}

const indent = (text, max = 40) => {
  const lines = text.trimEnd().split("\n");
  const shown = lines.length > max ? [...lines.slice(0, max), `... (${lines.length - max} more lines)`] : lines;
  return shown.map((l) => `      ${l}`).join("\n");
};

/** Every target file named in package.json's exports. */
function exportTargets(exportsField) {
  const out = [];
  const walk = (v) => {
    if (typeof v === "string") out.push(v);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(exportsField);
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------

const checks = [];
const check = (name, fn) => checks.push({ name, fn });
const state = { packDir: undefined, tarball: undefined, files: undefined };

check("build", () => {
  if (noBuild) {
    return { ok: existsSync(join(root, "dist", "mod.js")), summary: "--no-build: using the dist/ there is" };
  }
  const r = exec(process.execPath, [local("tsup", "dist", "cli-default.js")]);
  const dts = readdirSync(join(root, "dist")).filter((f) => f.endsWith(".d.ts"));
  const js = readdirSync(join(root, "dist")).filter((f) => f.endsWith(".js"));
  if (r.status !== 0) return { ok: false, summary: "tsup failed", details: r.out.split("\n").filter((l) => !/^(CLI|ESM|DTS) /.test(l)).join("\n") };
  return { ok: true, summary: `tsup: dist/ has ${js.length} .js and ${dts.length} .d.ts files` };
});

check("package.json", () => {
  const problems = [];
  if (pkg.type !== "module") problems.push(`"type" is ${JSON.stringify(pkg.type)}, not "module"`);
  if (pkg.sideEffects !== false) problems.push(`"sideEffects" is not false`);
  if (!pkg.engines?.node) problems.push(`no "engines.node"`);
  if (!Array.isArray(pkg.files) || !pkg.files.some((f) => f.replace(/\/$/, "") === "dist")) problems.push(`"files" does not hold dist/`);
  for (const script of ["build", "prepack"]) if (!pkg.scripts?.[script]) problems.push(`no "${script}" script`);
  if (!pkg.license) problems.push(`no "license"`);
  const exp = pkg.exports ?? {};
  const dot = exp["."];
  if (!dot || typeof dot !== "object") problems.push(`exports["."] is not a conditions object`);
  else if (JSON.stringify(Object.keys(dot)) !== JSON.stringify(ROOT_CONDITIONS)) {
    problems.push(`exports["."] conditions are ${Object.keys(dot).join(", ")}, not ${ROOT_CONDITIONS.join(", ")}`);
  }
  for (const sub of SUBPATHS) {
    const entry = exp[sub];
    if (!entry) problems.push(`no exports["${sub}"]`);
    else if (typeof entry !== "object" || Object.keys(entry)[0] !== "types" || !entry.default) {
      problems.push(`exports["${sub}"] must be { types, default } with types first`);
    }
  }
  for (const target of exportTargets(exp)) {
    if (!existsSync(join(root, target))) problems.push(`exports names ${target}, which does not exist`);
  }
  const denoKeys = Object.keys(denoJson.exports ?? {}).sort();
  const npmKeys = Object.keys(exp).filter((k) => k !== "./package.json").sort();
  if (JSON.stringify(denoKeys) !== JSON.stringify(npmKeys)) {
    problems.push(`deno.json exports ${denoKeys.join(" ")} but package.json exports ${npmKeys.join(" ")}`);
  }
  return problems.length
    ? { ok: false, summary: `${problems.length} problem(s)`, details: problems.join("\n") }
    : { ok: true, summary: `type module, sideEffects false, engines node ${pkg.engines.node}, exports . (${ROOT_CONDITIONS.join(", ")}) ${SUBPATHS.join(" ")}; deno.json has the same subpaths` };
});

check("versions", () => {
  const ok = pkg.version === denoJson.version;
  return { ok, summary: ok ? `package.json and deno.json are both ${pkg.version}` : `package.json ${pkg.version}, deno.json ${denoJson.version}` };
});

check("npm pack", () => {
  state.packDir = mkdtempSync(join(tmpdir(), "crossnet-pack-"));
  const { tarball, files, info } = pack(state.packDir);
  state.tarball = tarball;
  state.files = files;
  const allowed = (f) => ["package.json", "README.md", "LICENSE", "CHANGELOG.md"].includes(f) || /^dist\/[^/]+\.(js|d\.ts)$/.test(f);
  const extra = files.filter((f) => !allowed(f));
  const required = ["package.json", "README.md", "LICENSE", "CHANGELOG.md", ...exportTargets(pkg.exports).map((t) => t.replace(/^\.\//, ""))];
  const missing = required.filter((f) => !files.includes(f));
  const problems = [...extra.map((f) => `not needed by a user: ${f}`), ...missing.map((f) => `missing: ${f}`)];
  const dist = files.filter((f) => f.startsWith("dist/"));
  const summary = `${info.filename}: ${files.length} files, ${Math.round(info.size / 1024)} KiB packed: ` +
    `${files.filter((f) => !f.startsWith("dist/")).join(", ")}, dist/ (${dist.filter((f) => f.endsWith(".js")).length} .js, ${dist.filter((f) => f.endsWith(".d.ts")).length} .d.ts)`;
  return problems.length ? { ok: false, summary, details: problems.join("\n") } : { ok: true, summary };
});

check("types", () => {
  const dist = join(root, "dist");
  const dts = readdirSync(dist).filter((f) => f.endsWith(".d.ts"));
  if (!dts.length) return { ok: false, summary: "no .d.ts in dist/" };
  const problems = [];
  const forbidden = [
    [/\/\/\/\s*<reference\b/, "a triple-slash reference"],
    [/from\s+["']node:|import\(\s*["']node:|require\(\s*["']node:/, "an import of node:*"],
    [/["']@types\/|["']bun-types["']|["']bun["']|["']deno["']/, "an import of a runtime type package"],
    [/\bDeno\s*\./, "the Deno namespace"],
    [/\bBun\s*\./, "the Bun namespace"],
    [/\bNodeJS\s*\./, "the NodeJS namespace"],
    [/\bBuffer\b/, "Node's Buffer type"],
    [/\bdeclare\s+global\b/, "a global augmentation (it changes the user's own global types)"],
  ];
  for (const file of dts) {
    // Doc comments may talk about Deno.connect: look at code only.
    const code = readFileSync(join(dist, file), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/(?!\/).*$/gm, "");
    code.split("\n").forEach((line, i) => {
      for (const [re, what] of forbidden) {
        if (re.test(line)) problems.push(`dist/${file}: ${what}: ${line.trim()}`);
      }
    });
  }
  // Compile the .d.ts alone, as a user's project would: first with no runtime's types at
  // all (only the web lib, for AbortSignal and the Web Streams), then with @types/node.
  const dir = mkdtempSync(join(tmpdir(), "crossnet-dts-"));
  const consumers = {
    "no runtime types (lib es2023 + dom)": { types: [], lib: ["ES2023", "ESNext.Disposable", "DOM"] },
    "@types/node (lib es2023)": { types: ["node"], typeRoots: [local("@types")], lib: ["ES2023", "ESNext.Disposable"] },
  };
  try {
    for (const [label, options] of Object.entries(consumers)) {
      const config = join(dir, "tsconfig.json");
      writeFileSync(config, JSON.stringify({
        compilerOptions: {
          target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true,
          skipLibCheck: false, ...options,
        },
        files: dts.map((f) => join(dist, f)),
      }));
      const r = exec(process.execPath, [local("typescript", "bin", "tsc"), "-p", config]);
      if (r.status !== 0) problems.push(`the .d.ts do not compile with ${label}:\n${r.out.replaceAll(root + "/", "").trimEnd()}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = `${dts.length} .d.ts: no node:*, @types, Deno, Bun, NodeJS, Buffer or reference; ` +
    `compiled alone with ${Object.keys(consumers).join(" and with ")}`;
  return problems.length ? { ok: false, summary: `${problems.length} problem(s)`, details: problems.join("\n") } : { ok: true, summary };
});

check("publint", () => {
  if (!state.tarball) return { ok: false, summary: "no tarball (npm pack failed)" };
  const r = exec(process.execPath, [local("publint", "src", "cli.js"), "run", state.tarball, "--strict", "--level", "suggestion"]);
  // "All good!" only when there is no error, warning nor suggestion.
  const ok = r.status === 0 && r.out.includes("All good!");
  return ok ? { ok, summary: "on the tarball, --strict: no error, warning or suggestion" } : { ok, summary: "problems reported", details: r.out };
});

check("attw", () => {
  if (!state.tarball) return { ok: false, summary: "no tarball (npm pack failed)" };
  // esm-only: the package ships ESM only; node10 resolution (no `exports` support) and
  // require() from CommonJS under TypeScript's node16 rules are not its targets
  // (Node >= 20.19 and 22.12 do load it with require(), which attw does not model).
  const r = exec(process.execPath, [local("@arethetypeswrong", "cli", "dist", "index.js"), state.tarball,
    "--profile", "esm-only", "--format", "table-flipped", "--no-emoji", "--no-color"]);
  const ok = r.status === 0 && !/does not contain types/.test(r.out);
  return ok
    ? { ok, summary: "on the tarball, profile esm-only: no problem for node16 (from ESM) and bundler, every entry" }
    : { ok, summary: "problems reported", details: r.out };
});

check("deno publish --dry-run", () => {
  // --allow-dirty: the dry run must not depend on git state (dist/ and work in progress).
  const r = exec(local(".bin", "deno"), ["publish", "--dry-run", "--allow-dirty"]);
  if (r.status === 0) {
    const files = (r.out.match(/^\s+file:\/\/\S+/gm) ?? []).length;
    return { ok: true, summary: `${denoJson.name}@${denoJson.version}: ${files} files, slow types checked (no --allow-slow-types)` };
  }
  return { ok: false, summary: "JSR would refuse it", details: r.out.replace(/Stack backtrace:[\s\S]*$/, "") };
});

/** Exported values (functions, classes, constants) of the entries without an @example. */
function valuesWithoutExample(entries) {
  const r = exec(local(".bin", "deno"), ["doc", "--json", ...entries]);
  if (r.status !== 0) return undefined;
  const doc = JSON.parse(r.stdout);
  const names = new Set();
  let values = 0;
  for (const [spec, mod] of Object.entries(doc.nodes ?? {})) {
    for (const symbol of mod.symbols ?? []) {
      const decls = (symbol.declarations ?? []).filter((d) => ["function", "class", "variable"].includes(d.kind));
      if (!decls.length) continue;
      values++;
      if (!decls.some((d) => (d.jsDoc?.tags ?? []).some((t) => t.kind === "example"))) {
        names.add(`${spec.replace(`file://${root}/`, "")}:${symbol.name}`);
      }
    }
  }
  return { values, missing: [...names] };
}

check("deno doc --lint", () => {
  const entries = exportTargets(denoJson.exports).map((e) => e.replace(/^\.\//, ""));
  const r = exec(local(".bin", "deno"), ["doc", "--lint", ...entries]);
  // Not a failure of its own (deno doc --lint does not ask for it), but the aim is that
  // every exported value shows an @example: say how far that is.
  const examples = valuesWithoutExample(entries);
  const note = examples ? `; ${examples.missing.length} of ${examples.values} exported values have no @example` : "";
  if (r.status === 0) return { ok: true, summary: `clean on ${entries.join(", ")}${note}` };
  // Summarise by kind and by file, then the first problems in full.
  const blocks = r.out.split(/\n(?=error\[)/).filter((b) => b.startsWith("error["));
  const byKind = new Map();
  const byFile = new Map();
  for (const b of blocks) {
    const kind = /^error\[([^\]]+)\]/.exec(b)?.[1] ?? "?";
    const file = /-->\s+(\S+?):\d+:\d+/.exec(b)?.[1]?.replace(root + "/", "") ?? "?";
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    byFile.set(file, (byFile.get(file) ?? 0) + 1);
  }
  const details = [
    `by kind: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ")}`,
    `by file: ${[...byFile].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(", ")}`,
    "",
    blocks.slice(0, 6).map((b) => b.trimEnd()).join("\n"),
  ].join("\n");
  return { ok: false, summary: `${blocks.length} problem(s) on ${entries.join(", ")}${note}`, details };
});

check("doc examples", () => {
  // The examples import the package by its npm name: map it, and each subpath, to the
  // sources deno.json exports them from.
  const imports = {};
  for (const [sub, target] of Object.entries(denoJson.exports)) {
    imports[sub === "." ? pkg.name : `${pkg.name}/${sub.replace(/^\.\//, "")}`] = join(root, target);
  }
  const dir = mkdtempSync(join(tmpdir(), "crossnet-doc-"));
  const map = join(dir, "imports.json");
  writeFileSync(map, JSON.stringify({ imports }));
  try {
    const entries = exportTargets(denoJson.exports).map((e) => e.replace(/^\.\//, ""));
    const modules = ["src", "adapters", "conformance"].flatMap((d) =>
      readdirSync(join(root, d)).filter((f) => f.endsWith(".ts")).map((f) => `${d}/${f}`)
    );
    // (Each entry alone: checked in one program, the entries' snippets, which import their
    // own entry by name, fail to infer listener types that check alone.)
    const runs = [...entries.map((e) => [e]), modules];
    const failures = [];
    for (const files of runs) {
      const r = exec(local(".bin", "deno"), ["check", "--doc-only", "--import-map", map, ...files]);
      if (r.status !== 0) {
        const errors = r.out.split("\n").filter((l) => !l.startsWith("Check ")).join("\n").trim();
        failures.push(`${files.length === 1 ? files[0] : "src/, adapters/, conformance/"}:\n${errors}`);
      }
    }
    const checked = `${entries.length} entries, ${modules.length} modules of src/, adapters/ and conformance/`;
    return failures.length === 0
      ? { ok: true, summary: `every @example type-checks: ${checked}` }
      : { ok: false, summary: `${failures.length} of ${runs.length} runs failed (${checked})`, details: failures.join("\n\n") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

check("tarball", async () => {
  if (!state.tarball) return { ok: false, summary: "no tarball (npm pack failed)" };
  const { lines, failed } = await checkTarball(state.tarball);
  const runs = lines.filter((l) => /^(ok|FAIL)/.test(l)).length;
  return failed
    ? { ok: false, summary: `${failed} of ${runs} runs failed`, details: lines.join("\n") }
    : { ok: true, summary: `installed into an empty project offline; echo and subpaths ran: ${lines.filter((l) => l.startsWith("ok")).map((l) => l.split(" ").filter(Boolean)[1]).filter((v, i, a) => a.indexOf(v) === i).join(", ")}` };
});

// ---------------------------------------------------------------------------------------

const selected = checks.filter((c) => !only || c.name.includes(only));
console.log(`check-package: ${selected.map((c) => c.name).join(", ")}`);
const failedNames = [];
try {
  for (const c of selected) {
    let result;
    try {
      result = await c.fn();
    } catch (err) {
      result = { ok: false, summary: "threw", details: err instanceof Error ? err.stack ?? err.message : String(err) };
    }
    console.log(`${result.ok ? "ok  " : "FAIL"}  ${c.name}: ${result.summary}`);
    if (!result.ok) {
      failedNames.push(c.name);
      if (result.details) console.log(indent(result.details));
    }
  }
} finally {
  if (state.packDir) rmSync(state.packDir, { recursive: true, force: true });
}
console.log(failedNames.length
  ? `check-package: ${failedNames.length} of ${selected.length} checks failed: ${failedNames.join(", ")}`
  : `check-package: all ${selected.length} checks ok`);
process.exitCode = failedNames.length ? 1 : 0;
