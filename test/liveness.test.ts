/**
 * What keeps a process alive, and what a program prints about crossnet's objects (class
 * names, errors' first lines): the programs in test/fixtures/ run on Node, Deno and Bun
 * (and against real `node:net` on Node) and must exit by themselves with the output their
 * `// Prints:` block gives (scripts/examples.mjs runs them, as it runs examples/; a program
 * that does not exit is killed and fails).
 *
 * @module
 */

import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { runner, runtimes } from "./_programs.ts";

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
