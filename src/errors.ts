/**
 * Errors in Node's shapes: `ERR_*` argument errors (`TypeError`/`RangeError` with a `code`)
 * and system errors (`Error` with `code`, `errno`, `syscall`, `address`, `port`) whose
 * messages follow Node's formats, e.g. `connect ECONNREFUSED 127.0.0.1:5000`.
 *
 * @module
 */

import { errnoOf, describeCode } from "./errno.ts";
import { builtinModule } from "./builtin_module.ts";

/** An error carrying Node's `code` (and, for system errors, errno/syscall/address/port). */
export interface CodedError extends Error {
  /** Node's error code: `ERR_INVALID_ARG_TYPE`, `ECONNREFUSED`... */
  code: string;
  /** System errors: the negative errno, e.g. -111 for `ECONNREFUSED` on Linux. */
  errno?: number;
  /** System errors: the failing call, e.g. `connect`, `listen`, `read`. */
  syscall?: string;
  /** System errors: the address (or Unix path) involved. */
  address?: string;
  /** System errors: the port involved. */
  port?: number;
}

type ErrorClass = new (message: string) => Error;

function coded(Base: ErrorClass, code: string, message: string): CodedError {
  const err = new Base(message) as CodedError;
  err.code = code;
  codeInStack(err, code);
  Object.defineProperty(err, "toString", {
    value(this: Error) {
      return `${this.name} [${code}]: ${this.message}`;
    },
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return err;
}

/**
 * Node's own errors (the `ERR_*` ones, the connect's `AggregateError`) name their code in
 * the first line of their stack, which is what an uncaught error, `console.log` and
 * `util.inspect` print: `TypeError [ERR_INVALID_ARG_TYPE]: The "chunk" argument...`.
 * System errors do not (`Error: connect ECONNREFUSED 127.0.0.1:80`). Reading `stack` makes
 * V8 lay it out now rather than on first use: only errors pay it.
 */
function codeInStack(err: Error, code: string): void {
  // A stack formatter of the program's own (source-map-support's, a test runner's) lays out
  // every stack itself, Node's errors' too: Node adds the code only in its default layout,
  // `Error.prepareStackTrace` as Node (and Bun) set it, named so (Deno sets none).
  if (!defaultStackLayout()) return;
  const stack = err.stack;
  if (typeof stack !== "string") return;
  for (const head of [`${err.name}: ${err.message}`, err.name]) {
    if (stack.startsWith(head) && (stack.length === head.length || stack[head.length] === "\n")) {
      err.stack = `${err.name} [${code}]: ${err.message}${stack.slice(head.length)}`;
      return;
    }
  }
}

/** Whether stacks are laid out by the runtime's own formatter (see {@link codeInStack}). */
function defaultStackLayout(): boolean {
  const format = (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  return typeof format !== "function" || format.name === "ErrorPrepareStackTrace";
}

/** A short description of a value, the way Node's error messages show what they received. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "bigint":
      return `type bigint (${value}n)`;
    case "number":
      if (Object.is(value, -0)) return "type number (-0)";
      return `type number (${value})`;
    case "boolean":
      return `type boolean (${value})`;
    case "symbol":
      return `type symbol (${String(value)})`;
    case "function":
      return `function ${(value as { name: string }).name}`;
    case "object": {
      const ctor = (value as { constructor?: { name?: string } }).constructor;
      if (ctor && typeof ctor.name === "string") return `an instance of ${ctor.name}`;
      return inspect(value, { depth: -1 });
    }
    case "string": {
      let s = value as string;
      if (s.length > 28) s = `${s.slice(0, 25)}...`;
      return s.includes("'") ? `type string (${JSON.stringify(s)})` : `type string ('${s}')`;
    }
  }
  return String(value);
}

/**
 * The key of the method `util.inspect` and `console.log` call to show an object (Node's
 * `util.inspect.custom`; Deno and Bun honour it too).
 */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/** What `util.inspect` hands an {@link inspectCustom} method as its third argument. */
export type InspectFunction = (value: unknown, options?: unknown) => string;

/**
 * How a class instance shows itself, as Node's own classes do: `Name { ...fields }`,
 * through the runtime's `inspect` when it is given (it wraps long lines), else on one line.
 */
export function inspectAs(name: string, fields: object, options: unknown, runtimeInspect: unknown): string {
  const shown = typeof runtimeInspect === "function"
    ? (runtimeInspect as InspectFunction)(fields, options)
    : inspect(fields);
  return `${name} ${shown}`;
}

/** The runtime's own `util.inspect`: `null` where there is none, `undefined` until looked for. */
let runtimeUtilInspect: InspectFunction | null | undefined;

/**
 * The runtime's `util.inspect` (Node's; Deno's and Bun's `node:util`), through
 * `process.getBuiltinModule`, loaded the first time an error message quotes a value:
 * Node's messages show values as it lays them out (`Map(1) { 1 => 2 }`, `Foo {}`,
 * `{ a: [Object] }`, long arrays over several lines). Without it, crossnet's own subset.
 */
function runtimeInspect(): InspectFunction | null {
  if (runtimeUtilInspect !== undefined) return runtimeUtilInspect;
  const util = builtinModule("node:util") as { inspect?: unknown } | undefined;
  runtimeUtilInspect = typeof util?.inspect === "function" ? util.inspect as InspectFunction : null;
  return runtimeUtilInspect;
}

/** `util.inspect(value, options)` as Node's messages call it, the runtime's where it has one. */
export function inspect(value: unknown, options?: object): string {
  // Plain values need no module (and are what most messages quote).
  if (typeof value === "object" && value !== null || typeof value === "function") {
    const native = runtimeInspect();
    if (native !== null) return native(value, options);
  }
  return inspectSubset(value);
}

/** A small subset of `util.inspect`, enough for the values Node's messages quote. */
function inspectSubset(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value.includes("'") ? JSON.stringify(value) : `'${value}'`;
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "undefined":
      return "undefined";
    case "function": {
      const name = (value as { name: string }).name;
      return name ? `[Function: ${name}]` : "[Function (anonymous)]";
    }
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) return value.length === 0 ? "[]" : `[ ${value.map(inspectSubset).join(", ")} ]`;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        const items = Array.from(value as unknown as ArrayLike<number | bigint>, inspectSubset);
        const type = (value.constructor as { name?: string } | undefined)?.name ?? "TypedArray";
        if (type === "Buffer") {
          const bytes = Array.from(value as unknown as ArrayLike<number>, (b) => b.toString(16).padStart(2, "0"));
          return bytes.length === 0 ? "<Buffer >" : `<Buffer ${bytes.join(" ")}>`;
        }
        return items.length === 0 ? `${type}(0) []` : `${type}(${items.length}) [ ${items.join(", ")} ]`;
      }
      // An object that says how to show it (SocketAddress), as util.inspect asks it.
      const custom = (value as { [inspectCustom]?: unknown })[inspectCustom];
      if (typeof custom === "function") {
        const shown: unknown = custom.call(value, 2, {}, inspectSubset);
        return typeof shown === "string" ? shown : inspectSubset(shown);
      }
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) return "{}";
      return `{ ${entries.map(([k, v]) => `${k}: ${inspectSubset(v)}`).join(", ")} }`;
    }
    default:
      return String(value);
  }
}

function formatList(items: readonly string[], type = "and"): string {
  switch (items.length) {
    case 0:
      return "";
    case 1:
      return items[0]!;
    case 2:
      return `${items[0]} ${type} ${items[1]}`;
    default:
      return `${items.slice(0, -1).join(", ")}, ${type} ${items[items.length - 1]}`;
  }
}

const PRIMITIVE_TYPES = new Set([
  "string", "function", "number", "object", "boolean", "bigint", "symbol",
]);

/**
 * `ERR_INVALID_ARG_TYPE`: a `TypeError` saying what `name` must be and what it was.
 *
 * @example
 * ```ts
 * const err = invalidArgType("host", ["string"], 42);
 * // err.message: The "host" argument must be of type string. Received type number (42)
 * ```
 */
export function invalidArgType(
  name: string,
  expected: string | readonly string[],
  actual: unknown,
): CodedError {
  const list = typeof expected === "string" ? [expected] : expected;
  let msg = "The ";
  if (name.endsWith(" argument")) msg += `${name} `;
  else msg += `"${name}" ${name.includes(".") ? "property" : "argument"} `;
  msg += "must be ";
  const types: string[] = [];
  const instances: string[] = [];
  const other: string[] = [];
  for (const value of list) {
    if (PRIMITIVE_TYPES.has(value)) types.push(value.toLowerCase());
    else if (/^([A-Z][a-z0-9]*)+$/.test(value)) instances.push(value);
    else other.push(value);
  }
  if (instances.length > 0) {
    const pos = types.indexOf("object");
    if (pos !== -1) {
      types.splice(pos, 1);
      instances.push("Object");
    }
  }
  if (types.length > 0) {
    msg += `${types.length > 1 ? "one of type" : "of type"} ${formatList(types, "or")}`;
    if (instances.length > 0 || other.length > 0) msg += " or ";
  }
  if (instances.length > 0) {
    msg += `an instance of ${formatList(instances, "or")}`;
    if (other.length > 0) msg += " or ";
  }
  if (other.length > 0) {
    if (other.length > 1) msg += `one of ${formatList(other, "or")}`;
    else {
      if (other[0]!.toLowerCase() !== other[0]) msg += "an ";
      msg += other[0];
    }
  }
  msg += `. Received ${describeValue(actual)}`;
  return coded(TypeError, "ERR_INVALID_ARG_TYPE", msg);
}

/** `ERR_INVALID_ARG_VALUE`: a `TypeError` (or `RangeError`) for a value of the right type. */
export function invalidArgValue(
  name: string,
  value: unknown,
  reason = "is invalid",
  Base: ErrorClass = TypeError,
): CodedError {
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  const type = name.includes(".") ? "property" : "argument";
  return coded(Base, "ERR_INVALID_ARG_VALUE", `The ${type} '${name}' ${reason}. Received ${shown}`);
}

function withSeparators(text: string): string {
  let res = "";
  let i = text.length;
  const start = text[0] === "-" ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = `_${text.slice(i - 3, i)}${res}`;
  return `${text.slice(0, i)}${res}`;
}

/**
 * `ERR_INVALID_RETURN_VALUE`: a `TypeError` for what a user function returned.
 *
 * @example
 * ```ts
 * const err = invalidReturnValue("a non-empty Uint8Array", "onread.buffer", 1);
 * // err.message: Expected a non-empty Uint8Array to be returned from the "onread.buffer"
 * //   function but got type number (1).
 * ```
 */
export function invalidReturnValue(expected: string, name: string, value: unknown): CodedError {
  return coded(
    TypeError,
    "ERR_INVALID_RETURN_VALUE",
    `Expected ${expected} to be returned from the "${name}" function but got ${describeValue(value)}.`,
  );
}

/** `ERR_OUT_OF_RANGE`: a `RangeError` for a number outside `range`. */
export function outOfRange(name: string, range: string, input: unknown): CodedError {
  const received = typeof input === "number" && Number.isInteger(input) &&
      Math.abs(input) > 2 ** 32
    ? withSeparators(String(input))
    : inspect(input);
  return coded(
    RangeError,
    "ERR_OUT_OF_RANGE",
    `The value of "${name}" is out of range. It must be ${range}. Received ${received}`,
  );
}

/**
 * Node's `validateInt32`: an integer number in [min, max] (by default any int32), else
 * `ERR_INVALID_ARG_TYPE` or `ERR_OUT_OF_RANGE`.
 *
 * @example
 * ```ts
 * validateInt32(8, "options.typeOfService", 0, 255); // passes
 * // validateInt32(1.5, "prefix", 0, 32) throws: It must be an integer. Received 1.5
 * ```
 */
export function validateInt32(
  value: unknown,
  name: string,
  min = -2147483648,
  max = 2147483647,
): asserts value is number {
  if (typeof value !== "number") throw invalidArgType(name, "number", value);
  if (!Number.isInteger(value)) throw outOfRange(name, "an integer", value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

/** `ERR_SOCKET_BAD_PORT`: a `RangeError` for a port that is not an integer in range. */
export function badPort(name: string, port: unknown, allowZero = true): CodedError {
  const op = allowZero ? ">=" : ">";
  return coded(
    RangeError,
    "ERR_SOCKET_BAD_PORT",
    `${name} should be ${op} 0 and < 65536. Received ${describeValue(port)}.`,
  );
}

/** `ERR_MISSING_ARGS`: a `TypeError` naming arguments that must be given. */
export function missingArgs(...names: Array<string | readonly string[]>): CodedError {
  const wrapped = names.map((n) =>
    typeof n === "string" ? `"${n}"` : n.map((a) => `"${a}"`).join(" or ")
  );
  return coded(
    TypeError,
    "ERR_MISSING_ARGS",
    `The ${formatList(wrapped)} argument${names.length > 1 ? "s" : ""} must be specified`,
  );
}

/**
 * A value as Node's messages put it in place of `%s`: strings as they are, numbers and
 * bigints as util.inspect writes them (`-0`, `10n`), an object with its own toString()
 * through it, any other object inspected (`{}`, `[ 80 ]`).
 */
export function formatS(value: unknown): string {
  switch (typeof value) {
    case "number":
    case "bigint":
      return inspect(value);
    case "object": {
      if (value === null) return "null";
      // A plain object, an array, an Error... is inspected; one converting itself
      // (toPrimitive, a toString of its own or of a class not built in; a typed array's
      // "0,0") is converted; a Date shows as util.inspect does (ISO), as on Node 24.
      const shown = { depth: 0, colors: false, compact: 3 };
      if (value instanceof Date) return inspect(value, shown);
      if (typeof (value as { [Symbol.toPrimitive]?: unknown })[Symbol.toPrimitive] === "function") return String(value);
      return hasBuiltInToString(value) ? inspect(value, shown) : String(value);
    }
    default:
      return String(value);
  }
}

/**
 * Node's hasBuiltInToString(): whether the toString() an object would use comes from a
 * built-in class (Object, Array, Error, RegExp...): %s then inspects it, else converts it.
 */
function hasBuiltInToString(value: object): boolean {
  if (typeof (value as { toString?: unknown }).toString !== "function") return true;
  if (Object.prototype.hasOwnProperty.call(value, "toString")) return false;
  let owner: object | null = value;
  do owner = Object.getPrototypeOf(owner); while (owner !== null && !Object.prototype.hasOwnProperty.call(owner, "toString"));
  const ctor = owner === null ? undefined : Object.getOwnPropertyDescriptor(owner, "constructor")?.value;
  return typeof ctor === "function" && (globalThis as Record<string, unknown>)[ctor.name] === ctor;
}

/** `ERR_UNKNOWN_ENCODING`: a `TypeError`. */
export function unknownEncoding(encoding: unknown): CodedError {
  return coded(TypeError, "ERR_UNKNOWN_ENCODING", `Unknown encoding: ${formatS(encoding)}`);
}

/** An `Error` with a fixed code and message (`ERR_STREAM_WRITE_AFTER_END`, ...). */
export function plainError(code: PlainCode, detail?: string): CodedError {
  const make = PLAIN[code];
  return coded(make[0], code, make[1].replace("%s", detail ?? ""));
}

const PLAIN: Record<PlainCode, readonly [ErrorClass, string]> = {
  ERR_STREAM_WRITE_AFTER_END: [Error, "write after end"],
  ERR_STREAM_DESTROYED: [Error, "Cannot call %s after a stream was destroyed"],
  ERR_STREAM_NULL_VALUES: [TypeError, "May not write null values to stream"],
  ERR_STREAM_ALREADY_FINISHED: [Error, "Cannot call %s after a stream was finished"],
  ERR_STREAM_PUSH_AFTER_EOF: [Error, "stream.push() after EOF"],
  ERR_STREAM_UNSHIFT_AFTER_END_EVENT: [Error, "stream.unshift() after end event"],
  ERR_STREAM_PREMATURE_CLOSE: [Error, "Premature close"],
  ERR_INVALID_ADDRESS: [Error, "Invalid socket address"],
  ERR_IP_BLOCKED: [Error, "IP(%s) is blocked by net.BlockList"],
  ERR_SERVER_NOT_RUNNING: [Error, "Server is not running."],
  ERR_SERVER_ALREADY_LISTEN: [
    Error,
    "Listen method has been called more than once without closing.",
  ],
  ERR_SOCKET_CLOSED: [Error, "Socket is closed"],
  ERR_SOCKET_CLOSED_BEFORE_CONNECTION: [
    Error,
    "Socket closed before the connection was established",
  ],
  ERR_SOCKET_CONNECTION_TIMEOUT: [Error, "Socket connection timeout"],
  ERR_INVALID_IP_ADDRESS: [TypeError, "Invalid IP address: %s"],
  ERR_INVALID_FD_TYPE: [TypeError, "Unsupported fd type: %s"],
  ERR_MULTIPLE_CALLBACK: [Error, "Callback called multiple times"],
  ERR_INVALID_HANDLE_TYPE: [TypeError, "This handle type cannot be sent"],
  ERR_METHOD_NOT_IMPLEMENTED: [Error, "The %s method is not implemented"],
};

/** Codes {@link plainError} knows. */
export type PlainCode =
  | "ERR_STREAM_WRITE_AFTER_END"
  | "ERR_STREAM_DESTROYED"
  | "ERR_STREAM_NULL_VALUES"
  | "ERR_STREAM_ALREADY_FINISHED"
  | "ERR_STREAM_PUSH_AFTER_EOF"
  | "ERR_STREAM_UNSHIFT_AFTER_END_EVENT"
  | "ERR_STREAM_PREMATURE_CLOSE"
  | "ERR_INVALID_ADDRESS"
  | "ERR_IP_BLOCKED"
  | "ERR_SERVER_NOT_RUNNING"
  | "ERR_SERVER_ALREADY_LISTEN"
  | "ERR_SOCKET_CLOSED"
  | "ERR_SOCKET_CLOSED_BEFORE_CONNECTION"
  | "ERR_SOCKET_CONNECTION_TIMEOUT"
  | "ERR_INVALID_IP_ADDRESS"
  | "ERR_INVALID_FD_TYPE"
  | "ERR_MULTIPLE_CALLBACK"
  | "ERR_INVALID_HANDLE_TYPE"
  | "ERR_METHOD_NOT_IMPLEMENTED";

/**
 * Node's `AbortError` (`name` "AbortError", `code` "ABORT_ERR"), with the signal's reason
 * as `cause`.
 */
export function abortError(cause?: unknown): CodedError {
  const err = new Error("The operation was aborted", cause === undefined ? undefined : { cause }) as CodedError;
  err.code = "ABORT_ERR";
  err.name = "AbortError";
  return err;
}

/** The `AggregateError` Node emits when every connection attempt failed. */
export function aggregateError(errors: readonly Error[]): AggregateError & { code?: string } {
  const err = new AggregateError(errors) as AggregateError & { code?: string };
  const code = (errors[0] as CodedError | undefined)?.code;
  err.code = code;
  if (code !== undefined) codeInStack(err, code);
  return err;
}

/** How a system error's message is laid out: Node uses three formats. */
export type SystemErrorStyle =
  /** `connect ECONNREFUSED 127.0.0.1:80` */
  | "host-port"
  /** `listen EADDRINUSE: address already in use 127.0.0.1:80` */
  | "described"
  /** `read ECONNRESET` */
  | "plain";

/**
 * A system error in Node's shape from a POSIX `code`: `errno` (Node's negative number,
 * taken from `errno` when the runtime gave one), `syscall`, `address`, `port`.
 *
 * @example
 * ```ts
 * const err = systemError("ECONNREFUSED", "connect", "host-port", "127.0.0.1", 5000);
 * // err.message: connect ECONNREFUSED 127.0.0.1:5000, err.errno: -111 (Linux)
 * ```
 */
export function systemError(
  code: string,
  syscall: string,
  style: SystemErrorStyle,
  address?: string,
  port?: number,
  errno?: number,
): CodedError {
  let details = "";
  if (port !== undefined && port > 0) details = ` ${address}:${port}`;
  else if (address) details = ` ${address}`;
  const head = style === "described" ? `${syscall} ${code}: ${describeCode(code)}` : `${syscall} ${code}`;
  const err = new Error(style === "plain" ? head : `${head}${details}`) as CodedError;
  // Node reports errno negative; some runtimes report the positive OS number.
  err.errno = errno !== undefined && errno > 0 ? -errno : errno ?? errnoOf(code);
  err.code = code;
  err.syscall = syscall;
  if (style !== "plain") {
    if (address !== undefined) err.address = address;
    // Node: `if (port) ex.port = port`, so a Unix path's -1 is kept.
    if (port !== undefined && port !== 0) err.port = port;
  }
  return err;
}
