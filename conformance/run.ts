/**
 * Runs cases: builds each case's {@link Ctx}, bounds it in time, cleans up after it, and
 * reports results. Each runtime's runner (vitest, `deno test`, `bun test`) calls
 * {@link registerSuite} with its own `test` function.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import { mkdtempSync, rmSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Case, Ctx, Env, Target } from "./harness.ts";
import { knownGap } from "./known_gaps.ts";

/** A result line, as written to the results file the matrix reads. */
export interface CaseResult {
  /** The runtime's name: `"node"`, `"deno"` or `"bun"`. */
  runtime: string;
  /** The runtime's version. */
  runtimeVersion: string;
  /** The target's name, e.g. `crossnet` or `node:net`. */
  target: string;
  /** The case's area. */
  area: string;
  /** The case's name. */
  name: string;
  /** How the case ended. */
  status: "passed" | "failed" | "skipped";
  /** Why it was skipped, or the error it failed with; absent when it passed. */
  reason?: string;
}

/** A runner's `test(name, fn)`; `skip` set means the runner should report it skipped. */
export type RegisterTest = (
  name: string,
  fn: () => Promise<void>,
  options: { skip?: string; timeoutMs: number },
) => void;

/** Options of {@link registerSuite}. */
export interface SuiteOptions {
  /** The runtime's name and version, for results. */
  runtime: { name: string; version: string };
  /** Facts about this machine, given to every case's context and `skip`. */
  env: Env;
  /** Append each result as one JSON line to this file (the matrix reads it). */
  resultsFile?: string;
  /** Only cases whose `area/name` contains this string. */
  filter?: string;
  /**
   * For a runner whose runtime ends the whole file on an error nobody caught (`deno test`):
   * start passing every such error to `report` (and keep it from ending the file), and
   * return what stops that. Each case then runs with it on, and fails with the first error
   * it reports, once the case is over: the other cases still run. Without it, such an
   * error is the runner's to report (vitest and `bun test` fail the test it came in).
   */
  catchUncaught?: (report: (err: unknown) => void) => () => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Register every case of `cases` against `target` with a runner's `test` function.
 *
 * @example
 * ```ts
 * // conformance.test.ts, run by vitest
 * import process from "node:process";
 * import { test } from "vitest";
 * import * as net from "crossnet";
 * import { cases, registerSuite } from "crossnet/conformance";
 * registerSuite((name, fn, { skip, timeoutMs }) => {
 *   if (skip) test.skip(`${name} (skipped: ${skip})`, fn);
 *   else test(name, fn, timeoutMs);
 * }, cases, { name: "crossnet", net, capabilities: ["extras", "node22", "node24", "node24.21"] }, {
 *   runtime: { name: "node", version: process.versions.node },
 *   env: { runtime: "node", platform: process.platform, ipv6: true },
 * });
 * ```
 */
export function registerSuite(
  test: RegisterTest,
  cases: readonly Case[],
  target: Target,
  options: SuiteOptions,
): void {
  for (const c of cases) {
    const title = `${target.name} > ${c.area} > ${c.name}`;
    if (options.filter && !`${c.area}/${c.name}`.includes(options.filter)) continue;
    if (c.requires?.some((cap) => !target.capabilities.includes(cap))) continue;
    const skip = c.skip?.(options.env) ?? knownGap(`${c.area}/${c.name}`, target.name, options.runtime.name);
    const record = (status: CaseResult["status"], reason?: string) => {
      if (!options.resultsFile) return;
      const result: CaseResult = {
        runtime: options.runtime.name,
        runtimeVersion: options.runtime.version,
        target: target.name,
        area: c.area,
        name: c.name,
        status,
        ...(reason ? { reason } : {}),
      };
      appendFileSync(options.resultsFile, JSON.stringify(result) + "\n");
    };
    const timeoutMs = c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (skip) {
      record("skipped", skip);
      test(title, async () => {}, { skip, timeoutMs });
      continue;
    }
    test(
      title,
      async () => {
        const uncaught: unknown[] = [];
        const stop = options.catchUncaught?.((err) => uncaught.push(err));
        try {
          try {
            await runCase(c, target, options.env, timeoutMs);
          } finally {
            stop?.();
          }
          if (uncaught.length > 0) {
            throw new Error(`uncaught while the case ran: ${describe(uncaught[0])}`, { cause: uncaught[0] });
          }
        } catch (err) {
          record("failed", describe(err));
          throw err;
        }
        record("passed");
      },
      { timeoutMs: timeoutMs + 5_000 },
    );
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 500);
  return String(err).slice(0, 500);
}

/**
 * Run one case with a fresh context; fails if it takes longer than `timeoutMs`.
 *
 * @example
 * ```ts
 * import * as net from "crossnet";
 * import { cases, runCase, type Target } from "crossnet/conformance";
 * const target: Target = { name: "crossnet", net, capabilities: ["extras", "node22", "node24", "node24.21"] };
 * const env = { runtime: "node", platform: "linux", ipv6: true };
 * for (const c of cases.filter((c) => c.area === "lifecycle")) {
 *   await runCase(c, target, env, 10_000); // rejects if the case fails
 * }
 * ```
 */
export async function runCase(
  c: Case,
  target: Target,
  env: Env,
  timeoutMs: number,
): Promise<void> {
  const { ctx, cleanup } = createCtx(target, env);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      c.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`case did not finish within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

function createCtx(target: Target, env: Env): { ctx: Ctx; cleanup: () => Promise<void> } {
  const handles: any[] = [];
  const deferred: Array<() => void | Promise<void>> = [];
  let dir: string | undefined;
  let socketCount = 0;

  const ctx: Ctx = {
    net: target.net,
    env,
    track(handle) {
      handles.push(handle);
      return handle;
    },
    defer(fn) {
      deferred.push(fn);
    },
    socketPath(name = "s") {
      dir ??= mkdtempSync(join(tmpdir(), "crossnet-"));
      return join(dir, `${name}-${socketCount++}.sock`);
    },
    listen(server, options = {}) {
      ctx.track(server);
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        const done = () => {
          server.removeListener("error", reject);
          resolve(server);
        };
        if (options.path !== undefined) server.listen(options.path, done);
        else server.listen(options.port ?? 0, options.host ?? "127.0.0.1", done);
      });
    },
    server(onConnection, options) {
      const server = options === undefined
        ? target.net.createServer()
        : target.net.createServer(options);
      server.on("connection", (socket: any) => {
        ctx.track(socket);
        onConnection?.(socket);
      });
      return ctx.listen(server);
    },
  };

  const cleanup = async () => {
    // Sockets first, so servers can close.
    for (const h of handles) {
      if (typeof h.destroy === "function") {
        try {
          h.on?.("error", () => {});
          h.destroy();
        } catch { /* already gone */ }
      }
    }
    const closing: Promise<void>[] = [];
    for (const h of handles) {
      if (typeof h.destroy !== "function" && typeof h.close === "function") {
        closing.push(new Promise<void>((resolve) => {
          try {
            h.on?.("error", () => {});
            if (!h.listening) return resolve();
            h.close(() => resolve());
          } catch {
            resolve();
          }
        }));
      }
    }
    await Promise.race([Promise.all(closing), delayUnref(2_000)]);
    for (const fn of deferred) await fn();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };

  return { ctx, cleanup };
}

function delayUnref(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t: any = setTimeout(resolve, ms);
    t?.unref?.();
  });
}
