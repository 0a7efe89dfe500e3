/**
 * From runs to numbers: each run's speed, medians with min-max per variant, and ratios
 * taken per interleaved round (crossnet's run against its neighbour in the same round),
 * then summarised the same way, so a slow minute of the machine hits both sides of a ratio.
 *
 * @module
 */

import { NATIVE, SIDE_VARIANTS } from "./runtimes.mjs";

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

/**
 * The phases of a many-connections run, from what its client reported: how long until every
 * client was connected, and the speed of the second half of the round trips (once
 * connecting and the JIT compilers' warm-up are over). Nothing for the other scenarios.
 *
 * @param {string} scenario
 * @param {Record<string, number>} params
 * @param {{ openMs?: number, laterMs?: number }} client What the client reported.
 * @returns {{ openMs?: number, laterSpeed?: number }}
 */
export function phasesOf(scenario, params, client) {
  if (scenario !== "many" || !(client.laterMs > 0) || !(client.openMs >= 0)) return {};
  const total = params.manyClients * params.manyRounds;
  const later = total - Math.ceil(total / 2);
  return { openMs: client.openMs, laterSpeed: later / (client.laterMs / 1000) };
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
      openMs: summary(ok.map((r) => r.openMs)),
      laterSpeed: summary(ok.map((r) => r.laterSpeed)),
      serverRssKiB: summary(ok.map((r) => r.serverRssKiB)),
      clientRssKiB: summary(ok.map((r) => r.clientRssKiB)),
    };
  });
}

/**
 * Per runtime and scenario: crossnet against native, and against node:net where that is
 * another variant (Deno, Bun); with `--by-side`, also crossnet on one side only against
 * native (no target: a diagnosis). Speed ratios above 1 mean crossnet is faster; RSS
 * ratios above 1 mean crossnet uses more.
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
    const native = NATIVE[runtime];
    // vs native: the floors; vs node:net (Deno, Bun): faster, i.e. above 1.
    rows.push(ratioRow(runtime, scenario, group, "crossnet", native, SPEED_TARGET[scenario], RSS_TARGET));
    if (native !== "node:net") rows.push(ratioRow(runtime, scenario, group, "crossnet", "node:net", 1, null));
    for (const side of SIDE_VARIANTS) {
      if (group.some((r) => r.variant === side)) rows.push(ratioRow(runtime, scenario, group, side, native, null, null));
    }
  }
  return rows;
}

/**
 * `mine` against `other`, round by round, then summarised.
 *
 * @param {number | null} speedTarget The floor vs native (met at or above it), 1 vs
 *   node:net (met above it), or null: no target.
 * @param {number | null} rssTarget The ceiling of each side's RSS ratio, or null.
 */
function ratioRow(runtime, scenario, group, mine, other, speedTarget, rssTarget) {
  const perRound = [];
  for (const round of new Set(group.map((r) => r.round))) {
    const a = group.find((r) => r.round === round && r.variant === mine && r.ok);
    const b = group.find((r) => r.round === round && r.variant === other && r.ok);
    if (!a || !b) continue;
    perRound.push({
      round,
      speed: a.speed / b.speed,
      laterSpeed: a.laterSpeed / b.laterSpeed,
      serverRss: a.serverRssKiB / b.serverRssKiB,
      clientRss: a.clientRssKiB / b.clientRssKiB,
    });
  }
  const isNative = other === NATIVE[runtime];
  const speed = summary(perRound.map((p) => p.speed));
  const laterSpeed = summary(perRound.map((p) => p.laterSpeed));
  const serverRss = summary(perRound.map((p) => p.serverRss));
  const clientRss = summary(perRound.map((p) => p.clientRss));
  return {
    runtime,
    scenario,
    pair: `${mine}/${other}`,
    native: isNative,
    rounds: perRound.length,
    perRound,
    speed,
    laterSpeed,
    speedTarget,
    speedMet: speed === null || speedTarget === null
      ? null
      : isNative ? speed.median >= speedTarget : speed.median > speedTarget,
    serverRss,
    clientRss,
    rssTarget,
    rssMet: rssTarget === null || serverRss === null
      ? null
      : serverRss.median <= rssTarget && clientRss.median <= rssTarget,
  };
}
