/**
 * What keeps a process alive: the programs in test/fixtures/ run on Node, Deno and Bun
 * (and against real `node:net` on Node) and must exit by themselves with the output their
 * `// Prints:` block gives (scripts/examples.mjs runs them, as it runs examples/; a program
 * that does not exit is killed and fails).
 *
 * @module
 */

import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";

interface Example {
  name: string;
  file: string;
}
interface Runtime {
  name: string;
}
interface RunResult {
  status: "passed" | "failed" | "skipped";
  reason?: string;
  stdout: string;
  stderr: string;
}
interface ExamplesRunner {
  allRuntimes(): Runtime[];
  readExample(path: string): Example;
  ensureBuilt(): boolean;
  runExample(example: Example, runtime: Runtime): Promise<RunResult>;
  DEFAULT_RUNTIMES: string[];
}

// A computed specifier: the runner is plain JavaScript without declarations.
const runnerUrl = new URL("../scripts/examples.mjs", import.meta.url).href;
const runner = (await import(runnerUrl)) as ExamplesRunner;
const runtimes = runner.allRuntimes().filter((r) => runner.DEFAULT_RUNTIMES.includes(r.name));
const fixtures = new URL("./fixtures/", import.meta.url);

beforeAll(() => {
  runner.ensureBuilt();
}, 180_000);

for (const file of readdirSync(fixtures).filter((f) => f.endsWith(".mjs")).sort()) {
  const program = runner.readExample(new URL(file, fixtures).pathname);
  describe(`test/fixtures/${file}`, () => {
    for (const runtime of runtimes) {
      test(`exits by itself on ${runtime.name}`, async () => {
        const result = await runner.runExample(program, runtime);
        expect(result.status, `${result.reason}\n${result.stdout}${result.stderr}`).toBe("passed");
      }, 60_000);
    }
  });
}
