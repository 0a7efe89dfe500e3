/**
 * The suite under `deno test`. `CROSSNET_TARGET` picks the API under test.
 *
 * @module
 */
// deno-lint-ignore-file no-explicit-any
import { cases, registerSuite } from "../suite.ts";
import { loadTarget, suiteOptions } from "./common.ts";

const scope = globalThis as any;
const Deno = scope.Deno;
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
}, cases, target, {
  ...suiteOptions(),
  // Deno ends the test file on an error nobody caught (the rest of its cases cancelled):
  // such an error fails the case it came in instead, as under vitest and bun test.
  catchUncaught(report) {
    // (Not one something else already handled: a process 'uncaughtException' listener.)
    const onError = (event: any) => {
      if (event.defaultPrevented) return;
      event.preventDefault();
      report(event.error);
    };
    const onRejection = (event: any) => {
      if (event.defaultPrevented) return;
      event.preventDefault();
      report(event.reason);
    };
    scope.addEventListener("error", onError);
    scope.addEventListener("unhandledrejection", onRejection);
    return () => {
      scope.removeEventListener("error", onError);
      scope.removeEventListener("unhandledrejection", onRejection);
    };
  },
});
