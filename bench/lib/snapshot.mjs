/**
 * A snapshot of the sources the workloads run, taken once at the start of a bench run, so
 * that every run measures the same code even while the repository is being edited.
 *
 * The snapshot is a temporary directory holding the root entries, `src/`, `adapters/` and
 * `bench/workload/` twice:
 * - `ts/`: copied as they are, for Deno and Bun, which run TypeScript (as JSR and Bun
 *   users do);
 * - `js/`: transpiled with TypeScript's `transpileModule` (types erased, `.ts` imports
 *   rewritten to `.js`, nothing else changed), for Node, which runs crossnet the way npm
 *   users will: as JavaScript. Running the `.ts` sources by type stripping would cost Node
 *   ~20 MiB of RSS and start-up time that a published package does not, and that node:net
 *   does not pay.
 *
 * @module
 */

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

/** What the workloads import: single files and whole directories, relative to the root. */
const SOURCES = ["node.ts", "deno.ts", "bun.ts", "src", "adapters", "bench/workload"];

function tsFiles(root, entry) {
  const path = join(root, entry);
  if (entry.endsWith(".ts")) return [path];
  const files = [];
  for (const item of readdirSync(path, { withFileTypes: true })) {
    if (item.isDirectory()) files.push(...tsFiles(root, join(entry, item.name)));
    else if (item.name.endsWith(".ts") && !item.name.endsWith(".d.ts")) files.push(join(path, item.name));
  }
  return files;
}

/**
 * Copy and transpile the sources into a new temporary directory.
 *
 * @param {string} root The repository root.
 * @returns {{ dir: string, tsMain: string, jsMain: string, remove: () => void }} The
 *   directory, the workload entry in each form, and a function removing it all.
 */
export function snapshotSources(root) {
  const ts = createRequire(join(root, "package.json"))("typescript");
  const dir = mkdtempSync(join(tmpdir(), "crossnet-bench-"));
  const compilerOptions = {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ESNext,
    verbatimModuleSyntax: true,
    rewriteRelativeImportExtensions: true,
  };
  try {
    for (const file of SOURCES.flatMap((entry) => tsFiles(root, entry))) {
      const path = relative(root, file);
      const source = readFileSync(file, "utf8");
      const tsOut = join(dir, "ts", path);
      mkdirSync(dirname(tsOut), { recursive: true });
      writeFileSync(tsOut, source);
      const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: file });
      const jsOut = join(dir, "js", path.replace(/\.ts$/, ".js"));
      mkdirSync(dirname(jsOut), { recursive: true });
      writeFileSync(jsOut, outputText);
    }
    // The transpiled sources are ES modules: say so to Node.
    writeFileSync(join(dir, "js", "package.json"), '{ "type": "module" }\n');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    tsMain: join(dir, "ts", "bench", "workload", "main.ts"),
    jsMain: join(dir, "js", "bench", "workload", "main.js"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
