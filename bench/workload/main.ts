/**
 * One bench process, server or client, on whichever runtime runs it (Node >= 22.6 with
 * type stripping, Deno, Bun). The orchestrator (`../run.mjs`) starts it with one JSON
 * argument, {@link Task}, and reads lines starting with `BENCH ` on stdout:
 * `{"ready":port}` from a server once listening, then `{"done":{...}}` from both sides,
 * with the side's peak RSS. A watchdog ends the process if the task outlives its limit.
 *
 * @module
 */

import process from "node:process";
import { warmupParams, type Params, type Scenario, type Workload } from "./types.ts";
import { crossnet } from "./crossnet.ts";
import { netWorkload, type NetApi } from "./net_api.ts";

/** What the orchestrator asks one process to do. */
interface Task {
  role: "server" | "client";
  runtime: "node" | "deno" | "bun";
  /** crossnet, the runtime's native API, or its node:net (on Node, native is node:net). */
  variant: "crossnet" | "native" | "node:net";
  scenario: Scenario;
  params: Params;
  /** The server's port (clients only). */
  port?: number;
  /** The watchdog's limit, in ms. */
  timeoutMs: number;
}

interface DenoGlobal {
  args: string[];
  exit(code: number): never;
}

const deno = (globalThis as { Deno?: DenoGlobal }).Deno;

function exit(code: number): never {
  if (deno) deno.exit(code);
  return process.exit(code);
}

function emit(message: unknown): void {
  console.log(`BENCH ${JSON.stringify(message)}`);
}

/**
 * Peak resident set size of this process, in KiB: getrusage's ru_maxrss, which all three
 * runtimes report through node:process (Deno without any permission), and which matches
 * Linux's VmHWM.
 */
function peakRssKiB(): number {
  return process.resourceUsage().maxRSS;
}

async function load(task: Task): Promise<Workload> {
  if (task.variant === "crossnet") {
    // The package's dist/ or the sources, as the run was asked (./crossnet.ts).
    const entry = await crossnet[task.runtime]();
    return netWorkload(entry as unknown as NetApi);
  }
  if (task.variant === "node:net" || task.runtime === "node") {
    const net = await import("node:net");
    return netWorkload((net.default ?? net) as unknown as NetApi);
  }
  if (task.runtime === "deno") return (await import("./deno_native.ts")).workload;
  return (await import("./bun_native.ts")).workload;
}

async function main(): Promise<void> {
  const task = JSON.parse(deno ? deno.args[0]! : process.argv[2]!) as Task;
  setTimeout(() => {
    emit({ error: `${task.role} timed out after ${task.timeoutMs} ms` });
    exit(2);
  }, task.timeoutMs);
  const workload = await load(task);
  if (task.role === "server") {
    const { bytes } = await workload.server(task.scenario, task.params, (port) => emit({ ready: port }));
    emit({ done: { bytes, rssKiB: peakRssKiB() } });
  } else {
    // The warm-up pass, untimed; the server must also have received its bytes.
    const warm = warmupParams(task.params);
    let warmupBytes = 0;
    if (warm !== undefined) {
      const pass = await workload.client(task.scenario, warm, task.port!);
      warmupBytes = task.scenario === "bulk" ? warm.bulkBytes : pass.bytes;
    }
    const { ms, bytes, openMs, laterMs } = await workload.client(task.scenario, task.params, task.port!);
    emit({ done: { ms, bytes, openMs, laterMs, warmupBytes, rssKiB: peakRssKiB() } });
  }
  exit(0);
}

main().catch((err) => {
  emit({ error: String((err as Error)?.stack ?? err) });
  exit(1);
});
