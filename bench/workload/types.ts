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
}

/** What one echo connection reports: also when its last echo arrived. */
export interface EchoResult extends ClientResult {
  doneAt: number;
}

/**
 * The many-connections client: `count` echo clients at once, measured from before the
 * first connect until the last echo arrived (closing is not part of the measure).
 */
export async function runManyClients(count: number, client: () => Promise<EchoResult>): Promise<ClientResult> {
  const start = performance.now();
  const runs: Promise<EchoResult>[] = [];
  for (let i = 0; i < count; i++) runs.push(client());
  const results = await Promise.all(runs);
  let bytes = 0;
  let last = start;
  for (const r of results) {
    bytes += r.bytes;
    last = Math.max(last, r.doneAt);
  }
  return { ms: last - start, bytes };
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
  return scenario === "many" ? params.manyClients : 1;
}

/** The listening host of every run: loopback only. */
export const HOST = "127.0.0.1";
