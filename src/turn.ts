/**
 * Scheduling "a turn later", the way Node emits a socket's `close`: after the I/O callbacks
 * the event loop is running now, not inside them.
 *
 * @module
 */

type Immediate = (callback: () => void) => unknown;

const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;

/**
 * Run `callback` on a later turn of the event loop: `setImmediate` where the runtime has it
 * (Node, Deno and Bun do), a 0 ms timer elsewhere. Node closes a handle in the loop phase
 * right after `setImmediate`'s; a 0 ms timer would wait for the next loop iteration, and
 * costs Deno about 5 µs where `setImmediate` costs 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nextTurn } from "./turn.ts";
 *
 * const order: string[] = [];
 * nextTurn(() => order.push("later"));
 * queueMicrotask(() => order.push("microtask"));
 * await new Promise((resolve) => setTimeout(resolve, 10));
 * assert.deepEqual(order, ["microtask", "later"]);
 * ```
 */
export const nextTurn: (callback: () => void) => void = immediate !== undefined
  ? (callback) => void immediate(callback)
  : (callback) => void setTimeout(callback, 0);

type TickScheduler = (callback: () => void) => void;

const hostProcess = (globalThis as { process?: { nextTick?: (callback: () => void) => void } }).process;

/**
 * Node's `process.nextTick` where the runtime has it (Node, Deno and Bun do), else a
 * microtask. From inside a promise callback (awaiting code) it runs once the microtasks
 * already queued are done, where a microtask would run before them: what Node defers this
 * way (a socket's callbacks and events, a server's), the core defers with it. (Bun runs
 * the first ticks of a module's top-level code before its microtasks.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nextTick } from "./turn.ts";
 *
 * const order: string[] = [];
 * nextTick(() => order.push("tick"));
 * await new Promise((resolve) => setTimeout(resolve, 1));
 * assert.deepEqual(order, ["tick"]);
 * ```
 */
export const nextTick: TickScheduler = typeof hostProcess?.nextTick === "function"
  ? (callback) => hostProcess.nextTick!(callback)
  : (callback) => queueMicrotask(callback);

/**
 * Report `err` the way the runtime reports an exception nobody caught (Node's
 * `uncaughtException`, the process's end when nothing listens), from code running in a
 * promise's reaction, where a throw would become a rejection instead. Node calls a
 * socket's listeners from its I/O callbacks, where what they throw is uncaught; crossnet
 * calls some of them from a promise's reaction (a driver's `connect` and `lookup`, Deno's
 * reads and accepts), which catch this way what the listener threw and go on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import process from "node:process";
 * import { reportUncaught } from "./turn.ts";
 *
 * const seen = new Promise((resolve) => process.once("uncaughtException", resolve));
 * await Promise.resolve().then(() => {
 *   try {
 *     throw new Error("thrown by a listener");
 *   } catch (err) {
 *     reportUncaught(err);
 *   }
 * });
 * assert.equal(((await seen) as Error).message, "thrown by a listener");
 * ```
 */
export function reportUncaught(err: unknown): void {
  nextTick(() => {
    throw err;
  });
}
