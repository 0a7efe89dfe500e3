/**
 * `pipe()` and `unpipe()` as node:stream's Readable does them, for a socket: what is read
 * is written to each destination; a destination whose `write` returns `false` pauses the
 * source until every such destination said `drain`; the source's `end` ends the
 * destination (unless `end: false`, or it is the process's stdout or stderr: then it
 * unpipes); the destination's `finish` or `close` unpipes it; an `error` on the
 * destination unpipes it and is thrown on if nothing else listens. `unpipe` pauses the
 * source once no destination is left and tells each removed one with its `unpipe` event.
 * A source that closes keeps its pipes, as Node's does.
 *
 * @module
 */

import type { Listener as Callback } from "./emitter.ts";
import { nextTick } from "./turn.ts";

/** Anything `pipe` can write to: a crossnet socket, a Node stream, a test double. */
export interface PipeDestination {
  /** Take one chunk; `false` asks the source to pause until `drain`. */
  write(chunk: unknown): boolean | void;
  /** The source ended (not called with `pipe(dest, { end: false })`). */
  end(): unknown;
  /** Listen for `drain`, `finish`, `close`, `error` and `unpipe`. */
  on(event: string, listener: Callback): unknown;
  /** Remove those listeners when unpiped, when present. */
  removeListener?(event: string, listener: Callback): unknown;
  /** When present, told `pipe` and `unpipe` with the source socket. */
  emit?(event: string, ...args: unknown[]): unknown;
}

/** What a pipe needs of its source (a socket). */
export interface PipeSource {
  on(event: string, listener: Callback): unknown;
  once(event: string, listener: Callback): unknown;
  removeListener(event: string, listener: Callback): unknown;
  listenerCount(event: string): number;
  pause(): unknown;
  resume(): unknown;
  unpipe(destination?: PipeDestination): unknown;
  /** `end` was emitted. */
  readonly readableEnded: boolean;
  /** `true` flowing, `false` paused, `null` no consumer yet. */
  readonly readableFlowing: boolean | null;
}

/** A source's pipes: its destinations, and those it paused for, waiting for their `drain`. */
export interface Pipes {
  /** The destinations, in the order they were piped to (`_readableState.pipes`). */
  readonly destinations: PipeDestination[];
  /**
   * The destinations whose `write` returned `false` and that have not drained since (with
   * one destination, only the latest one: Node's awaitDrainWriters).
   */
  readonly awaitingDrain: Set<PipeDestination>;
  /** Each pipe not undone yet, with its cleanup (the pipe's listeners on both ends). */
  readonly live: Array<{ destination: PipeDestination; cleanup: () => void }>;
}

/**
 * A source's pipes, none yet.
 *
 * @returns An empty {@link Pipes}.
 *
 * @example
 * ```ts
 * import { noPipes } from "./pipe.ts";
 * const pipes = noPipes();
 * console.log(pipes.destinations.length); // 0
 * ```
 */
export function noPipes(): Pipes {
  return { destinations: [], awaitingDrain: new Set(), live: [] };
}

/** A destination's optional emitter methods, as pipe() uses them. */
interface Emitterish {
  once?(event: string, listener: Callback): unknown;
  prependListener?(event: string, listener: Callback): unknown;
  listenerCount?(event: string): number;
  destroy?(error?: Error): unknown;
  readonly writableNeedDrain?: boolean;
  readonly _writableState?: { errorEmitted?: boolean; autoDestroy?: boolean; destroyed?: boolean; needDrain?: boolean };
}

/**
 * Pipe `src` into `dest` (node:stream's `Readable.prototype.pipe`).
 *
 * @param src The source socket.
 * @param pipes Its pipes (made once per socket).
 * @param dest Where to write.
 * @param options `end: false` leaves `dest` open at the source's end.
 * @returns `dest`.
 *
 * @example
 * ```ts
 * import { createServer, connect, type AddressInfo } from "crossnet";
 *
 * // An echo server: each connection pipes into itself.
 * const server = createServer((socket) => socket.pipe(socket)).listen(0, "127.0.0.1", () => {
 *   const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
 *   client.end("ping");
 *   client.on("data", (d) => console.log(String(d))); // ping
 *   client.on("close", () => server.close());
 * });
 * ```
 */
export function pipeInto<T extends PipeDestination>(src: PipeSource, pipes: Pipes, dest: T, options?: { end?: boolean }): T {
  const d = dest as T & Emitterish;
  // Something that is not an emitter fails here, before the source changes at all, with
  // the engine's TypeError (`dest.on is not a function`, as Node's).
  if (typeof dest.on !== "function") (dest as unknown as { on(): void }).on();
  pipes.destinations.push(dest);
  const std = (globalThis as { process?: { stdout?: unknown; stderr?: unknown } }).process;
  const doEnd = options?.end !== false && dest !== std?.stdout && dest !== std?.stderr;

  const onEnd = () => void dest.end();
  const unpipe = () => void src.unpipe(dest);
  const endFn = doEnd ? onEnd : unpipe;
  if (src.readableEnded) nextTick(endFn);
  else src.once("end", endFn);

  let onDrain: Callback | undefined;
  let cleanedUp = false;
  const cleanup = () => {
    const at = pipes.live.indexOf(entry);
    if (at !== -1) pipes.live.splice(at, 1);
    dest.removeListener?.("close", onClose);
    dest.removeListener?.("finish", onFinish);
    if (onDrain !== undefined) dest.removeListener?.("drain", onDrain);
    dest.removeListener?.("error", onError);
    dest.removeListener?.("unpipe", onUnpipe);
    src.removeListener("end", onEnd);
    src.removeListener("end", unpipe);
    src.removeListener("data", onData);
    cleanedUp = true;
    // Unpiped while the source waited for a drain: it waits no more for this one.
    if (onDrain !== undefined && pipes.awaitingDrain.size > 0 && (d._writableState === undefined || d._writableState.needDrain)) {
      onDrain();
    }
  };
  const entry = { destination: dest as PipeDestination, cleanup };
  pipes.live.push(entry);
  const onUnpipe = (readable: unknown, info?: { hasUnpiped?: boolean }) => {
    if (readable === src && info?.hasUnpiped === false) {
      info.hasUnpiped = true;
      cleanup();
    }
  };
  dest.on("unpipe", onUnpipe);

  const pause = () => {
    if (!cleanedUp) {
      const all = pipes.destinations;
      if (all.length === 1 && all[0] === dest) {
        pipes.awaitingDrain.clear();
        pipes.awaitingDrain.add(dest);
      } else if (all.length > 1 && all.includes(dest)) pipes.awaitingDrain.add(dest);
      src.pause();
    }
    if (onDrain === undefined) {
      onDrain = () => {
        pipes.awaitingDrain.delete(dest);
        if (pipes.awaitingDrain.size === 0 && src.listenerCount("data") > 0) src.resume();
      };
      dest.on("drain", onDrain);
    }
  };
  const onData = (chunk: unknown) => {
    if (dest.write(chunk) === false) pause();
  };
  src.on("data", onData);

  // First among the destination's `error` listeners: unpipe, and throw the error on when
  // nothing else listens (as an unhandled `error` would have been).
  const onError = (err: unknown) => {
    unpipe();
    dest.removeListener?.("error", onError);
    if ((d.listenerCount?.("error") ?? 0) === 0) {
      const state = d._writableState;
      if (state !== undefined && !state.errorEmitted) {
        if (state.destroyed) return;
        if (state.autoDestroy && typeof d.destroy === "function") d.destroy(err as Error);
        else dest.emit?.("error", err);
      } else dest.emit?.("error", err);
    }
  };
  if (typeof d.prependListener === "function") d.prependListener("error", onError);
  else dest.on("error", onError);

  const onClose = () => {
    dest.removeListener?.("finish", onFinish);
    unpipe();
  };
  const onFinish = () => {
    dest.removeListener?.("close", onClose);
    unpipe();
  };
  once(dest, "close", onClose);
  once(dest, "finish", onFinish);

  dest.emit?.("pipe", src);

  if (d.writableNeedDrain === true) pause();
  else if (src.readableFlowing !== true) src.resume();
  return dest;
}

/**
 * Stop piping `src` into `dest`, or into every destination (node:stream's
 * `Readable.prototype.unpipe`): the source pauses once none is left, and each removed
 * destination gets `unpipe` (source, info).
 *
 * @param src The source socket.
 * @param pipes Its pipes.
 * @param dest The destination to remove; all when `undefined`.
 *
 * @example
 * ```ts
 * import { PassThrough } from "node:stream";
 * import { connect } from "crossnet";
 *
 * const socket = connect(8124, "127.0.0.1");
 * const copy = new PassThrough();
 * socket.pipe(copy);
 * socket.unpipe(copy); // paused again: nothing else reads it
 * socket.destroy();
 * ```
 */
export function unpipeFrom(src: PipeSource, pipes: Pipes, dest: PipeDestination | undefined): void {
  const all = pipes.destinations;
  if (all.length === 0) return;
  let removed: PipeDestination[];
  if (dest === undefined) {
    removed = all.splice(0, all.length);
    src.pause();
  } else {
    const index = all.indexOf(dest);
    if (index === -1) return;
    all.splice(index, 1);
    if (all.length === 0) src.pause();
    removed = [dest];
  }
  for (const gone of removed) {
    const info = { hasUnpiped: false };
    if (typeof gone.emit === "function") gone.emit("unpipe", src, info);
    // A destination with no `emit` cannot be told: its pipe is undone all the same.
    else pipes.live.find((p) => p.destination === gone)?.cleanup();
  }
}

/**
 * `listener` once on `emitter`: with its own `once` when it has one, else with `on` (the
 * pipe's cleanup removes it, and what it does is harmless twice: unpiping what is unpiped).
 */
function once(emitter: PipeDestination & Emitterish, event: string, listener: Callback): void {
  if (typeof emitter.once === "function") emitter.once(event, listener);
  else emitter.on(event, listener);
}
