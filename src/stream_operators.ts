/**
 * Readable's operators (`map`, `filter`, `take`, `toArray`, `reduce`...), which node:net's
 * sockets inherit from node:stream: node:stream's own functions, taken from the runtime
 * (Node's, Deno's and Bun's `node:stream`) and called on the socket. They only read it with
 * `for await`, so what they see is the socket's async iteration, and their rules (options,
 * `concurrency`, `signal`, what they return) are Node's, with no copy of them here.
 *
 * @module
 */

import { builtinModule } from "./builtin_module.ts";
import { plainError } from "./errors.ts";

/** A Readable operator, called with the stream as `this`. */
type Operator = (this: unknown, ...args: unknown[]) => unknown;

/** The operators' names, as node:stream's Readable has them. */
export type OperatorName =
  | "map"
  | "filter"
  | "flatMap"
  | "drop"
  | "take"
  | "compose"
  | "forEach"
  | "toArray"
  | "some"
  | "find"
  | "every"
  | "reduce";

/**
 * A node:stream `Readable` (or, from `compose()`, a `Duplex`), as the stream operators
 * return it: typed loosely, since the core does not depend on node:stream's types.
 */
// deno-lint-ignore no-explicit-any
export interface OperatorStream extends AsyncIterable<any> {
  /** Every other member of node:stream's Readable (`pipe`, `on`, `toArray`...). */
  // deno-lint-ignore no-explicit-any
  [member: string]: any;
}

/** Options every operator takes (node:stream's): `signal` aborts it. */
export interface OperatorOptions {
  /** Aborts the operation (and destroys what it reads) with an `AbortError`. */
  signal?: AbortSignal;
}

/** Options of the operators that call a function per chunk. */
export interface ConcurrentOperatorOptions extends OperatorOptions {
  /** How many calls of the function may run at once (1 by default). */
  concurrency?: number;
  /** How many results may wait to be read (`concurrency - 1` by default). */
  highWaterMark?: number;
}

let readablePrototype: Record<string, unknown> | null | undefined;

/**
 * Call node:stream's Readable operator `name` on `stream` with `args` (as given: some
 * count their arguments, as `reduce` does for its initial value).
 *
 * @param stream The socket, an async iterable.
 * @param name The operator.
 * @param args Its arguments.
 * @returns What the operator returns (a promise, or a node:stream Readable).
 * @throws {Error} `ERR_METHOD_NOT_IMPLEMENTED` where the runtime cannot give `node:stream`
 * (no `process.getBuiltinModule`: Node before 20.16).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { callOperator } from "./stream_operators.ts";
 *
 * async function* letters() {
 *   yield "a";
 *   yield "b";
 * }
 * assert.deepEqual(await callOperator(letters(), "toArray", []), ["a", "b"]);
 * ```
 */
export function callOperator(stream: unknown, name: OperatorName, args: unknown[]): unknown {
  if (readablePrototype === undefined) {
    const streams = builtinModule("node:stream") as { Readable?: { prototype: Record<string, unknown> } } | undefined;
    readablePrototype = streams?.Readable?.prototype ?? null;
  }
  const operator = readablePrototype?.[name];
  if (typeof operator !== "function") throw plainError("ERR_METHOD_NOT_IMPLEMENTED", `${name}()`);
  return (operator as Operator).apply(stream, args);
}
