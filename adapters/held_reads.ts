/**
 * Reads an adapter got from its runtime while the core was not taking them (before
 * `start()`, or after `pause()`: some runtimes read once more on their own), kept in order
 * with the peer's FIN, and handed to the sink later. Shared by the adapters whose runtime
 * pushes reads at them (Bun's handlers, node:net's `onread`).
 *
 * @example
 * ```ts
 * import { END, releaseHeld, type HeldRead } from "./held_reads.ts";
 *
 * const held: HeldRead[] = [new Uint8Array([1, 2]), END];
 * const got: string[] = [];
 * const sink = { _data: () => got.push("data"), _eof: () => got.push("end"), _error() {} };
 * const all = releaseHeld(held, sink, () => true);
 * // all === true, got: ["data", "end"], held is empty
 * ```
 *
 * @module
 */

import type { ConnectionSink } from "../src/driver.ts";

/** The marker of the peer's FIN among held reads. */
export const END = null;

/** A held chunk, or {@link END}. */
export type HeldRead = Uint8Array | typeof END;

/**
 * Hand `held` to `sink` in order while `go()` allows it (the sink may pause, close or
 * resume from inside), and remove what was handed over, even when the sink throws.
 *
 * @param held The held reads, oldest first; delivered ones are removed from it.
 * @param sink Where they go: `_data(chunk)`, or `_eof()` for {@link END}.
 * @param go Checked before each item: false stops (paused, closed...).
 * @returns `true` when nothing is left in `held`.
 */
export function releaseHeld(held: HeldRead[], sink: ConnectionSink, go: () => boolean): boolean {
  let i = 0;
  try {
    while (i < held.length && go()) {
      const item = held[i++]!;
      if (item === END) sink._eof();
      else sink._data(item);
    }
  } finally {
    held.splice(0, i);
  }
  return held.length === 0;
}

/** Bytes in `held` (the FIN counts none). */
export function heldBytes(held: readonly HeldRead[]): number {
  let bytes = 0;
  for (const item of held) if (item !== END) bytes += item.byteLength;
  return bytes;
}
