// The npm build: one ESM file per entry in dist/, shared code split into chunks, and a
// bundled .d.ts per entry. JSR publishes the TypeScript sources instead (deno.json).
import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    mod: "mod.ts",
    node: "node.ts",
    deno: "deno.ts",
    bun: "bun.ts",
    core: "core.ts",
    conformance: "conformance/suite.ts",
  },
  format: ["esm"],
  // Runtime-neutral output: every runtime supplies node:* itself (Deno and Bun too).
  platform: "neutral",
  target: "es2022",
  external: [/^node:/],
  // Keep the `node:` prefix: Deno needs it outside npm packages (a plain file import).
  removeNodeProtocol: false,
  splitting: true,
  treeshake: true,
  dts: true,
  tsconfig: "tsconfig.build.json",
  clean: true,
  outDir: "dist",
});
