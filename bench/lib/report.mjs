/**
 * The plain-text tables the bench prints: one line per variant (speed, peak RSS of each
 * side, as median [min-max]), then one line per ratio with its target and verdict, then
 * the phases of the many-connections runs.
 *
 * @module
 */

import { NATIVE } from "./runtimes.mjs";

function fmt(n) {
  if (n >= 100) return Math.round(n).toLocaleString("en-US");
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function range(s, scale = 1, format = fmt) {
  if (s === null) return "failed";
  return `${format(s.median / scale)} [${format(s.min / scale)}-${format(s.max / scale)}]`;
}

function ratio(s) {
  if (s === null) return "n/a";
  return `${s.median.toFixed(2)} [${s.min.toFixed(2)}-${s.max.toFixed(2)}]`;
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function variantLabel(runtime, variant) {
  return variant === NATIVE[runtime] && variant === "node:net" ? "node:net (native)" : variant;
}

/**
 * The whole report as text.
 *
 * @param {Record<string, any>} result What run.mjs writes as JSON.
 */
export function formatReport(result) {
  const { meta, variants, ratios } = result;
  const out = [];
  const pin = meta.pinnedCpu === null ? "no pinning" : `bulk and ping-pong pinned to cpu ${meta.pinnedCpu} (both sides)`;
  out.push(
    `crossnet bench, ${meta.date}: ${meta.reps} interleaved round(s), ${pin}` +
      `${meta.quick ? ", QUICK sizes" : ""}` +
      // (Results written before this field existed ran the sources.)
      `; crossnet from ${meta.crossnet ?? "its sources"}`,
    `${meta.runtimes.map((r) => `${r.name} ${r.version}`).join(", ")}; ${meta.machine}; ` +
      `load average ${meta.loadAverage.before.toFixed(2)} before, ${meta.loadAverage.after.toFixed(2)} after`,
    `bulk: ${meta.params.bulkBytes / 2 ** 20} MiB one way in ${meta.params.bulkChunk / 1024} KiB writes; ` +
      `ping-pong: ${meta.params.pingRounds} x ${meta.params.pingSize} B; ` +
      `many: ${meta.params.manyClients} clients x ${meta.params.manyRounds} x ${meta.params.manySize} B` +
      (meta.params.warmup ? `; each client warmed up first, untimed, at ${meta.params.warmup} x these sizes` : ""),
    "",
    table(
      ["runtime", "scenario", "variant", "speed: median [min-max]", "unit", "server RSS MiB", "client RSS MiB"],
      variants.map((v) => [
        v.runtime,
        v.scenario,
        variantLabel(v.runtime, v.variant) + (v.failed ? ` (${v.failed} failed)` : ""),
        range(v.speed),
        v.unit,
        range(v.serverRssKiB, 1024, (n) => n.toFixed(1)),
        range(v.clientRssKiB, 1024, (n) => n.toFixed(1)),
      ]),
    ),
    "",
    "Ratios per interleaved round, median [min-max]. Speed: above 1 means crossnet is faster. RSS: above 1 means crossnet uses more.",
    table(
      ["runtime", "scenario", "ratio", "speed", "target", "server RSS", "client RSS", "target"],
      ratios.map((r) => [
        r.runtime,
        r.scenario,
        r.pair,
        ratio(r.speed),
        r.speedTarget === null ? "-" : verdict(r.speedMet, r.native ? `>= ${r.speedTarget.toFixed(2)}` : "> 1"),
        ratio(r.serverRss),
        ratio(r.clientRss),
        r.rssTarget === null ? "-" : verdict(r.rssMet, `<= ${r.rssTarget.toFixed(2)}`),
      ]),
    ),
  );
  const phases = variants.filter((v) => v.scenario === "many" && v.laterSpeed !== null);
  if (phases.length > 0) {
    out.push(
      "",
      "many, by phase (no target: where the time goes): when every client was connected, and the pace",
      "of the second half of the round trips, once connecting and the JIT compilers' warm-up are over.",
      table(
        ["runtime", "variant", "all connected after ms", "second half: round trips/s", "second half vs native"],
        phases.map((v) => {
          const pair = `${v.variant}/${NATIVE[v.runtime]}`;
          const r = ratios.find((x) => x.runtime === v.runtime && x.scenario === "many" && x.pair === pair);
          return [
            v.runtime,
            variantLabel(v.runtime, v.variant),
            range(v.openMs),
            range(v.laterSpeed),
            r ? ratio(r.laterSpeed) : "-",
          ];
        }),
      ),
    );
  }
  const missed = ratios.filter((r) => r.speedMet === false || r.rssMet === false);
  out.push("", missed.length === 0 ? "Every target met." : `Targets missed: ${missed.length} (marked MISS).`);
  return out.join("\n");
}

function verdict(met, text) {
  return met === null ? `${text} n/a` : `${text} ${met ? "ok" : "MISS"}`;
}
