/**
 * A connect that failed inside the call (the runtime threw): the core is told a moment
 * later, never before `connect` returned, as the Driver contract says. Shared by the
 * adapters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { failLater } from "./fail_later.ts";
 *
 * const got: string[] = [];
 * const err = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
 * failLater(err, (e) => got.push(e!.code));
 * assert.deepEqual(got, []); // not inside the call
 * await null;
 * assert.deepEqual(got, ["ECONNREFUSED"]);
 * ```
 *
 * @module
 */

import type { ConnectCallback, DriverAttempt, DriverError } from "../src/driver.ts";

/**
 * Call `done` with `err` in a microtask, unless the attempt is aborted first.
 *
 * @param err The failure, with its POSIX `code`.
 * @param done The connect's callback.
 * @returns The attempt, for the core to abort.
 */
export function failLater(err: DriverError, done: ConnectCallback): DriverAttempt {
  let live = true;
  queueMicrotask(() => {
    if (live) done(err);
  });
  return {
    abort() {
      live = false;
    },
  };
}
