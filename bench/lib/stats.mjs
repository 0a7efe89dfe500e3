/**
 * From runs to numbers: each run's speed, medians with min-max per variant, and ratios
 * taken per interleaved round (crossnet's run against its neighbour in the same round),
 * then summarised the same way, so a slow minute of the machine hits both sides of a ratio.
 *
 * @module
 */

import { NATIVE } from "./runtimes.mjs";

/** Speed unit of each scenario (higher is better). */
export const UNITS = { bulk: "MiB/s", "ping-pong": "round trips/s", many: "round trips/s" };

/** Targets of the issue: crossnet / native speed at least this much. */
export const SPEED_TARGET = { bulk: 0.9, "ping-pong": 0.95, many: 0.95 };

/** crossnet / native peak RSS at most this much, each side. */
export const RSS_TARGET = 1.2;

/**
 * The speed of one run, in the scenario's unit.
 *
 * @param {string} scenario
 * @param {Record<string, number>} params
 * @param {number} ms Measured milliseconds.
 */
export function speedOf(scenario, params, ms) {
  const seconds = ms / 1000;
  if (scenario === "bulk") return params.bulkBytes / (1024 * 1024) / seconds;
  if (scenario === "ping-pong") return params.pingRounds / seconds;
  return (params.manyClients * params.manyRounds) / seconds;
}

/** Median, min and max of some numbers (null when there are none). */
export function summary(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/**
 * Per runtime, scenario and variant: speed and peak RSS of both sides.
 *
 * @param {Array<Record<string, any>>} runs Every run, failed ones included.
 */
export function summarizeVariants(runs) {
  const groups = new Map();
  for (const run of runs) {
    const key = `${run.runtime}\0${run.scenario}\0${run.variant}`;
    if (!groups.has(key)) groups.set(key, { runtime: run.runtime, scenario: run.scenario, variant: run.variant, runs: [] });
    groups.get(key).runs.push(run);
  }
  return [...groups.values()].map(({ runs: group, ...id }) => {
    const ok = group.filter((r) => r.ok);
    return {
      ...id,
      unit: UNITS[id.scenario],
      failed: group.length - ok.length,
      speed: summary(ok.map((r) => r.speed)),
      serverRssKiB: summary(ok.map((r) => r.serverRssKiB)),
      clientRssKiB: summary(ok.map((r) => r.clientRssKiB)),
    };
  });
}

/**
 * Per runtime and scenario: crossnet against native, and against node:net where that is
 * another variant (Deno, Bun). Speed ratios above 1 mean crossnet is faster; RSS ratios
 * above 1 mean crossnet uses more.
 *
 * @param {Array<Record<string, any>>} runs Every run.
 */
export function summarizeRatios(runs) {
  const rows = [];
  const pairs = new Map();
  for (const run of runs) {
    const key = `${run.runtime}\0${run.scenario}`;
    if (!pairs.has(key)) pairs.set(key, { runtime: run.runtime, scenario: run.scenario, runs: [] });
    pairs.get(key).runs.push(run);
  }
  for (const { runtime, scenario, runs: group } of pairs.values()) {
    const against = [NATIVE[runtime]];
    if (NATIVE[runtime] !== "node:net") against.push("node:net");
    for (const other of against) {
      const perRound = [];
      for (const round of new Set(group.map((r) => r.round))) {
        const a = group.find((r) => r.round === round && r.variant === "crossnet" && r.ok);
        const b = group.find((r) => r.round === round && r.variant === other && r.ok);
        if (!a || !b) continue;
        perRound.push({
          round,
          speed: a.speed / b.speed,
          serverRss: a.serverRssKiB / b.serverRssKiB,
          clientRss: a.clientRssKiB / b.clientRssKiB,
        });
      }
      const native = other === NATIVE[runtime];
      const speed = summary(perRound.map((p) => p.speed));
      const serverRss = summary(perRound.map((p) => p.serverRss));
      const clientRss = summary(perRound.map((p) => p.clientRss));
      // vs native: the floors; vs node:net (Deno, Bun): faster, i.e. above 1.
      const speedTarget = native ? SPEED_TARGET[scenario] : 1;
      rows.push({
        runtime,
        scenario,
        pair: `crossnet/${other === "native" ? "native" : other}`,
        native,
        rounds: perRound.length,
        perRound,
        speed,
        speedTarget,
        speedMet: speed === null ? null : native ? speed.median >= speedTarget : speed.median > speedTarget,
        serverRss,
        clientRss,
        rssTarget: native ? RSS_TARGET : null,
        rssMet: !native || serverRss === null
          ? null
          : serverRss.median <= RSS_TARGET && clientRss.median <= RSS_TARGET,
      });
    }
  }
  return rows;
}
