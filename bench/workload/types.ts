/**
 * Shared types of the bench workloads: what a server or client process is told to do and
 * what it reports back. Every variant (crossnet, a runtime's native API, its node:net)
 * implements {@link Workload} for the same three scenarios, so their runs compare.
 *
 * @module
 */

/** `bulk`: bytes one way. `ping-pong`: sequential round trips. `many`: concurrent echo clients. */
export type Scenario = "bulk" | "ping-pong" | "many";

/** Sizes of one run; the orchestrator picks them (full or `--quick`). */
export interface Params {
  /** bulk: bytes the client sends. */
  bulkBytes: number;
  /** bulk: bytes per write. */
  bulkChunk: number;
  /** ping-pong: round trips. */
  pingRounds: number;
  /** ping-pong: message size in bytes. */
  pingSize: number;
  /** many: concurrent clients. */
  manyClients: number;
  /** many: round trips per client. */
  manyRounds: number;
  /** many: message size in bytes. */
  manySize: number;
  /**
   * An untimed warm-up before the measured part, as a fraction of the sizes (absent or 0:
   * none). Each client first runs the same scenario at this scale on connections of its
   * own, so the measured part runs on code the JIT compilers have already optimized.
   */
  warmup?: number;
}

/** What a server reports once every expected connection has closed. */
export interface ServerResult {
  /** Bytes received from all clients. */
  bytes: number;
}

/** What a client reports once its work is done. */
export interface ClientResult {
  /** Milliseconds of the measured part (connect excluded for bulk and ping-pong). */
  ms: number;
  /** Bytes the client received back (bulk: 0, echo scenarios: all echoed bytes). */
  bytes: number;
  /** many: milliseconds from the start until every client was connected. */
  openMs?: number;
  /**
   * many: milliseconds the second half of all round trips took (from the moment half of
   * them were done to the last echo): the pace once connecting and warming up are over.
   */
  laterMs?: number;
}

/**
 * What an echo connection of the many scenario tells {@link runManyClients} as it goes,
 * so that the run can be split into its phases. Every variant calls it at the same points.
 */
export interface EchoProgress {
  /** The connection is open. */
  opened(): void;
  /** One round trip is complete (its whole echo arrived). */
  echoed(): void;
}

/** What one echo connection reports: also when its last echo arrived. */
export interface EchoResult extends ClientResult {
  doneAt: number;
}

/**
 * The many-connections client: `count` echo clients of `rounds` round trips at once,
 * measured from before the first connect until the last echo arrived (closing is not part
 * of the measure); also when the last client was connected, and how long the second half
 * of all round trips took.
 */
export async function runManyClients(
  count: number,
  rounds: number,
  client: (progress: EchoProgress) => Promise<EchoResult>,
): Promise<ClientResult> {
  const half = Math.ceil((count * rounds) / 2);
  let opened = 0;
  let echoed = 0;
  let openAt = Number.NaN;
  let halfAt = Number.NaN;
  const progress: EchoProgress = {
    opened() {
      if (++opened === count) openAt = performance.now();
    },
    echoed() {
      if (++echoed === half) halfAt = performance.now();
    },
  };
  const start = performance.now();
  const runs: Promise<EchoResult>[] = [];
  for (let i = 0; i < count; i++) runs.push(client(progress));
  const results = await Promise.all(runs);
  let bytes = 0;
  let last = start;
  for (const r of results) {
    bytes += r.bytes;
    last = Math.max(last, r.doneAt);
  }
  return { ms: last - start, bytes, openMs: openAt - start, laterMs: last - halfAt };
}

/**
 * A variant's client side from its two clients: the bulk sender, and one echo connection
 * doing `rounds` round trips of `size` bytes (ping-pong is one of them, many is
 * `manyClients` of them at once, through {@link runManyClients}).
 */
export function echoAndBulkClient(
  bulk: (params: Params, port: number) => Promise<ClientResult>,
  echo: (port: number, rounds: number, size: number, progress?: EchoProgress) => Promise<EchoResult>,
): Workload["client"] {
  return (scenario, params, port) => {
    if (scenario === "bulk") return bulk(params, port);
    if (scenario === "ping-pong") return echo(port, params.pingRounds, params.pingSize);
    return runManyClients(
      params.manyClients,
      params.manyRounds,
      (progress) => echo(port, params.manyRounds, params.manySize, progress),
    );
  };
}

/** One variant's implementation of every scenario, both sides. */
export interface Workload {
  /** Listen on 127.0.0.1 (any port), call `ready` with the port, serve until done. */
  server(scenario: Scenario, params: Params, ready: (port: number) => void): Promise<ServerResult>;
  /** Connect to 127.0.0.1:`port` and run the scenario. */
  client(scenario: Scenario, params: Params, port: number): Promise<ClientResult>;
}

/** How many connections a server waits for before it is done. */
export function expectedConnections(scenario: Scenario, params: Params): number {
  const measured = scenario === "many" ? params.manyClients : 1;
  return warmupParams(params) === undefined ? measured : 2 * measured;
}

/**
 * The sizes of the warm-up pass ({@link Params.warmup}), or `undefined` when there is none:
 * the same scenario scaled down (bulk in whole chunks, at least one round trip), the same
 * number of concurrent clients.
 */
export function warmupParams(params: Params): Params | undefined {
  const f = params.warmup ?? 0;
  if (!(f > 0)) return undefined;
  const chunks = Math.max(1, Math.round((params.bulkBytes * f) / params.bulkChunk));
  return {
    ...params,
    warmup: 0,
    bulkBytes: chunks * params.bulkChunk,
    pingRounds: Math.max(1, Math.round(params.pingRounds * f)),
    manyRounds: Math.max(1, Math.round(params.manyRounds * f)),
  };
}

/** The listening host of every run: loopback only. */
export const HOST = "127.0.0.1";
