/**
 * A TCP address on 127.0.0.1 whose SYNs get no answer, for the cases about connection-attempt
 * timeouts (`connectionAttemptTimeout`, `timeout` while connecting).
 *
 * How: a child process of the same runtime listens on 127.0.0.1 with a tiny backlog through
 * `node:net` (that listener is scaffolding, not the API under test), prints its port, then
 * blocks its own event loop so that it never accepts. The parent then fills the listener's
 * accept queue with connections; once the queue is full the kernel drops every further SYN,
 * so a connect to that port stays pending (until the child exits and the port is closed).
 *
 * The child is bounded in time: it exits by itself after {@link BLACKHOLE_LIFETIME_MS} even
 * if the parent crashes, and `close()` (registered with `ctx.defer`) kills it at once.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as nodeNet from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import type { Ctx } from "./harness.ts";

/** How long the child lives at most, whatever happens to the parent. */
export const BLACKHOLE_LIFETIME_MS = 20_000;

/** A port on 127.0.0.1 where connects hang. */
export interface Blackhole {
  /** The port on 127.0.0.1 that does not answer SYNs. */
  port: number;
  /** Kill the child and drop the filler connections (idempotent). */
  close(): Promise<void>;
}

const CHILD_SCRIPT = `
import net from "node:net";
const lifetime = Number(process.argv[process.argv.length - 1]) || ${BLACKHOLE_LIFETIME_MS};
const server = net.createServer();
server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  process.stdout.write("PORT " + server.address().port + "\\n", () => {
    // Block the event loop: the listener never accepts, its queue fills up.
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, lifetime);
    } catch {
      const end = Date.now() + lifetime;
      while (Date.now() < end) { /* spin */ }
    }
    process.exit(0);
  });
});
`;

/** How long a filler connect may take before we conclude that the queue is full. */
const FULL_AFTER_MS = 400;
/** At most this many fillers (a runtime may ignore the small backlog and use its own). */
const MAX_FILLERS = 600;

/**
 * Start a blackhole and register its cleanup with `ctx.defer`. Resolves once a connect to
 * `127.0.0.1:port` is known to hang.
 */
export async function blackhole(ctx: Ctx): Promise<Blackhole> {
  const dir = mkdtempSync(join(tmpdir(), "crossnet-bh-"));
  const script = join(dir, "blackhole.mjs");
  writeFileSync(script, CHILD_SCRIPT);
  const args = ctx.env.runtime === "deno"
    ? ["run", "-A", script, String(BLACKHOLE_LIFETIME_MS)]
    : [script, String(BLACKHOLE_LIFETIME_MS)];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const fillers: any[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const f of fillers) f.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGKILL");
      await Promise.race([exited, sleepUnref(2_000)]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  ctx.defer(close);

  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("blackhole child did not start")), 8_000);
    child.stdout!.on("data", (chunk: Uint8Array) => {
      out += new TextDecoder().decode(chunk);
      const m = /PORT (\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`blackhole child exited early (${code})`));
    });
  });
  child.stdout!.removeAllListeners("data");
  child.stdout!.resume();
  child.removeAllListeners("exit");

  // Fill the accept queue: connect until a connect does not complete. That last filler's SYN
  // was dropped, so every later SYN to the port is dropped too while the child blocks.
  for (let i = 0; i < MAX_FILLERS; i++) {
    const filler = nodeNet.connect({ port, host: "127.0.0.1", autoSelectFamily: false });
    filler.on("error", () => {});
    fillers.push(filler);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), FULL_AFTER_MS);
      filler.once("connect", () => {
        clearTimeout(timer);
        resolve(true);
      });
      filler.once("close", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) return { port, close };
  }
  await close();
  throw new Error("blackhole: the listener's queue never filled up");
}

function sleepUnref(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t: any = setTimeout(resolve, ms);
    t?.unref?.();
  });
}
