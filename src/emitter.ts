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
  #events: Map<string | symbol, Listener[]> = new Map();
  #maxListeners = 10;

  /** Call every listener of `event` in order; `true` if there was one. */
  emit(event: string | symbol, ...args: unknown[]): boolean {
    const list = this.#events.get(event);
    if (list === undefined) {
      if (event === "error") throwUnhandled(args[0]);
      return false;
    }
    // Lists are replaced, never mutated, so iterating `list` is safe while listeners
    // add or remove listeners.
    if (list.length === 1) list[0]!.apply(this, args);
    else for (let i = 0; i < list.length; i++) list[i]!.apply(this, args);
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
    const list = this.#events.get(event);
    if (list === undefined) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      const l = list[i]!;
      if (l === listener || (l as OnceWrapper).listener === listener) {
        if (list.length === 1) this.#events.delete(event);
        else this.#events.set(event, [...list.slice(0, i), ...list.slice(i + 1)]);
        if (this.#events.has("removeListener")) {
          this.emit("removeListener", event, (l as OnceWrapper).listener ?? l);
        }
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
    const list = this.#events.get(event);
    if (list !== undefined) {
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
    return (this.#events.get(event) ?? []).map((l) => (l as OnceWrapper).listener ?? l);
  }

  /** Copies of `event`'s listeners, once-wrappers included. */
  rawListeners(event: string | symbol): Listener[] {
    return (this.#events.get(event) ?? []).slice();
  }

  /** How many listeners `event` has (of `listener` only, when given). */
  listenerCount(event: string | symbol, listener?: Listener): number {
    const list = this.#events.get(event);
    if (list === undefined) return 0;
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

  #add(event: string | symbol, listener: Listener, prepend: boolean): this {
    if (typeof listener !== "function") throw invalidArgType("listener", "function", listener);
    if (this.#events.has("newListener")) {
      this.emit("newListener", event, (listener as OnceWrapper).listener ?? listener);
    }
    const list = this.#events.get(event);
    if (list === undefined) this.#events.set(event, [listener]);
    else this.#events.set(event, prepend ? [listener, ...list] : [...list, listener]);
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
