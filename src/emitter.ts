/**
 * A small EventEmitter with `node:events`' API and semantics (listener order, `once`,
 * `prependListener`, `newListener`/`removeListener` events, `events.errorMonitor`
 * listeners, an unhandled `error` throws, the `MaxListenersExceededWarning`,
 * `captureRejections`), so code written for `net.Socket` keeps working without importing
 * `node:events`.
 *
 * @module
 */

import { builtinModule } from "./builtin_module.ts";
import { inspect, invalidArgType, outOfRange } from "./errors.ts";
import { nextTick } from "./turn.ts";
import { emitWarning } from "./warnings.ts";

/**
 * node:events' `captureRejectionSymbol` (`Symbol.for("nodejs.rejection")`): the method an
 * emitter that captures rejections calls with a listener's rejection, the event and its
 * arguments (a socket's destroys it with the rejection, as a Node stream's does).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { captureRejectionSymbol } from "./emitter.ts";
 *
 * assert.equal(captureRejectionSymbol, Symbol.for("nodejs.rejection"));
 * ```
 */
export const captureRejectionSymbol: unique symbol = Symbol.for("nodejs.rejection");

/**
 * An event name as node:events keys its listeners, a property key: a string or a symbol
 * as it is, anything else as a string (`1` and `"1"` are one event; an object without
 * a string form throws, as in Node).
 */
function keyOf(event: unknown): string | symbol {
  return typeof event === "string" || typeof event === "symbol" ? event : String(event);
}

/** An event listener or completion callback: any arguments, no result used. */
// deno-lint-ignore no-explicit-any
export type Listener = (...args: any[]) => void;

/** What rawListeners() shows for a once() listener: calling it fires it, once. */
interface OnceWrapper extends Listener {
  listener: Listener;
}

/**
 * A once() listener as the Emitter keeps it: one small object (no closure, no function
 * with a property added, per once() call: a once('drain') per drain is a bulk writer's
 * pattern). The wrapper function node:events would have made is only made if asked for.
 */
class Once {
  readonly listener: Listener;
  fired = false;
  wrapper: OnceWrapper | undefined;

  constructor(listener: Listener) {
    this.listener = listener;
  }
}

/** An event's listener as stored: a function, or a once() listener. */
type Entry = Listener | Once;

// Set by Emitter's static block (before anything can emit): emitNone() and emitOne() call
// its private dispatch_ through it.
let dispatch: (emitter: Emitter, event: string, count: 0 | 1, arg: unknown) => boolean;
// Set there too: what an Emitter holds for `data`, for directDataListener().
let dataEntryOf: (emitter: Emitter) => Entry | Entry[] | undefined;
// And its capture_ field, for catchRejection() and rejected().
let captureOf: (emitter: Emitter) => true | undefined;
let setCapture: (emitter: Emitter, capture: true | undefined) => void;

/**
 * Node's EventEmitter API, runtime-neutral: the base class of `Socket` and `Server`
 * (the entries export it as a type only).
 *
 * @example
 * ```ts
 * import { Socket } from "crossnet";
 * const socket = new Socket(); // a Socket is an Emitter
 * socket.once("ping", (n: number) => console.log("ping", n));
 * socket.emit("ping", 1); // logs "ping 1"
 * socket.emit("ping", 2); // nothing: once
 * ```
 */
export class Emitter {
  /**
   * Listeners by event: the function itself while an event has one (most have: no array
   * per event per socket), an array once it has more. Arrays are replaced, never mutated,
   * so emit() can iterate one while listeners add or remove listeners. An event whose last
   * listener goes keeps its key, with `undefined` (up to {@link MAX_VACANT} of them): a
   * once('drain') per write would otherwise insert and delete a key each time, which costs
   * a Map more than setting a value (JavaScriptCore allocates per insertion).
   */
  private events_: Map<string | symbol, Entry | Entry[] | undefined> = new Map();
  /**
   * What events_ holds for `data`, also kept here: a stream emits `data` per chunk, and
   * a field of the emitter is at hand where a Map lookup reads the Map and its table
   * (with 500 connections those are cold: core_path.ts measured ~250 ns less per message
   * on Deno and Bun). Read by {@link directDataListener} too.
   */
  private data_: Entry | Entry[] | undefined = undefined;
  /** setMaxListeners()'s value; `undefined`: node:events' `defaultMaxListeners`. */
  private maxListeners_: number | undefined = undefined;
  /**
   * Whether a listener's rejected promise goes to the emitter (see {@link catchRejection}):
   * `true` with the option `captureRejections`, else `undefined`: node:events' global
   * `captureRejections` decides, looked up when a listener returns a promise.
   */
  private capture_: true | undefined = undefined;

  static {
    dispatch = (emitter, event, count, arg) => emitter.dispatch_(event, count, arg, undefined);
    dataEntryOf = (emitter) => emitter.data_;
    captureOf = (emitter) => emitter.capture_;
    setCapture = (emitter, capture) => emitter.capture_ = capture;
  }

  /**
   * node:events' option `captureRejections` (a stream's constructor passes its options
   * on to it): `true` captures, a falsy value leaves the global default, anything else
   * throws `ERR_INVALID_ARG_TYPE`.
   */
  protected captureRejectionsOption_(value: unknown): void {
    if (!value) return;
    if (typeof value !== "boolean") throw invalidArgType("options.captureRejections", "boolean", value);
    this.capture_ = true;
  }

  /** Call every listener of `event` in order; `true` if there was one. */
  emit(event: string | symbol, ...args: unknown[]): boolean {
    return this.dispatch_(keyOf(event), args.length, args[0], args);
  }

  /**
   * emit()'s work: `count` arguments, `arg` the first, `args` all of them (needed only
   * when there are two or more; the core's own events come through {@link emitNone} and
   * {@link emitOne} without any array).
   */
  private dispatch_(event: string | symbol, count: number, arg: unknown, args: unknown[] | undefined): boolean {
    // events.errorMonitor's listeners see an `error` first (once some emitter has had one).
    if (errorMonitor !== undefined && event === "error") this.dispatch_(errorMonitor, count, arg, args);
    const entry = event === "data" ? this.data_ : this.events_.get(event);
    if (entry === undefined) {
      if (event === "error") throwUnhandled(arg);
      return false;
    }
    // What a listener returns matters only when it is a promise whose rejection the emitter
    // may capture: an object or a function (not undefined, the usual case, nor a boolean,
    // as `(chunk) => other.write(chunk)` returns), checked here, before any call.
    let result: unknown;
    if (typeof entry === "function") result = callWith(entry, this, count, arg, args);
    else if (entry instanceof Once) {
      if (this.claim_(event, entry)) result = callWith(entry.listener, this, count, arg, args);
    } else {
      for (let i = 0; i < entry.length; i++) {
        const l = entry[i]!;
        const r = typeof l === "function"
          ? callWith(l, this, count, arg, args)
          : this.claim_(event, l)
          ? callWith(l.listener, this, count, arg, args)
          : undefined;
        if (typeof r === "object" ? r !== null : typeof r === "function") catchRejection(this, r, event, count, arg, args);
      }
    }
    if (typeof result === "object" ? result !== null : typeof result === "function") {
      catchRejection(this, result, event, count, arg, args);
    }
    return true;
  }

  /** Add `listener` at the end of `event`'s list. */
  on(event: string | symbol, listener: Listener): this {
    return this.add_(keyOf(event), checked(listener), false);
  }

  /** Same as {@link on}. */
  addListener(event: string | symbol, listener: Listener): this {
    return this.on(event, listener);
  }

  /** Add `listener` at the front of `event`'s list. */
  prependListener(event: string | symbol, listener: Listener): this {
    return this.add_(keyOf(event), checked(listener), true);
  }

  /** Add a listener called at most once. */
  once(event: string | symbol, listener: Listener): this {
    return this.add_(keyOf(event), new Once(checked(listener)), false);
  }

  /** Add a listener called at most once, at the front. */
  prependOnceListener(event: string | symbol, listener: Listener): this {
    return this.add_(keyOf(event), new Once(checked(listener)), true);
  }

  /** Remove the most recently added instance of `listener`. */
  removeListener(event: string | symbol, listener: Listener): this {
    event = keyOf(event);
    const entry = this.events_.get(event);
    if (entry === undefined) return this;
    if (!Array.isArray(entry)) {
      if (matches(entry, listener)) this.remove_(event, entry, 0, listener);
      return this;
    }
    for (let i = entry.length - 1; i >= 0; i--) {
      if (matches(entry[i]!, listener)) {
        this.remove_(event, entry, i, listener);
        break;
      }
    }
    return this;
  }

  /** Same as {@link removeListener}. */
  off(event: string | symbol, listener: Listener): this {
    return this.removeListener(event, listener);
  }

  /** Remove every listener of `event`, or of every event. */
  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) {
      if (this.events_.get("removeListener") !== undefined) {
        for (const name of this.eventNames()) {
          if (name !== "removeListener") this.removeAllListeners(name);
        }
        this.removeAllListeners("removeListener");
      } else {
        this.events_.clear();
        this.data_ = undefined;
      }
      return this;
    }
    event = keyOf(event);
    const list = this.list_(event);
    if (list.length > 0) {
      if (this.events_.get("removeListener") !== undefined && event !== "removeListener") {
        // By what rawListeners() holds, last first (once wrappers included).
        for (let i = list.length - 1; i >= 0; i--) {
          this.removeListener(event, this.raw_(event, list[i]!));
        }
      } else {
        this.vacate_(event);
      }
    }
    return this;
  }

  /** Copies of `event`'s listeners (once-wrappers unwrapped). */
  listeners(event: string | symbol): Listener[] {
    return this.list_(keyOf(event)).map(unwrapped);
  }

  /** Copies of `event`'s listeners, once-wrappers included. */
  rawListeners(event: string | symbol): Listener[] {
    const key = keyOf(event);
    return this.list_(key).map((l) => this.raw_(key, l));
  }

  /** How many listeners `event` has (of `listener` only, when given). */
  listenerCount(event: string | symbol, listener?: Listener): number {
    const list = this.list_(keyOf(event));
    if (listener === undefined) return list.length;
    return list.filter((l) => matches(l, listener)).length;
  }

  /** Names of the events that have listeners. */
  eventNames(): Array<string | symbol> {
    const names: Array<string | symbol> = [];
    for (const [name, entry] of this.events_) if (entry !== undefined) names.push(name);
    return names;
  }

  /**
   * Above `n` listeners of one event, a `MaxListenersExceededWarning` is emitted (once per
   * event), as node:events does; 0 or `Infinity`: no limit.
   */
  setMaxListeners(n: number): this {
    // node:events' validateNumber(n, "setMaxListeners", 0).
    if (typeof n !== "number") throw invalidArgType("setMaxListeners", "number", n);
    if (!(n >= 0)) throw outOfRange("setMaxListeners", ">= 0", n);
    this.maxListeners_ = n;
    return this;
  }

  /**
   * The value given to {@link setMaxListeners}, else node:events' `defaultMaxListeners`
   * (10 unless changed).
   */
  getMaxListeners(): number {
    return this.maxListeners_ ?? defaultMaxListeners();
  }

  /** The listeners of `event` as a list (never mutate it). */
  private list_(event: string | symbol): readonly Entry[] {
    const entry = this.events_.get(event);
    if (entry === undefined) return NO_LISTENERS;
    return Array.isArray(entry) ? entry : [entry];
  }

  /** `listener` was checked by the caller. */
  private add_(event: string | symbol, listener: Entry, prepend: boolean): this {
    if (this.events_.get("newListener") !== undefined) this.emit("newListener", event, unwrapped(listener));
    const entry = this.events_.get(event);
    if (entry === undefined) {
      if (typeof event === "symbol" && event.description === ERROR_MONITOR) errorMonitor ??= event;
      this.put_(event, listener);
    } else {
      const count = Array.isArray(entry) ? entry.length + 1 : 2;
      if (count === 2) this.put_(event, prepend ? [listener, entry as Entry] : [entry as Entry, listener]);
      else this.put_(event, prepend ? [listener, ...(entry as Entry[])] : [...(entry as Entry[]), listener]);
      const max = this.getMaxListeners();
      if (count > max && max > 0) this.warnLeak_(event, count, max);
    }
    return this;
  }

  /**
   * node:events' leak warning: `event` has `count` listeners, more than the limit
   * (setMaxListeners()). Once per event and emitter, as node:events warns.
   */
  private warnLeak_(event: string | symbol, count: number, max: number): void {
    let warned = leakWarned.get(this);
    if (warned === undefined) leakWarned.set(this, warned = new Set());
    if (warned.has(event)) return;
    warned.add(event);
    const warning = new Error(
      `Possible EventEmitter memory leak detected. ${count} ${String(event)} listeners added to ` +
        `[${this.constructor.name}]. MaxListeners is ${max}. ` +
        "Use emitter.setMaxListeners() to increase limit",
    ) as Error & { emitter: Emitter; type: string | symbol; count: number };
    warning.name = "MaxListenersExceededWarning";
    warning.emitter = this;
    warning.type = event;
    warning.count = count;
    emitWarning(warning);
  }

  /** The event has no listener left. */
  private vacate_(event: string | symbol): void {
    const events = this.events_;
    if (event === "data") this.data_ = undefined;
    if (events.size > MAX_VACANT) events.delete(event);
    else events.set(event, undefined);
  }

  /** Set `event`'s listeners. */
  private put_(event: string | symbol, entry: Entry | Entry[]): void {
    if (event === "data") this.data_ = entry;
    this.events_.set(event, entry);
  }

  /**
   * Remove `entry`'s listener `i` (0 for an event's only listener) and report it, as
   * node:events does: an event's only listener unwrapped, one of several as `given` (what
   * removeListener() was called with; for a firing once() listener, its wrapper).
   */
  private remove_(event: string | symbol, entry: Entry | Entry[], i: number, given: Listener | Once): void {
    const several = Array.isArray(entry);
    if (!several) this.vacate_(event);
    // Arrays are replaced, never mutated (an emit may be iterating this one).
    else if (entry.length === 2) this.put_(event, entry[1 - i]!);
    else this.put_(event, [...entry.slice(0, i), ...entry.slice(i + 1)]);
    if (this.events_.get("removeListener") === undefined) return;
    const reported = !several ? unwrapped(entry) : given instanceof Once ? this.raw_(event, given) : given;
    this.emit("removeListener", event, reported);
  }

  /**
   * A once() listener's turn: `true` the first time, when it is also removed (this
   * instance, wherever it now is); the caller then calls it.
   */
  private claim_(event: string | symbol, once: Once): boolean {
    if (once.fired) return false;
    once.fired = true;
    const entry = this.events_.get(event);
    if (entry === once) this.remove_(event, entry, 0, once);
    else if (Array.isArray(entry)) {
      const i = entry.lastIndexOf(once);
      if (i >= 0) this.remove_(event, entry, i, once);
    }
    return true;
  }

  /**
   * The function node:events would hold for `entry`: a once() listener's wrapper, made the
   * first time it is asked for and the same function afterwards.
   */
  private raw_(event: string | symbol, entry: Entry): Listener {
    if (typeof entry === "function") return entry;
    if (entry.wrapper === undefined) {
      const emitter = this;
      const wrapper = function (this: unknown, ...args: unknown[]): unknown {
        // node:events' once wrapper returns what the listener returned.
        if (emitter.claim_(event, entry)) return entry.listener.apply(emitter, args);
      } as OnceWrapper;
      wrapper.listener = entry.listener;
      entry.wrapper = wrapper;
    }
    return entry.wrapper;
  }
}

const NO_LISTENERS: readonly Entry[] = [];

/** node:events' class as the runtime has it (its global defaults are its properties). */
interface EventsDefaults {
  captureRejections?: unknown;
  defaultMaxListeners?: unknown;
}

// node:events, looked up the first time a default is needed: when an event gets a second
// listener (getMaxListeners()), or a listener returns a promise. Not when crossnet loads:
// Deno's first process.getBuiltinModule() call costs ~2 ms and ~1 MiB. null: none.
let eventsClass: EventsDefaults | null | undefined;

function eventsDefaults(): EventsDefaults | null {
  if (eventsClass === undefined) {
    const events = builtinModule("node:events") as EventsDefaults | undefined;
    eventsClass = typeof events === "function" ? events : null;
  }
  return eventsClass;
}

// node:events' `EventEmitter.defaultMaxListeners` (10 where there is no node:events).
function defaultMaxListeners(): number {
  const n = eventsDefaults()?.defaultMaxListeners;
  return typeof n === "number" ? n : 10;
}

// node:events' global `captureRejections` (`events.captureRejections = true`).
function defaultCapture(): boolean {
  return eventsDefaults()?.captureRejections === true;
}

/** The description of node:events' `errorMonitor` symbol (`Symbol("events.errorMonitor")`). */
const ERROR_MONITOR = "events.errorMonitor";

/**
 * node:events' `errorMonitor`, once a listener was added with it: the core cannot import
 * node:events, so it knows the symbol by its description (it is not a registered one).
 */
let errorMonitor: symbol | undefined;

/** The events each emitter was warned about (MaxListenersExceededWarning), made on the first. */
const leakWarned = new WeakMap<Emitter, Set<string | symbol>>();

const EMIT = Emitter.prototype.emit;

/**
 * The listener `emitter.emit("data", chunk)` would call, when calling it directly does
 * the same: `data` has one listener, a plain one (not once()), and emit() is the Emitter's
 * own (not replaced on a subclass or on the instance). Otherwise `undefined`: emit.
 * A stream's hottest event, called without emit()'s steps in between.
 *
 * @param emitter The emitter.
 * @returns The listener, or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { directDataListener, Emitter } from "./emitter.ts";
 *
 * const emitter = new Emitter();
 * const listener = (chunk: string) => assert.equal(chunk, "hi");
 * emitter.on("data", listener);
 * assert.equal(directDataListener(emitter), listener);
 * emitter.once("data", listener);
 * assert.equal(directDataListener(emitter), undefined);
 * ```
 */
export function directDataListener(emitter: Emitter): Listener | undefined {
  if (emitter.emit !== EMIT) return undefined;
  const entry = dataEntryOf(emitter);
  return typeof entry === "function" ? entry : undefined;
}

/**
 * `emitter.emit(event)`, as the core emits its own events: without the array a rest
 * parameter costs. JavaScriptCore makes it on every call unless the caller was compiled
 * with emit() inlined, which a socket's emits mostly are not (measured on Bun: one array
 * per `data` event, per `drain`, also after 20,000 warm-up messages); V8's interpreter
 * makes it too. An emit() replaced on a subclass or on the instance itself is called as
 * usual.
 *
 * @param emitter Whose listeners to call.
 * @param event The event.
 * @returns Whether `event` had listeners.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Emitter, emitNone } from "./emitter.ts";
 *
 * const emitter = new Emitter();
 * emitter.on("ready", (...args: unknown[]) => assert.equal(args.length, 0));
 * assert.equal(emitNone(emitter, "ready"), true);
 * ```
 */
export function emitNone(emitter: Emitter, event: string): boolean {
  return emitter.emit === EMIT ? dispatch(emitter, event, 0, undefined) : emitter.emit(event);
}

/**
 * `emitter.emit(event, arg)`, as the core emits its own events (see {@link emitNone}).
 *
 * @param emitter Whose listeners to call.
 * @param event The event.
 * @param arg The listeners' one argument.
 * @returns Whether `event` had listeners.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Emitter, emitOne } from "./emitter.ts";
 *
 * const emitter = new Emitter();
 * emitter.on("data", (chunk: string) => assert.equal(chunk, "hi"));
 * assert.equal(emitOne(emitter, "data", "hi"), true);
 * ```
 */
export function emitOne(emitter: Emitter, event: string, arg: unknown): boolean {
  return emitter.emit === EMIT ? dispatch(emitter, event, 1, arg) : emitter.emit(event, arg);
}

// Call `listener` on `self` with the arguments emit() was given: `count` of them, `arg` the
// first, `args` all of them (only needed for two or more). A listener sees as many as
// emit() had (`arguments.length`, rest parameters).
function callWith(listener: Listener, self: unknown, count: number, arg: unknown, args: unknown[] | undefined): unknown {
  if (count === 1) return (listener as AnyListener).call(self, arg);
  if (count === 0) return (listener as AnyListener).call(self);
  return (listener as AnyListener).apply(self, args!);
}

/** A listener as called: what it returns is looked at (a promise may be captured). */
type AnyListener = (...args: unknown[]) => unknown;

/**
 * node:events' `captureRejections`: a listener of `event` returned `result` (emit() had
 * `count` arguments, `arg` the first, `args` all of them when two or more). When `result`
 * is a thenable and the emitter captures rejections (its option, else node:events' global
 * `captureRejections`, looked up only for a thenable: listeners mostly return nothing, a
 * boolean, or a socket), its rejection goes, a tick later, to the emitter's
 * `[Symbol.for("nodejs.rejection")](err, event, ...args)`, else to its `error` event. A
 * `then` getter that throws is an `error` at once, as in Node.
 *
 * @param emitter The emitter.
 * @param result What the listener returned.
 * @param event The event.
 * @param count How many arguments emit() had.
 * @param arg The first of them.
 * @param args All of them (needed only when two or more).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { catchRejection, Emitter } from "./emitter.ts";
 *
 * const emitter = new Emitter();
 * const seen: unknown[] = [];
 * emitter.on("error", (err: Error) => seen.push(err.message));
 * // Not capturing (no option, node:events' global is off): nothing happens.
 * const rejection = Promise.reject(new Error("lost"));
 * rejection.catch(() => {});
 * catchRejection(emitter, rejection, "job", 0, undefined, undefined);
 * await new Promise((resolve) => setTimeout(resolve, 1));
 * assert.deepEqual(seen, []);
 * ```
 */
export function catchRejection(
  emitter: Emitter,
  result: unknown,
  event: string | symbol,
  count: number,
  arg: unknown,
  args: unknown[] | undefined,
): void {
  if (result === null || (typeof result !== "object" && typeof result !== "function")) return;
  let then: unknown;
  try {
    then = (result as { then?: unknown }).then;
  } catch (err) {
    if (captureOf(emitter) !== undefined || defaultCapture()) emitter.emit("error", err);
    return;
  }
  if (typeof then !== "function") return;
  if (captureOf(emitter) === undefined && !defaultCapture()) return;
  const all = args ?? (count === 0 ? [] : [arg]);
  then.call(result, undefined, (err: unknown) => nextTick(() => rejected(emitter, err, event, all)));
}

// A captured rejection: to the emitter's handler, else its `error` event, emitted with
// capturing off (node:events' guard against a loop through an async `error` listener).
function rejected(emitter: Emitter, err: unknown, event: string | symbol, args: unknown[]): void {
  const handler = (emitter as unknown as Record<symbol, unknown>)[captureRejectionSymbol];
  if (typeof handler === "function") {
    handler.call(emitter, err, event, ...args);
    return;
  }
  const prev = captureOf(emitter);
  setCapture(emitter, undefined);
  try {
    emitter.emit("error", err);
  } finally {
    setCapture(emitter, prev);
  }
}

/** At most this many events keep their key in an Emitter's map once they have no listener. */
const MAX_VACANT = 16;

// A listener must be a function (node:events' check, with its error).
function checked(listener: Listener): Listener {
  if (typeof listener !== "function") throw invalidArgType("listener", "function", listener);
  return listener;
}

// node:events' test: the function itself, or a wrapper of it (a once() listener, or a
// function carrying `.listener`, as rawListeners() returns them).
function matches(entry: Entry, listener: Listener): boolean {
  if (typeof entry === "function") {
    return entry === listener || (entry as Partial<OnceWrapper>).listener === listener;
  }
  return entry.listener === listener || (entry.wrapper !== undefined && entry.wrapper === listener);
}

// What listeners() and the newListener/removeListener events show for an entry.
function unwrapped(entry: Entry): Listener {
  if (typeof entry === "function") return (entry as Partial<OnceWrapper>).listener ?? entry;
  return entry.listener;
}

// An `error` event nobody listens to: thrown, as node:events does. Out of line so that
// emit() stays small for the JIT compilers (it runs for every event).
function throwUnhandled(err: unknown): never {
  if (err instanceof Error) throw err;
  const wrapped = new Error(`Unhandled error. (${inspect(err)})`) as Error & {
    code: string;
    context: unknown;
  };
  wrapped.code = "ERR_UNHANDLED_ERROR";
  wrapped.context = err;
  throw wrapped;
}
