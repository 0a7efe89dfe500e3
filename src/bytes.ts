/**
 * Byte helpers: chunks as `Buffer`s where the runtime has a global `Buffer` (so ported code
 * calling `chunk.toString()` works), plain `Uint8Array`s otherwise or on request.
 *
 * @module
 */

interface BufferLike {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
  allocUnsafe(size: number): Uint8Array;
  isBuffer(value: unknown): boolean;
}

/**
 * Up to this size, a chunk is copied into a `Buffer.allocUnsafe()` one (a slice of the
 * runtime's Buffer pool, several times cheaper than wrapping with `Buffer.from()` on Node,
 * Deno and Bun); larger ones are wrapped without a copy.
 */
const COPY_LIMIT = 4096;

const GlobalBuffer: BufferLike | undefined = (globalThis as { Buffer?: BufferLike }).Buffer;

/** How chunks are handed to users: `"buffer"` (the default where `Buffer` exists) or plain. */
export type BinaryType = "buffer" | "uint8array";

/** The binary type used when none is asked for. */
export const DEFAULT_BINARY_TYPE: BinaryType = GlobalBuffer ? "buffer" : "uint8array";

/** View `bytes` as a `Buffer` when `type` is `"buffer"` and the runtime has one (no copy). */
export function asChunk(bytes: Uint8Array, type: BinaryType): Uint8Array {
  if (type === "uint8array" || GlobalBuffer === undefined) {
    return Object.getPrototypeOf(bytes) === Uint8Array.prototype
      ? bytes
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  if (GlobalBuffer.isBuffer(bytes)) return bytes;
  if (bytes.byteLength <= COPY_LIMIT) {
    const copy = GlobalBuffer.allocUnsafe(bytes.byteLength);
    copy.set(bytes);
    return copy;
  }
  return GlobalBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The prototype of every chunk {@link asChunk} makes for `type`: `Buffer.prototype`, or
 * `Uint8Array.prototype` for plain chunks. A chunk that already has it is its own chunk.
 *
 * @param type The binary type.
 * @returns The prototype.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chunkPrototype } from "./bytes.ts";
 *
 * assert.equal(chunkPrototype("uint8array"), Uint8Array.prototype);
 * ```
 */
export function chunkPrototype(type: BinaryType): object {
  return type === "uint8array" || GlobalBuffer === undefined
    ? Uint8Array.prototype
    : (GlobalBuffer as unknown as { prototype: object }).prototype;
}

/** The bytes of any ArrayBufferView, without copying. */
export function viewBytes(view: ArrayBufferView): Uint8Array {
  if (view instanceof Uint8Array) return view;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Concatenate byte arrays into one new array. */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
