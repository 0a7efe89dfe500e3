/**
 * The suite under `deno test`. `CROSSNET_TARGET` picks the API under test.
 *
 * @module
 */
// deno-lint-ignore-file no-explicit-any
import { cases, registerSuite } from "../suite.ts";
import { loadTarget, suiteOptions } from "./common.ts";

const Deno = (globalThis as any).Deno;
const target = await loadTarget();
registerSuite((name, fn, { skip }) => {
  Deno.test({
    name: skip ? `${name} (skipped: ${skip})` : name,
    ignore: Boolean(skip),
    fn,
    // Cases bound their own time and close what they open; the sanitizers would flag the
    // runtime's own lingering resources of a just-destroyed handle.
    sanitizeOps: false,
    sanitizeResources: false,
  });
}, cases, target, suiteOptions());
