/**
 * The suite under `bun test`. `CROSSNET_TARGET` picks the API under test.
 *
 * @module
 */
// @ts-ignore: bun:test exists only under Bun; this file runs only there.
import { test } from "bun:test";
import { cases, registerSuite } from "../suite.ts";
import { loadTarget, suiteOptions } from "./common.ts";

const target = await loadTarget();
registerSuite((name, fn, { skip, timeoutMs }) => {
  if (skip) test.skip(`${name} (skipped: ${skip})`, fn);
  else test(name, fn, timeoutMs);
}, cases, target, suiteOptions());
