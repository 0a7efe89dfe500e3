/**
 * The suite under vitest (Node). `CROSSNET_TARGET` picks the API under test.
 *
 * @module
 */
import { test } from "vitest";
import { cases, registerSuite } from "../suite.ts";
import { loadTarget, suiteOptions } from "./common.ts";

const target = await loadTarget();
registerSuite((name, fn, { skip, timeoutMs }) => {
  if (skip) test.skip(`${name} (skipped: ${skip})`, fn);
  else test(name, fn, timeoutMs);
}, cases, target, suiteOptions());
