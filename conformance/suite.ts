/**
 * The conformance suite: every case, in area order. `crossnet/conformance` exports this, so
 * the author of a new adapter runs exactly what crossnet's own adapters pass.
 *
 * @module
 */

import type { Case } from "./harness.ts";
import lifecycle from "./cases/lifecycle.ts";
import awaitingCode from "./cases/awaiting_code.ts";
import listeners from "./cases/listeners.ts";
import rejections from "./cases/rejections.ts";
import halfClose from "./cases/half_close.ts";
import server from "./cases/server.ts";
import timeouts from "./cases/timeouts.ts";
import errors from "./cases/errors.ts";
import badInput from "./cases/bad_input.ts";
import connect from "./cases/connect.ts";
import encoding from "./cases/encoding.ts";
import backpressure from "./cases/backpressure.ts";
import addresses from "./cases/addresses.ts";
import unix from "./cases/unix.ts";
import integrity from "./cases/integrity.ts";
import onread from "./cases/onread.ts";
import push from "./cases/push.ts";
import blockList from "./cases/block_list.ts";
import writable from "./cases/writable.ts";
import extras from "./cases/extras.ts";
import streamInterop from "./cases/stream_interop.ts";
import unshift from "./cases/unshift.ts";
import pipe from "./cases/pipe.ts";
import iteration from "./cases/iteration.ts";

/**
 * Every case of the suite.
 *
 * @example
 * ```ts
 * import { cases } from "crossnet/conformance";
 * const lifecycle = cases.filter((c) => c.area === "lifecycle");
 * console.log(`${cases.length} cases, ${lifecycle.length} about the socket lifecycle`);
 * ```
 */
export const cases: readonly Case[] = [
  ...lifecycle,
  ...awaitingCode,
  ...listeners,
  ...rejections,
  ...halfClose,
  ...server,
  ...timeouts,
  ...errors,
  ...badInput,
  ...connect,
  ...encoding,
  ...backpressure,
  ...addresses,
  ...unix,
  ...integrity,
  ...onread,
  ...push,
  ...blockList,
  ...writable,
  ...extras,
  ...streamInterop,
  ...unshift,
  ...pipe,
  ...iteration,
];

export { defineCase, once, recordEvents, readAll, concat, delay, closedPort } from "./harness.ts";
export type { Area, Case, Ctx, Env, NetApi, Target, Capability } from "./harness.ts";
export { registerSuite, runCase } from "./run.ts";
export type { CaseResult, RegisterTest, SuiteOptions } from "./run.ts";
