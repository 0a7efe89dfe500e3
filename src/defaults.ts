/**
 * Process-wide defaults of Happy Eyeballs (`autoSelectFamily`), the same on every runtime:
 * on, with 250 ms per attempt (Node 20's value; Node 22 raised it to 500 ms, crossnet keeps
 * one documented default everywhere).
 *
 * @module
 */

import { invalidArgType, validateInt32 } from "./errors.ts";

let autoSelectFamily = true;
let attemptTimeout = 250;

/** The default `highWaterMark` of sockets, both directions: 64 KiB. */
export const DEFAULT_HIGH_WATER_MARK: number = 64 * 1024;

/**
 * Whether `connect` tries every resolved address (Happy Eyeballs) unless told otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(typeof getDefaultAutoSelectFamily(), "boolean");
 * ```
 */
export function getDefaultAutoSelectFamily(): boolean {
  return autoSelectFamily;
}

/**
 * Set the default of the `autoSelectFamily` connect option.
 *
 * @example
 * ```ts
 * setDefaultAutoSelectFamily(false);
 * setDefaultAutoSelectFamily(true);
 * ```
 */
export function setDefaultAutoSelectFamily(value: boolean): void {
  if (typeof value !== "boolean") throw invalidArgType("value", "boolean", value);
  autoSelectFamily = value;
}

/**
 * How long (ms) one connection attempt may take before the next address is tried.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(getDefaultAutoSelectFamilyAttemptTimeout() >= 10);
 * ```
 */
export function getDefaultAutoSelectFamilyAttemptTimeout(): number {
  return attemptTimeout;
}

/**
 * Set the default attempt timeout (ms, an integer >= 1; values below 10 become 10, as in
 * Node).
 *
 * @example
 * ```ts
 * setDefaultAutoSelectFamilyAttemptTimeout(500);
 * ```
 */
export function setDefaultAutoSelectFamilyAttemptTimeout(value: number): void {
  validateInt32(value, "value", 1);
  attemptTimeout = value < 10 ? 10 : value;
}

