/**
 * Web Streams over a socket: `socket.readableStream` (bytes, with backpressure through
 * pause/resume) and `socket.writableStream` (writes wait for `drain`; close ends our side).
 *
 * @module
 */

import { plainError } from "./errors.ts";

// deno-lint-ignore no-explicit-any
type Listener = (...args: any[]) => void;

/** The part of a socket the streams use. */
export interface StreamSource {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
  pause(): unknown;
  resume(): unknown;
  write(chunk: Uint8Array | string, cb?: (err?: Error | null) => void): boolean;
  end(cb?: () => void): unknown;
  destroy(err?: Error): unknown;
  readonly destroyed: boolean;
  /** The error the socket was destroyed with, if any. */
  readonly errored: Error | null;
  /** `end` was emitted. */
  readonly readableEnded: boolean;
}

/** Why a socket closed before its end: its error, else a premature close (Node's). */
function cutOff(source: StreamSource): Error {
  return source.errored ?? plainError("ERR_STREAM_PREMATURE_CLOSE");
}

/** A socket's two Web Streams, made on first use. */
export class ByteStreams {
  private source_: StreamSource;
  private readable_: ReadableStream<Uint8Array> | undefined;
  private writable_: WritableStream<Uint8Array | string> | undefined;

  constructor(source: StreamSource) {
    this.source_ = source;
  }

  /**
   * Received bytes; the stream closes at the peer's FIN and errors on a socket error, or
   * with `ERR_STREAM_PREMATURE_CLOSE` when the socket closes without an end (destroyed
   * while reading: a cut-off stream does not look complete).
   */
  get readable(): ReadableStream<Uint8Array> {
    if (this.readable_) return this.readable_;
    const source = this.source_;
    let controllerRef: ReadableStreamDefaultController<Uint8Array>;
    this.readable_ = new ReadableStream<Uint8Array>({
      start(controller) {
        controllerRef = controller;
        // Already over: ended, or destroyed (with its error, else cut off).
        if (source.readableEnded) return controller.close();
        if (source.destroyed) return controller.error(cutOff(source));
        source.on("data", (chunk: Uint8Array) => {
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 1) <= 0) source.pause();
        });
        source.once("end", () => {
          try {
            controller.close();
          } catch { /* already closed */ }
        });
        source.once("error", (err: Error) => controller.error(err));
        source.once("close", () => {
          // (After `end` it is closed already; after `error`, errored: both stay.)
          if (!source.readableEnded) controller.error(cutOff(source));
        });
      },
      pull() {
        source.resume();
      },
      cancel(reason) {
        void controllerRef;
        source.destroy(reason instanceof Error ? reason : undefined);
      },
    }, { highWaterMark: 1 });
    return this.readable_;
  }

  /**
   * Writes wait for the socket's queue to drain; `close()` ends our side (FIN); the
   * socket's errors error the stream (and no longer reach the process as uncaught).
   */
  get writable(): WritableStream<Uint8Array | string> {
    if (this.writable_) return this.writable_;
    const source = this.source_;
    this.writable_ = new WritableStream<Uint8Array | string>({
      start(controller) {
        // The socket's errors are the stream's (a failed write rejects, later ones too), not
        // the process's: the socket has a listener for them from here on, as Node's
        // Writable.toWeb() adds one.
        source.on("error", (err: Error) => controller.error(err));
      },
      write(chunk) {
        return new Promise<void>((resolve, reject) => {
          source.write(chunk, (err) => err ? reject(err) : resolve());
        });
      },
      close() {
        return new Promise<void>((resolve) => source.end(() => resolve()));
      },
      abort(reason) {
        source.destroy(reason instanceof Error ? reason : undefined);
      },
    });
    return this.writable_;
  }
}
