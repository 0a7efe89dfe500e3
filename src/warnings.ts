/**
 * Process warnings, as Node's `process.emitWarning` prints them (`(node:1234) Warning: ...`
 * on stderr, and a `warning` event on `process`), once per code: for what crossnet does
 * not do where Node would, and a program would otherwise wait for in silence.
 *
 * @module
 */

interface WarningHost {
  emitWarning?: (warning: string | Error, options?: { code: string }) => void;
}

const warned = new Set<string>();

/**
 * Emit the warning `message` with `code`, the first time only: through the runtime's
 * `process.emitWarning` (Node, Deno and Bun have it), else `console.warn`.
 *
 * @param code A code for it, as Node's warnings have (`CROSSNET_...`).
 * @param message What to say.
 * @returns Whether it was emitted now (false: it was already, once).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { warnOnce } from "./warnings.ts";
 *
 * assert.equal(warnOnce("CROSSNET_EXAMPLE", "an example warning"), true);
 * assert.equal(warnOnce("CROSSNET_EXAMPLE", "an example warning"), false);
 * ```
 */
export function warnOnce(code: string, message: string): boolean {
  if (warned.has(code)) return false;
  warned.add(code);
  const emit = hostEmitWarning();
  if (emit !== undefined) emit(message, { code });
  else console.warn(`Warning: ${message}`);
  return true;
}

/**
 * Emit `warning` (an `Error` whose `name` is the warning's type, as Node's
 * `MaxListenersExceededWarning`) through the runtime's `process.emitWarning`, else
 * `console.warn`.
 *
 * @param warning The warning.
 *
 * @example
 * ```ts
 * import { emitWarning } from "./warnings.ts";
 *
 * const warning = new Error("an example");
 * warning.name = "ExampleWarning";
 * emitWarning(warning); // (node:1234) ExampleWarning: an example
 * ```
 */
export function emitWarning(warning: Error): void {
  const emit = hostEmitWarning();
  if (emit !== undefined) emit(warning);
  else console.warn(`${warning.name}: ${warning.message}`);
}

/** The runtime's `process.emitWarning`, bound to `process` (Node, Deno and Bun have it). */
function hostEmitWarning(): WarningHost["emitWarning"] {
  const host = (globalThis as { process?: WarningHost }).process;
  const emit = host?.emitWarning;
  return typeof emit === "function" ? emit.bind(host) : undefined;
}
