/**
 * scripts/examples.mjs as the tests see it: what runs a program written as an example (a
 * `// Prints:` block) on Node, Deno and Bun, and against real `node:net` on Node. Shared by
 * examples.test.ts (examples/) and liveness.test.ts (test/fixtures/).
 *
 * @module
 */

/** One program: its file, the lines it must print, what it needs besides the runtime. */
export interface Program {
  name: string;
  file: string;
  expected: string[];
  needs: string[];
  portable: boolean;
}

/** One runtime a program runs on (`reference`: real node:net, the import changed back). */
export interface Runtime {
  name: string;
  command: string;
  args: string[];
  reference?: boolean;
}

/** How one run went. */
export interface RunResult {
  status: "passed" | "failed" | "skipped";
  reason?: string;
  stdout: string;
  stderr: string;
}

/** scripts/examples.mjs's exports. */
export interface ProgramRunner {
  allRuntimes(): Runtime[];
  listExamples(): Program[];
  readExample(path: string): Program;
  ensureBuilt(): boolean;
  runExample(program: Program, runtime: Runtime): Promise<RunResult>;
  DEFAULT_RUNTIMES: string[];
}

// A computed specifier: the runner is plain JavaScript without declarations.
const runnerUrl = new URL("../scripts/examples.mjs", import.meta.url).href;

/** The runner itself. */
export const runner = (await import(runnerUrl)) as ProgramRunner;

/** The runtimes every program runs on: node, deno, bun and node:net. */
export const runtimes: Runtime[] = runner.allRuntimes().filter((r) => runner.DEFAULT_RUNTIMES.includes(r.name));
