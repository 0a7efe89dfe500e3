import { defineConfig } from "vitest/config";

/** Conformance suite under Node: one file registers every case for CROSSNET_TARGET. */
export default defineConfig({
  test: {
    include: ["conformance/runners/vitest.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 20_000,
  },
});
