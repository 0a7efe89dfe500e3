/**
 * The arguments of `Socket`'s methods, checked and normalized as Node does: `connect`'s
 * overloads, the TCP connect options, ports, and the bytes of a write.
 *
 * @module
 */

import type { TcpTarget } from "./connector.ts";
import {
  DEFAULT_HIGH_WATER_MARK,
  getDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
} from "./defaults.ts";
import { encode, normalizeEncoding } from "./encoding.ts";
import { badPort, formatS, invalidArgType, invalidArgValue, outOfRange, plainError, unknownEncoding, validateInt32 } from "./errors.ts";
import { viewBytes } from "./bytes.ts";
import { dnsFlags } from "./dns_flags.ts";
import { isIP } from "./ip.ts";
import type { OnReadOptions, SocketConnectOptions, TcpSocketConnectOptions } from "./socket.ts";

// deno-lint-ignore no-explicit-any
type Callback = (...args: any[]) => void;

/** Node's `normalizeArgs` for `connect`: `[options, callback]`. */
export function normalizeConnectArgs(
  // deno-lint-ignore no-explicit-any
  args: any[],
): [SocketConnectOptions, Callback | undefined] {
  if (args.length === 0) return [{} as SocketConnectOptions, undefined];
  const first = args[0];
  let options: Record<string, unknown> = {};
  if (typeof first === "object" && first !== null) {
    options = first;
  } else if (isPipeName(first)) {
    options.path = first;
  } else {
    options.port = first;
    if (args.length > 1 && typeof args[1] === "string") options.host = args[1];
  }
  const last = args[args.length - 1];
  return [options as unknown as SocketConnectOptions, typeof last === "function" ? last : undefined];
}

/** A string that is not a non-negative number: a Unix path (Node's `isPipeName`). */
export function isPipeName(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const n = Number(value);
  return !(n >= 0);
}

/** The validated TCP connect: Node's checks and defaults, in Node's order. */
export function validateTcpOptions(options: TcpSocketConnectOptions): TcpTarget {
  const { localAddress, localPort } = options;
  // Node's `options.host || 'localhost'`: any falsy host (0, false too) is localhost.
  const host = options.host || "localhost";
  if (typeof host !== "string") throw invalidArgType("options.host", "string", host);
  if (localAddress && !isIP(localAddress)) throw plainError("ERR_INVALID_IP_ADDRESS", formatS(localAddress));
  if (localPort) {
    if (typeof localPort !== "number") throw invalidArgType("options.localPort", "number", localPort);
  }
  // No port gets here only with a falsy, non-null `path` (0, ""): Node then connects to
  // port 0 (`port |= 0`), which fails as the OS says.
  let port = options.port as unknown;
  if (port !== undefined) {
    if (typeof port !== "number" && typeof port !== "string") {
      throw invalidArgType("options.port", ["number", "string"], port);
    }
    port = validatePort(port, "Port");
  } else port = 0;
  let autoSelectFamily = options.autoSelectFamily;
  if (autoSelectFamily !== undefined && autoSelectFamily !== null) {
    if (typeof autoSelectFamily !== "boolean") {
      throw invalidArgType("options.autoSelectFamily", "boolean", autoSelectFamily);
    }
  } else autoSelectFamily = getDefaultAutoSelectFamily();
  let attemptTimeout = options.autoSelectFamilyAttemptTimeout;
  if (attemptTimeout !== undefined && attemptTimeout !== null) {
    validateInt32(attemptTimeout, "options.autoSelectFamilyAttemptTimeout", 1);
    if (attemptTimeout < 10) attemptTimeout = 10;
  } else attemptTimeout = getDefaultAutoSelectFamilyAttemptTimeout();
  const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : options.family;
  // An IP address is not looked up, and Node checks nothing about the lookup then; a name
  // goes through `lookup`, and dns.lookup (not a lookup of the program's) checks its
  // family and hints.
  if (!isIP(host)) {
    if (options.lookup !== undefined && options.lookup !== null) {
      if (typeof options.lookup !== "function") throw invalidArgType("options.lookup", "function", options.lookup);
    } else {
      if (family !== undefined && family !== null && family !== 0 && family !== 4 && family !== 6) {
        throw invalidArgValue("options.family", options.family, "must be one of: 0, 4, 6");
      }
      validateHints(options.hints);
    }
  }
  return {
    host,
    port: port as number,
    family: family as number | undefined,
    hints: options.hints ?? 0,
    localAddress: localAddress || undefined,
    localPort: localPort || undefined,
    lookup: options.lookup ?? undefined,
    autoSelectFamily,
    attemptTimeout,
  };
}

/** dns.lookup's checks of `hints` (`options.hints || 0`, as node:net hands it over): the runtime's flags only. */
function validateHints(hints: unknown): void {
  if (!hints) return;
  if (typeof hints !== "number") throw invalidArgType("options.hints", "number", hints);
  const { ADDRCONFIG, V4MAPPED, ALL } = dnsFlags();
  if (((hints >>> 0) & ~(ADDRCONFIG | V4MAPPED | ALL)) !== 0) throw invalidArgValue("hints", hints >>> 0);
}

/**
 * Node's getHighWaterMark for one side of a Duplex: `highWaterMark`, else the side's own
 * option (`readableHighWaterMark`, `writableHighWaterMark`), else the default; a
 * non-negative integer, else `ERR_INVALID_ARG_VALUE` naming the side's option.
 */
export function highWaterMarkOption(
  options: { highWaterMark?: unknown; readableHighWaterMark?: unknown; writableHighWaterMark?: unknown },
  key: "readableHighWaterMark" | "writableHighWaterMark",
): number {
  const hwm = options.highWaterMark ?? options[key];
  if (hwm === undefined || hwm === null) return DEFAULT_HIGH_WATER_MARK;
  if (typeof hwm !== "number" || !Number.isInteger(hwm) || hwm < 0) throw invalidArgValue(`options.${key}`, hwm);
  return hwm;
}

/** Node's `validatePort`: a number or numeric string in [0, 65535]; returns the number. */
export function validatePort(port: unknown, name = "Port", allowZero = true): number {
  if (
    (typeof port !== "number" && typeof port !== "string") ||
    (typeof port === "string" && port.trim().length === 0) ||
    +port !== (+port >>> 0) ||
    +port > 0xffff ||
    (port === 0 && !allowZero)
  ) {
    throw badPort(name, port, allowZero);
  }
  return +port | 0;
}

/** A number >= 0, or Node's `ERR_INVALID_ARG_TYPE` / `ERR_OUT_OF_RANGE`. */
export function validateNonNegative(value: unknown, name: string): void {
  if (typeof value !== "number") throw invalidArgType(name, "number", value);
  if (value < 0 || Number.isNaN(value)) throw outOfRange(name, ">= 0", value);
}

/** Bytes for a write: a string in `encoding`, or any ArrayBufferView. Throws like Node. */
export function toBytes(data: unknown, encoding: string | undefined): Uint8Array {
  // The common case (a Buffer or Uint8Array, no encoding) first, in a body small enough
  // for every JIT to inline.
  if (encoding === undefined && data instanceof Uint8Array) return data;
  return convertToBytes(data, encoding);
}

function convertToBytes(data: unknown, encoding: string | undefined): Uint8Array {
  if (encoding !== undefined && encoding !== null && encoding !== "buffer") {
    if (normalizeEncoding(encoding) === undefined) throw unknownEncoding(encoding);
  }
  if (typeof data === "string") {
    const enc = encoding === undefined || encoding === null || encoding === "buffer"
      ? "utf8"
      : normalizeEncoding(encoding)!;
    return encode(data, enc);
  }
  if (data === null) throw plainError("ERR_STREAM_NULL_VALUES");
  if (ArrayBuffer.isView(data)) return viewBytes(data);
  throw invalidArgType("chunk", ["string", "Buffer", "TypedArray", "DataView"], data);
}

/** Bytes per UTF-16 unit, at most, of the encodings node:net's handle writes strings in itself. */
const STRING_WRITE_FACTOR: Partial<Record<string, number>> = { utf8: 3, utf16le: 2, latin1: 1, ascii: 1 };

/**
 * Whether node:net hands `text` to the OS from a copy on the stack: a string in an
 * encoding its handle writes itself (UTF-8, UTF-16LE, latin1, ASCII) whose largest encoded
 * size is at most 16 KiB. A write the OS refuses at once does not count in Node's
 * `bytesWritten` then; every other refused write does (a Buffer, a longer string, a hex
 * or base64 one, which Node turns into a Buffer first).
 *
 * @param text The string written.
 * @param encoding Its encoding, as given (`undefined`: UTF-8).
 * @returns `true` when the refused bytes leave `bytesWritten`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refusedStringUncounted } from "./socket_args.ts";
 *
 * assert.equal(refusedStringUncounted("x".repeat(5461), "utf8"), true); // 3 x 5461 <= 16384
 * assert.equal(refusedStringUncounted("x".repeat(5462), undefined), false);
 * assert.equal(refusedStringUncounted("ab", "hex"), false);
 * ```
 */
export function refusedStringUncounted(text: string, encoding: string | undefined): boolean {
  const name = encoding === undefined || encoding === "buffer" ? "utf8" : normalizeEncoding(encoding);
  const factor = name === undefined ? undefined : STRING_WRITE_FACTOR[name];
  return factor !== undefined && text.length * factor <= 16 * 1024;
}

/** A socket's `onread` option once checked: where reads go and whom they are told to. */
export interface OnRead {
  /** The buffer the next bytes are copied into (`undefined` until the generator ran). */
  buffer: Uint8Array | undefined;
  /** `onread.buffer` when it is a function: asked for a buffer before each use. */
  next: (() => unknown) | undefined;
  callback: (bytesWritten: number, buffer: Uint8Array) => unknown;
}

/**
 * node:net's `onread` option, taken as Node takes it: used only when it is an object with
 * a `Uint8Array` or function `buffer` and a function `callback`, ignored otherwise. An
 * empty buffer is refused (Node would read nothing into it, forever).
 */
export function parseOnRead(onread: OnReadOptions | null | undefined): OnRead | null {
  if (onread === null || typeof onread !== "object") return null;
  const { buffer, callback } = onread;
  if (typeof callback !== "function") return null;
  if (typeof buffer === "function") return { buffer: undefined, next: buffer, callback };
  if (!(buffer instanceof Uint8Array)) return null;
  if (buffer.byteLength === 0) {
    throw invalidArgValue("options.onread.buffer", buffer, "must not be empty");
  }
  return { buffer, next: undefined, callback };
}
