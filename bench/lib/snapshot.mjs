/**
 * A snapshot of the sources the workloads run, taken once at the start of a bench run, so
 * that every run measures the same code even while the repository is being edited.
 *
 * The snapshot is a temporary directory holding the root entries, `src/`, `adapters/` and
 * `bench/workload/` twice:
 * - `ts/`: copied as they are, for Deno and Bun, which run TypeScript (as JSR and Bun
 *   users do);
 * - `js/`: transpiled with TypeScript's `transpileModule` (types erased, `.ts` imports
 *   rewritten to `.js`, nothing else changed), for Node: running the `.ts` sources by type
 *   stripping would cost Node ~20 MiB of RSS and start-up time that a published package
 *   does not, and that node:net does not pay.
 *
 * With `packageDir` (the default of a run: the package as npm installs it), that build's
 * `.js` files (`dist/`, made by `npm run build`) go into the snapshot too, and in both
 * trees `bench/workload/crossnet.ts` (`.js`) is replaced by one that loads crossnet from
 * them: every runtime then runs the bundled JavaScript a user of the npm package runs,
 * and the workloads and native variants stay as they are. With `--deno-over-node` that
 * loader gives Deno crossnet's node entry (see `loader`).
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
 * What loads crossnet, in place of `bench/workload/crossnet.ts`: from the package's build
 * (`dist/`) or the sources (`.ts` or, transpiled, `.js`), Deno's entry the node one with
 * `--deno-over-node` (the node adapter over Deno's own node:net).
 */
function loader(dir, ext, overNode) {
  const from = (name) => `() => import("../../${dir}${name}.${ext}")`;
  return `// Written by the bench (lib/snapshot.mjs).
export const crossnet = {
  node: ${from("node")},
  deno: ${from(overNode ? "node" : "deno")},
  bun: ${from("bun")},
};
`;
}

/** Copy the build's `.js` files into both trees. */
function usePackage(dir, packageDir) {
  const files = readdirSync(packageDir).filter((name) => name.endsWith(".js"));
  for (const name of ["node.js", "deno.js", "bun.js"]) {
    if (!files.includes(name)) throw new Error(`${packageDir} has no ${name}: run npm run build`);
  }
  for (const tree of ["ts", "js"]) {
    mkdirSync(join(dir, tree, "dist"), { recursive: true });
    for (const name of files) copyFileSync(join(packageDir, name), join(dir, tree, "dist", name));
  }
}

/**
 * Copy and transpile the sources into a new temporary directory.
 *
 * @param {string} root The repository root.
 * @param {string} [packageDir] The package's build (`dist/`) to run crossnet from, if not
 *   the sources.
 * @param {boolean} [overNode] Deno runs crossnet's node entry (`--deno-over-node`).
 * @returns {{ dir: string, tsMain: string, jsMain: string, remove: () => void }} The
 *   directory, the workload entry in each form, and a function removing it all.
 */
export function snapshotSources(root, packageDir, overNode = false) {
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
    if (packageDir !== undefined) usePackage(dir, packageDir);
    // The workloads' loader, unless it is the one in the sources, as it stands.
    if (packageDir !== undefined || overNode) {
      const built = packageDir !== undefined;
      writeFileSync(join(dir, "ts", "bench", "workload", "crossnet.ts"), loader(built ? "dist/" : "", built ? "js" : "ts", overNode));
      writeFileSync(join(dir, "js", "bench", "workload", "crossnet.js"), loader(built ? "dist/" : "", "js", overNode));
    }
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
