/**
 * A small EventEmitter with `node:events`' API and semantics (listener order, `once`,
 * `prependListener`, `newListener`/`removeListener` events, an unhandled `error` throws),
 * so code written for `net.Socket` keeps working without importing `node:events`.
 *
 * @module
 */

import { invalidArgType } from "./errors.ts";

/** An event listener or completion callback: any arguments, no result used. */
// deno-lint-ignore no-explicit-any
export type Listener = (...args: any[]) => void;

interface OnceWrapper extends Listener {
  listener: Listener;
}

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
   * so emit() can iterate one while listeners add or remove listeners.
   */
  #events: Map<string | symbol, Listener | Listener[]> = new Map();
  #maxListeners = 10;

  /** Call every listener of `event` in order; `true` if there was one. */
  emit(event: string | symbol, ...args: unknown[]): boolean {
    const entry = this.#events.get(event);
    if (entry === undefined) {
      if (event === "error") throwUnhandled(args[0]);
      return false;
    }
    if (typeof entry === "function") entry.apply(this, args);
    else for (let i = 0; i < entry.length; i++) entry[i]!.apply(this, args);
    return true;
  }

  /** Add `listener` at the end of `event`'s list. */
  on(event: string | symbol, listener: Listener): this {
    return this.#add(event, listener, false);
  }

  /** Same as {@link on}. */
  addListener(event: string | symbol, listener: Listener): this {
    return this.on(event, listener);
  }

  /** Add `listener` at the front of `event`'s list. */
  prependListener(event: string | symbol, listener: Listener): this {
    return this.#add(event, listener, true);
  }

  /** Add a listener called at most once. */
  once(event: string | symbol, listener: Listener): this {
    return this.on(event, this.#onceWrap(event, listener));
  }

  /** Add a listener called at most once, at the front. */
  prependOnceListener(event: string | symbol, listener: Listener): this {
    return this.prependListener(event, this.#onceWrap(event, listener));
  }

  /** Remove the most recently added instance of `listener`. */
  removeListener(event: string | symbol, listener: Listener): this {
    const entry = this.#events.get(event);
    if (entry === undefined) return this;
    // As node:events: an event's only listener is reported unwrapped, one of several as
    // given (a once wrapper, when removeAllListeners() removes it).
    if (typeof entry === "function") {
      if (entry !== listener && (entry as OnceWrapper).listener !== listener) return this;
      this.#events.delete(event);
      if (this.#events.has("removeListener")) {
        this.emit("removeListener", event, (entry as OnceWrapper).listener ?? entry);
      }
      return this;
    }
    for (let i = entry.length - 1; i >= 0; i--) {
      const l = entry[i]!;
      if (l === listener || (l as OnceWrapper).listener === listener) {
        if (entry.length === 2) this.#events.set(event, entry[1 - i]!);
        else this.#events.set(event, [...entry.slice(0, i), ...entry.slice(i + 1)]);
        if (this.#events.has("removeListener")) this.emit("removeListener", event, listener);
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
      if (this.#events.has("removeListener")) {
        for (const name of this.eventNames()) {
          if (name !== "removeListener") this.removeAllListeners(name);
        }
        this.removeAllListeners("removeListener");
      } else {
        this.#events.clear();
      }
      return this;
    }
    const list = this.#list(event);
    if (list.length > 0) {
      if (this.#events.has("removeListener") && event !== "removeListener") {
        for (let i = list.length - 1; i >= 0; i--) this.removeListener(event, list[i]!);
      } else {
        this.#events.delete(event);
      }
    }
    return this;
  }

  /** Copies of `event`'s listeners (once-wrappers unwrapped). */
  listeners(event: string | symbol): Listener[] {
    return this.#list(event).map((l) => (l as OnceWrapper).listener ?? l);
  }

  /** Copies of `event`'s listeners, once-wrappers included. */
  rawListeners(event: string | symbol): Listener[] {
    return this.#list(event).slice();
  }

  /** How many listeners `event` has (of `listener` only, when given). */
  listenerCount(event: string | symbol, listener?: Listener): number {
    const list = this.#list(event);
    if (listener === undefined) return list.length;
    return list.filter((l) => l === listener || (l as OnceWrapper).listener === listener).length;
  }

  /** Names of the events that have listeners. */
  eventNames(): Array<string | symbol> {
    return [...this.#events.keys()];
  }

  /** Kept for compatibility: the limit is only advisory here. */
  setMaxListeners(n: number): this {
    this.#maxListeners = n;
    return this;
  }

  /** The value given to {@link setMaxListeners} (10 by default). */
  getMaxListeners(): number {
    return this.#maxListeners;
  }

  /** The listeners of `event` as a list (never mutate it). */
  #list(event: string | symbol): readonly Listener[] {
    const entry = this.#events.get(event);
    if (entry === undefined) return NO_LISTENERS;
    return typeof entry === "function" ? [entry] : entry;
  }

  #add(event: string | symbol, listener: Listener, prepend: boolean): this {
    if (typeof listener !== "function") throw invalidArgType("listener", "function", listener);
    if (this.#events.has("newListener")) {
      this.emit("newListener", event, (listener as OnceWrapper).listener ?? listener);
    }
    const entry = this.#events.get(event);
    if (entry === undefined) this.#events.set(event, listener);
    else if (typeof entry === "function") {
      this.#events.set(event, prepend ? [listener, entry] : [entry, listener]);
    } else this.#events.set(event, prepend ? [listener, ...entry] : [...entry, listener]);
    return this;
  }

  #onceWrap(event: string | symbol, listener: Listener): Listener {
    let fired = false;
    const wrapper = ((...args: unknown[]) => {
      if (fired) return;
      fired = true;
      this.removeListener(event, wrapper);
      listener.apply(this, args);
    }) as OnceWrapper;
    wrapper.listener = listener;
    return wrapper;
  }
}

const NO_LISTENERS: readonly Listener[] = [];

// An `error` event nobody listens to: thrown, as node:events does. Out of line so that
// emit() stays small for the JIT compilers (it runs for every event).
function throwUnhandled(err: unknown): never {
  if (err instanceof Error) throw err;
  const wrapped = new Error(`Unhandled error. (${String(err)})`) as Error & {
    code: string;
    context: unknown;
  };
  wrapped.code = "ERR_UNHANDLED_ERROR";
  wrapped.context = err;
  throw wrapped;
}
