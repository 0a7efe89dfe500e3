/**
 * `socket._readableState` and `socket._writableState`: live views of a socket's state under
 * the field names of Node's ReadableState and WritableState. crossnet's sockets are not
 * node:stream Duplexes, but code written for node:net reads those fields off its sockets:
 * node:stream (`finished()`, `pipeline()` and their helpers tell a readable from a writable
 * stream, and an ended one from a closed one, by them), node:http (it reads `needDrain` and
 * sets `corked` on a socket it serves) and libraries such as `ws` (`endEmitted`, `length`
 * when its socket closes). The values are what Node's `net.Socket` shows at the same point:
 * `autoDestroy` true, `emitClose` false (a socket emits `close` itself), no object mode.
 *
 * @module
 */

/** What the views read: the socket's public state and three flags only it knows. */
export interface StreamStateSource {
  /** See `Socket.writableCorked`. */
  readonly writableCorked: number;
  /** See `Socket.writableHighWaterMark`. */
  readonly writableHighWaterMark: number;
  /** See `Socket.writableLength`. */
  readonly writableLength: number;
  /** See `Socket.writableEnded`. */
  readonly writableEnded: boolean;
  /** See `Socket.writableFinished`. */
  readonly writableFinished: boolean;
  /** See `Socket.readableHighWaterMark`. */
  readonly readableHighWaterMark: number;
  /** See `Socket.readableLength`. */
  readonly readableLength: number;
  /** See `Socket.readableEnded`. */
  readonly readableEnded: boolean;
  /** See `Socket.readableFlowing`. */
  readonly readableFlowing: boolean | null;
  /** See `Socket.readableEncoding`. */
  readonly readableEncoding: string | null;
  /** See `Socket.destroyed`. */
  readonly destroyed: boolean;
  /** See `Socket.closed`. */
  readonly closed: boolean;
  /** See `Socket.errored`. */
  readonly errored: Error | null;
  /** The readable side's end came (the peer's FIN, or push(null)), delivered or not. */
  readonly readEnded_: boolean;
  /** A write returned `false` and `drain` has not come (kept once ending or destroyed). */
  readonly drainDue_: boolean;
  /** `error` was emitted. */
  readonly errorWasEmitted_: boolean;
  /** `close` was emitted. */
  readonly closeWasEmitted_: boolean;
  /** The destinations piped to, in order. */
  readonly pipeDestinations_: unknown[];
  /** See `Socket.cork`. */
  cork(): void;
  /** See `Socket.uncork`. */
  uncork(): void;
}

/** The fields both of Node's stream states have, as a socket shows them. */
export interface StreamStateView {
  /** Always `false`: a socket carries bytes. */
  readonly objectMode: boolean;
  /** The side's high-water mark. */
  readonly highWaterMark: number;
  /** Bytes waiting on this side (unread, or not yet handed to the OS). */
  readonly length: number;
  /** Always `true`: a socket is destroyed once both sides are done, as Node's. */
  readonly autoDestroy: boolean;
  /** Always `false`: a socket emits `close` itself, not its stream state (as Node's). */
  readonly emitClose: boolean;
  /** Always `true`. */
  readonly constructed: boolean;
  /** destroy() was called. */
  readonly destroyed: boolean;
  /** From destroy() on (Node's `closed`). */
  readonly closed: boolean;
  /** `close` was emitted. */
  readonly closeEmitted: boolean;
  /**
   * The error the socket was destroyed with, or `null`. Node's stream code sets it (and
   * `errorEmitted`) on a stream it is about to emit `error` on; that is ignored, the
   * socket's own state stays what the views show.
   */
  errored: Error | null;
  /** `error` was emitted. Writes are ignored (see {@link errored}). */
  errorEmitted: boolean;
}

/** What `socket._readableState` shows of Node's ReadableState. */
export interface ReadableStateView extends StreamStateView {
  /** The end of the data came (the peer's FIN, or push(null)), delivered or not. */
  readonly ended: boolean;
  /** `end` was emitted. */
  readonly endEmitted: boolean;
  /** `true` flowing, `false` paused, `null` no consumer yet (`readableFlowing`). */
  readonly flowing: boolean | null;
  /** The encoding set with setEncoding(), or `null`. */
  readonly encoding: string | null;
  /** The destinations piped to, in the order of the pipe() calls (read-only). */
  readonly pipes: readonly unknown[];
}

/** What `socket._writableState` shows of Node's WritableState. */
export interface WritableStateView extends StreamStateView {
  /**
   * A write returned `false` and `drain` has not come yet (as Node's state, this stays true
   * once ending or destroyed, where no `drain` comes; `writableNeedDrain` says false then).
   */
  readonly needDrain: boolean;
  /** cork() calls not undone yet; setting it corks or uncorks to that count. */
  corked: number;
  /** end() was called. */
  readonly ending: boolean;
  /** end() was called (`writableEnded`). */
  readonly ended: boolean;
  /** Every byte was handed to the OS after end() (`writableFinished`). */
  readonly finished: boolean;
}

/** The accessors both views share, over `s`. */
function common(s: StreamStateSource, length: () => number, highWaterMark: () => number): StreamStateView {
  return {
    objectMode: false,
    autoDestroy: true,
    emitClose: false,
    constructed: true,
    get highWaterMark() {
      return highWaterMark();
    },
    get length() {
      return length();
    },
    get destroyed() {
      return s.destroyed;
    },
    get closed() {
      return s.closed;
    },
    get closeEmitted() {
      return s.closeWasEmitted_;
    },
    get errored() {
      return s.errored;
    },
    set errored(_: Error | null) {},
    get errorEmitted() {
      return s.errorWasEmitted_;
    },
    set errorEmitted(_: boolean) {},
  };
}

/**
 * Make the live `_readableState` view of a socket.
 *
 * @param s The socket.
 * @returns Accessors over its state; made once per socket, on first use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finished } from "node:stream";
 * import { createServer, connect, type AddressInfo } from "crossnet";
 *
 * const server = createServer((peer) => peer.end("bye")).listen(0, "127.0.0.1", () => {
 *   const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
 *   socket.resume();
 *   // node:stream reads _readableState: done once both sides are, as with node:net.
 *   finished(socket, (err) => {
 *     assert.equal(err, undefined);
 *     assert.equal(socket._readableState.endEmitted, true);
 *     server.close();
 *   });
 *   socket.end();
 * });
 * ```
 */
export function readableStateOf(s: StreamStateSource): ReadableStateView {
  const view = common(s, () => s.readableLength, () => s.readableHighWaterMark);
  return Object.defineProperties(view, {
    ended: { get: () => s.readEnded_, enumerable: true },
    endEmitted: { get: () => s.readableEnded, enumerable: true },
    flowing: { get: () => s.readableFlowing, enumerable: true },
    encoding: { get: () => s.readableEncoding, enumerable: true },
    pipes: { get: () => s.pipeDestinations_, enumerable: true },
  }) as ReadableStateView;
}

/**
 * Make the live `_writableState` view of a socket.
 *
 * @param s The socket.
 * @returns Accessors over its state; made once per socket, on first use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Socket } from "crossnet";
 *
 * const socket = new Socket();
 * socket._writableState.corked = 2; // as node:http does around a response
 * assert.equal(socket.writableCorked, 2);
 * socket._writableState.corked = 0;
 * assert.equal(socket.writableCorked, 0);
 * ```
 */
export function writableStateOf(s: StreamStateSource): WritableStateView {
  const view = common(s, () => s.writableLength, () => s.writableHighWaterMark);
  return Object.defineProperties(view, {
    needDrain: { get: () => s.drainDue_, enumerable: true },
    corked: {
      get: () => s.writableCorked,
      set: (n: number) => {
        const wanted = Math.max(0, Math.trunc(Number(n)) || 0);
        while (s.writableCorked < wanted) s.cork();
        // uncork() counts down; the last one sends what was held.
        while (s.writableCorked > wanted) s.uncork();
      },
      enumerable: true,
    },
    ending: { get: () => s.writableEnded, enumerable: true },
    ended: { get: () => s.writableEnded, enumerable: true },
    finished: { get: () => s.writableFinished, enumerable: true },
  }) as WritableStateView;
}
