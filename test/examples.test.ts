/**
 * Runs each program of examples/ on Node, Deno and Bun, and against real `node:net` on Node
 * (the same file with its import changed back), and checks its output against the example's
 * own "// Prints:" block (see scripts/examples.mjs, which also runs them alone:
 * `npm run examples`). The examples import "crossnet" from the built dist/, which is built
 * first when missing or stale.
 *
 * @module
 */

import { basename } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runner, runtimes } from "./_programs.ts";

beforeAll(() => {
  runner.ensureBuilt();
}, 180_000);

test("the examples run on node, deno, bun and against node:net", () => {
  expect(runtimes.map((r) => r.name).sort()).toEqual([...runner.DEFAULT_RUNTIMES].sort());
});

for (const example of runner.listExamples()) {
  describe(`examples/${basename(example.file)}`, () => {
    for (const runtime of runtimes) {
      test(`on ${runtime.name}`, async (ctx) => {
        const result = await runner.runExample(example, runtime);
        if (result.status === "skipped") return ctx.skip(result.reason);
        expect(result.status, `${result.reason}\n${result.stdout}${result.stderr}`).toBe("passed");
      }, 60_000);
    }
  });
}
