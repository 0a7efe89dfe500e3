/**
 * Command-line options of the bench and the sizes of each scenario (full or `--quick`).
 *
 * @module
 */

/** Every scenario, in the order they run and print. */
export const SCENARIOS = ["bulk", "ping-pong", "many"];

/** Every runtime, in the order they run and print. */
export const RUNTIMES = ["node", "deno", "bun"];

/** The sizes the issue asks for. */
const FULL = {
  bulkBytes: 1024 * 1024 * 1024,
  bulkChunk: 64 * 1024,
  pingRounds: 50_000,
  pingSize: 64,
  manyClients: 500,
  manyRounds: 100,
  manySize: 1024,
};

/** A smoke run: every code path, a few seconds in all. */
const QUICK = {
  bulkBytes: 32 * 1024 * 1024,
  bulkChunk: 64 * 1024,
  pingRounds: 2_000,
  pingSize: 64,
  manyClients: 50,
  manyRounds: 10,
  manySize: 1024,
};

export const USAGE = `Usage: node bench/run.mjs [options]

  --reps <n>          interleaved rounds per runtime and scenario (default 5, --quick: 1)
  --quick             tiny sizes, for a smoke run
  --runtime <list>    comma-separated subset of: ${RUNTIMES.join(", ")}
  --scenario <list>   comma-separated subset of: ${SCENARIOS.join(", ")}
  --cpu <n>           the core bulk and ping-pong are pinned to, both sides (default 0)
  --no-pin            do not pin anything
  --warmup <f>        before the measured part, each client runs the same scenario
                      untimed at f times the sizes (0 < f <= 1), on connections of
                      its own: steady-state figures, JIT warm-up excluded (RSS peaks
                      still include it). Default: none, as the issue's scenarios
  --by-side           also run crossnet on one side only (server or client), the
                      native API on the other, and give their ratios to native:
                      which side a gap comes from (no targets apply to them)
  --sources           run crossnet from its sources (Deno and Bun: the TypeScript
                      files, as JSR serves them; Node: the same with types erased)
                      instead of the package's build, dist/, as npm installs it
                      (made by npm run build at the start of the run)
  --deno-over-node    crossnet on Deno through its node adapter, over Deno's own
                      node:net, instead of its Deno adapter (Deno.connect and
                      Deno.listen): a measurement (bench/README.md, Findings)
  --out <file>        where the JSON goes (default bench/results/latest.json,
                      with --quick bench/results/quick.json)
  --help              this text

Env: BENCH_REPS sets the default of --reps.`;

function list(value, allowed, flag) {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item)) throw new Error(`${flag}: "${item}" is not one of ${allowed.join(", ")}`);
  }
  return allowed.filter((a) => items.includes(a));
}

/**
 * Parse the command line.
 *
 * @param {string[]} argv Arguments after the script name.
 * @returns {{ reps: number, quick: boolean, runtimes: string[], scenarios: string[],
 *   cpu: number | null, out: string | null, help: boolean, warmup: number, bySide: boolean,
 *   sources: boolean, denoOverNode: boolean, params: Record<string, number> }}
 */
export function parseOptions(argv) {
  const options = {
    reps: 0,
    quick: false,
    runtimes: RUNTIMES,
    scenarios: SCENARIOS,
    cpu: 0,
    out: null,
    help: false,
    params: FULL,
    warmup: 0,
    bySide: false,
    sources: false,
    denoOverNode: false,
  };
  const value = (i, flag) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const take = () => inline ?? value(i++, flag);
    switch (flag) {
      case "--reps": options.reps = positiveInt(take(), flag); break;
      case "--quick": options.quick = true; break;
      case "--runtime": options.runtimes = list(take(), RUNTIMES, flag); break;
      case "--scenario": options.scenarios = list(take(), SCENARIOS, flag); break;
      case "--cpu": options.cpu = positiveInt(take(), flag, 0); break;
      case "--no-pin": options.cpu = null; break;
      case "--by-side": options.bySide = true; break;
      case "--sources": options.sources = true; break;
      case "--deno-over-node": options.denoOverNode = true; break;
      case "--out": options.out = take(); break;
      case "--warmup": options.warmup = fraction(take(), flag); break;
      case "--help": case "-h": options.help = true; break;
      default: throw new Error(`unknown option "${arg}"\n\n${USAGE}`);
    }
  }
  if (options.quick) options.params = QUICK;
  if (options.warmup > 0) options.params = { ...options.params, warmup: options.warmup };
  if (options.reps === 0) {
    options.reps = process.env.BENCH_REPS
      ? positiveInt(process.env.BENCH_REPS, "BENCH_REPS")
      : options.quick ? 1 : 5;
  }
  return options;
}

function fraction(text, flag) {
  const f = Number(text);
  if (!(f > 0 && f <= 1)) throw new Error(`${flag}: expected a number in (0, 1], got "${text}"`);
  return f;
}

function positiveInt(text, flag, min = 1) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag}: expected an integer >= ${min}, got "${text}"`);
  return n;
}
