/**
 * The runtime's own built-in modules (`node:util`, `node:dns`...), for the few facts the
 * core takes from them, through `process.getBuiltinModule` (Node >= 20.16 and 22.3, Deno
 * 2, Bun): no import, so the core stays runtime-neutral and loads nothing until asked.
 *
 * @module
 */

interface ModuleHost {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * The runtime's built-in module `id`, or `undefined` where the runtime has no
 * `process.getBuiltinModule` or no such module.
 *
 * @param id The module, e.g. `"node:util"`.
 * @returns The module's exports, or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinModule } from "./builtin_module.ts";
 *
 * const util = builtinModule("node:util") as { inspect?: unknown } | undefined;
 * assert.equal(typeof util?.inspect, "function");
 * assert.equal(builtinModule("node:no-such-module"), undefined);
 * ```
 */
export function builtinModule(id: string): unknown {
  const host = (globalThis as { process?: ModuleHost }).process;
  if (typeof host?.getBuiltinModule !== "function") return undefined;
  try {
    return host.getBuiltinModule(id) ?? undefined;
  } catch {
    return undefined;
  }
}
