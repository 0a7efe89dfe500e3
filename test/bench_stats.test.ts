/**
 * The bench's arithmetic (`bench/lib/stats.mjs`, `runtimes.mjs`, `options.mjs`) on made-up
 * runs: per-round ratios and their medians, the targets and verdicts, and `--by-side`'s
 * one-sided variants. No socket, no timing: the numbers are given.
 *
 * @module
 */
import { describe, expect, test } from "vitest";

// Plain JavaScript modules without declarations: imported through a path held in a
// variable, so the type checker takes them as they are.
const lib = "../bench/lib/";
const stats = await import(`${lib}stats.mjs`);
const runtimes = await import(`${lib}runtimes.mjs`);
const options = await import(`${lib}options.mjs`);
const reportModule = await import(`${lib}report.mjs`);

interface Run {
  runtime: string;
  scenario: string;
  variant: string;
  round: number;
  ok: boolean;
  speed: number;
  serverRssKiB: number;
  clientRssKiB: number;
}

function run(variant: string, round: number, speed: number, serverRssKiB = 1000, clientRssKiB = 1000): Run {
  return { runtime: "deno", scenario: "bulk", variant, round, ok: true, speed, serverRssKiB, clientRssKiB };
}

describe("bench statistics", () => {
  test("ratios are taken per round, then summarised as median [min-max]", () => {
    const runs = [
      run("crossnet", 1, 80, 2000), run("native", 1, 100), run("node:net", 1, 40),
      run("crossnet", 2, 90, 2000), run("native", 2, 100), run("node:net", 2, 60),
      // A slow round hits both sides of its ratio alike.
      run("crossnet", 3, 45, 2000), run("native", 3, 50), run("node:net", 3, 50),
    ];
    const rows = stats.summarizeRatios(runs);
    expect(rows.map((r: { pair: string }) => r.pair)).toEqual(["crossnet/native", "crossnet/node:net"]);
    const [native, nodeNet] = rows;
    expect(native.speed).toEqual({ median: 0.9, min: 0.8, max: 0.9, n: 3 });
    expect(native.speedTarget).toBe(0.9);
    expect(native.speedMet).toBe(true); // bulk's floor is 0.90, met at it
    expect(native.serverRss.median).toBe(2);
    expect(native.rssMet).toBe(false); // 2x the native server's RSS
    expect(nodeNet.speed.median).toBe(1.5);
    expect(nodeNet.speedMet).toBe(true);
    expect(nodeNet.rssTarget).toBe(null);
  });

  test("a failed run leaves its round out of the ratios", () => {
    const runs = [
      run("crossnet", 1, 80), run("native", 1, 100),
      { ...run("crossnet", 2, 0), ok: false }, run("native", 2, 100),
    ];
    const [native] = stats.summarizeRatios(runs);
    expect(native.rounds).toBe(1);
    expect(native.speed.median).toBe(0.8);
    expect(native.speedMet).toBe(false);
  });

  test("--by-side: each one-sided variant against native, without a target", () => {
    const runs = [
      run("crossnet", 1, 70), run("native", 1, 100), run("node:net", 1, 50),
      run("crossnet-server", 1, 75, 1800, 1000), run("crossnet-client", 1, 95, 1000, 1100),
    ];
    const rows = stats.summarizeRatios(runs);
    const side = rows.filter((r: { pair: string }) => r.pair.startsWith("crossnet-"));
    expect(side.map((r: { pair: string }) => r.pair)).toEqual(["crossnet-server/native", "crossnet-client/native"]);
    expect(side[0].speed.median).toBe(0.75);
    expect(side[0].serverRss.median).toBe(1.8);
    expect(side[1].clientRss.median).toBeCloseTo(1.1);
    for (const r of side) {
      expect(r.speedTarget).toBe(null);
      expect(r.speedMet).toBe(null);
      expect(r.rssMet).toBe(null);
    }
    // They count in no verdict: only crossnet/native and crossnet/node:net can miss.
    const report = formatWith(rows);
    expect(report).toContain("crossnet-server/native");
    expect(report).toContain("Targets missed: 1 (marked MISS).");
  });

  test("a side variant runs crossnet on its side and the native API on the other", () => {
    expect(runtimes.variantOf("deno", "crossnet-server", "server")).toBe("crossnet");
    expect(runtimes.variantOf("deno", "crossnet-server", "client")).toBe("native");
    expect(runtimes.variantOf("node", "crossnet-client", "server")).toBe("node:net");
    expect(runtimes.variantOf("bun", "crossnet-client", "client")).toBe("crossnet");
    expect(runtimes.variantOf("bun", "node:net", "client")).toBe("node:net");
  });

  test("many: the phases (all connected, the second half's pace) and their ratio", () => {
    const params = { manyClients: 500, manyRounds: 100 };
    // 25,000 round trips in the second half: 250 ms of it is 100,000 round trips/s.
    expect(stats.phasesOf("many", params, { openMs: 12, laterMs: 250 })).toEqual({
      openMs: 12,
      laterSpeed: 100_000,
    });
    // Not for the other scenarios, nor without the figures.
    expect(stats.phasesOf("bulk", params, { openMs: 12, laterMs: 250 })).toEqual({});
    expect(stats.phasesOf("many", params, { openMs: Number.NaN, laterMs: 250 })).toEqual({});
    const many = (variant: string, round: number, speed: number, laterSpeed: number, openMs: number) => ({
      ...run(variant, round, speed),
      scenario: "many",
      laterSpeed,
      openMs,
    });
    const runs = [
      many("crossnet", 1, 80, 95, 30), many("native", 1, 100, 100, 15),
      many("crossnet", 2, 85, 98, 34), many("native", 2, 100, 100, 16),
    ];
    const [native] = stats.summarizeRatios(runs);
    expect(native.speed.median).toBeCloseTo(0.825);
    expect(native.laterSpeed.median).toBeCloseTo(0.965);
    const variants = stats.summarizeVariants(runs);
    expect(variants[0].openMs).toEqual({ median: 32, min: 30, max: 34, n: 2 });
    const report = formatWith(stats.summarizeRatios(runs), variants);
    expect(report).toMatch(/deno\s+crossnet\s+32\.0 \[30\.0-34\.0\]\s+96\.5 \[95\.0-98\.0\]\s+0\.96 \[0\.95-0\.98\]/);
    // No phases for bulk and ping-pong: their report has no such table.
    expect(formatWith(stats.summarizeRatios([run("crossnet", 1, 80), run("native", 1, 100)]))).not.toContain("by phase");
  });

  test("--by-side is off unless asked for", () => {
    expect(options.parseOptions([]).bySide).toBe(false);
    expect(options.parseOptions(["--by-side", "--quick"]).bySide).toBe(true);
  });
});

/** The printed report of ratio `rows` (and `variants`), through bench/lib/report.mjs. */
function formatWith(rows: unknown[], variants: unknown[] = []): string {
  return reportModule.formatReport({
    meta: {
      date: "2026-11-23T00:00:00.000Z",
      reps: 1,
      quick: false,
      pinnedCpu: 0,
      runtimes: [{ name: "deno", version: "2" }],
      machine: "test",
      loadAverage: { before: 0, after: 0 },
      params: { bulkBytes: 2 ** 30, bulkChunk: 65536, pingRounds: 1, pingSize: 64, manyClients: 1, manyRounds: 1, manySize: 1 },
    },
    variants,
    ratios: rows,
  });
}
