/**
 * The conformance suite: every case, in area order. `crossnet/conformance` exports this, so
 * the author of a new adapter runs exactly what crossnet's own adapters pass.
 *
 * @module
 */

import type { Case } from "./harness.ts";
import lifecycle from "./cases/lifecycle.ts";

/** Every case of the suite. */
export const cases: readonly Case[] = [
  ...lifecycle,
];

export { defineCase, once, recordEvents, readAll, concat, delay, closedPort } from "./harness.ts";
export type { Area, Case, Ctx, Env, NetApi, Target, Capability } from "./harness.ts";
export { registerSuite, runCase } from "./run.ts";
export type { CaseResult, RegisterTest, SuiteOptions } from "./run.ts";
