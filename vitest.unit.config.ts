import { defineConfig } from "vitest/config";

/** Unit tests of the core's modules, under Node. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
  },
});
