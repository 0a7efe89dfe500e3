/**
 * `Socket`: node:net's socket, runtime-neutral. The state machine, event order, half-close
 * rules, flowing mode, write queue with backpressure, idle timeout and byte counters live
 * here once; a {@link DriverConnection} only moves bytes.
 *
 * @module
 */

import type {
  ConnectionInfo,
  ConnectionSink,
  Driver,
  DriverConnection,
  DriverError,
} from "./driver.ts";
import {
  captureRejectionSymbol,
  catchRejection,
  directDataListener,
  Emitter,
  emitNone,
  emitOne,
  type Listener as Callback,
} from "./emitter.ts";
import {
  abortError,
  invalidArgType,
  invalidArgValue,
  missingArgs,
  outOfRange,
  plainError,
  systemError,
  invalidReturnValue,
  unknownEncoding,
  validateInt32,
  type CodedError,
} from "./errors.ts";
import { decode, normalizeEncoding, StreamDecoder, type Encoding } from "./encoding.ts";
import { asChunk, chunkPrototype, concatBytes, DEFAULT_BINARY_TYPE, type BinaryType } from "./bytes.ts";
import { Connector, type LookupFunction, type TcpTarget } from "./connector.ts";
import { DEFAULT_HIGH_WATER_MARK } from "./defaults.ts";
import { highWaterMarkOption, normalizeConnectArgs, parseOnRead, refusedStringUncounted, toBytes, validateTcpOptions, type OnRead } from "./socket_args.ts";
import { ByteStreams } from "./streams.ts";
import { callOperator, type ConcurrentOperatorOptions, type OperatorOptions, type OperatorStream } from "./stream_operators.ts";
import { blockListOption, type BlockList } from "./block_list.ts";
import { nextTick, nextTurn } from "./turn.ts";
import { noPipes, pipeInto, unpipeFrom, type PipeDestination, type Pipes } from "./pipe.ts";
import { warnOnce } from "./warnings.ts";
import { readableStateOf, writableStateOf, type ReadableStateView, type WritableStateView } from "./stream_state.ts";

/** Options of `new Socket()`. */
export interface SocketOptions {
  /** Keep our side writable after the peer's FIN (default `false`: end it too). */
  allowHalfOpen?: boolean;
  /** Abort signal: aborting destroys the socket with an `AbortError`. */
  signal?: AbortSignal;
  /** Disable Nagle's algorithm once connected. */
  noDelay?: boolean;
  /** Enable TCP keep-alive once connected. */
  keepAlive?: boolean;
  /** Keep-alive initial delay in ms. */
  keepAliveInitialDelay?: number;
  /**
   * The type-of-service byte (0 to 255) to set once connected, as {@link
   * Socket.setTypeOfService} before the connect does (Node 24.15's option).
   */
  typeOfService?: number;
  /** Both high-water marks, in bytes (default 64 KiB). */
  highWaterMark?: number;
  /** Buffered incoming bytes at which reading from the peer stops (overrides `highWaterMark`). */
  readableHighWaterMark?: number;
  /** Queued outgoing bytes at which `write` returns `false` (overrides `highWaterMark`). */
  writableHighWaterMark?: number;
  /** Decode data to strings with this encoding (same as `setEncoding`). */
  encoding?: string;
  /**
   * Refuse to connect to the addresses this list blocks (`ERR_IP_BLOCKED`). Read by
   * `new Socket()` and `connect()`, not by `socket.connect()`.
   */
  blockList?: BlockList;
  /** `"buffer"` (default where `Buffer` exists) or `"uint8array"` for plain chunks. */
  binaryType?: BinaryType;
  /**
   * Read into one buffer of yours instead of getting `data` events (node:net's `onread`):
   * no chunk is allocated per read. `end`, `error` and `close` come as usual; what you
   * `push()` still comes as `data`.
   */
  onread?: OnReadOptions;
  /**
   * node:events' option: a listener's rejected promise (an `async` listener that throws)
   * destroys the socket with it, as a Node stream's does, instead of going unhandled.
   * Without it, node:events' global `captureRejections` decides.
   */
  captureRejections?: boolean;
}

/**
 * node:net's `onread` option: incoming bytes are copied into `buffer` and `callback` is
 * told how many; `data` events carry nothing.
 *
 * @example
 * ```ts
 * import { connect } from "crossnet";
 * const buffer = new Uint8Array(64 * 1024);
 * let total = 0;
 * const socket = connect({
 *   port: 8124,
 *   host: "127.0.0.1",
 *   onread: { buffer, callback: (n) => { total += n; } },
 * });
 * socket.on("end", () => console.log(`${total} bytes`));
 * socket.on("error", (err) => console.error(err.message));
 * ```
 */
export interface OnReadOptions {
  /**
   * The buffer bytes are copied into (reused for every read), or a function returning the
   * buffer to use next (called before the first read and after each callback).
   */
  buffer: Uint8Array | (() => Uint8Array);
  /**
   * Called for every read with the number of bytes copied to the start of `buffer`.
   * Returning `false` stops reading until `resume()` (Node's implicit pause).
   */
  callback: (bytesWritten: number, buffer: Uint8Array) => boolean | void;
}

/** Options of `socket.connect()` / `net.connect()` for TCP. */
export interface TcpSocketConnectOptions extends SocketOptions {
  /** The port to connect to (a number or numeric string, 0 to 65535). */
  port: number | string;
  /** Host name or IP address to connect to (default `"localhost"`). */
  host?: string;
  /** The local IP address to connect from. */
  localAddress?: string;
  /** The local port to connect from. */
  localPort?: number;
  /** IP family to resolve `host` to: 4, 6 (or `"IPv4"`, `"IPv6"`), or 0 for both. */
  family?: number | string;
  /** `dns.lookup` hints flags (`dns.ADDRCONFIG`...). */
  hints?: number;
  /** Resolver to use instead of the system's (`dns.lookup`'s signature). */
  lookup?: LookupFunction;
  /** Try every resolved address, families interleaved (Happy Eyeballs). */
  autoSelectFamily?: boolean;
  /** Happy Eyeballs: ms an attempt gets before the next address is tried (10 at least). */
  autoSelectFamilyAttemptTimeout?: number;
  /** Idle timeout set before connecting (same as `setTimeout`). */
  timeout?: number;
}

/** Options of `socket.connect()` / `net.connect()` for a Unix-domain socket. */
export interface IpcSocketConnectOptions extends SocketOptions {
  /** The Unix-domain socket's path (a leading `\0` makes it abstract, on Linux). */
  path: string;
  /** Idle timeout set before connecting (same as `setTimeout`). */
  timeout?: number;
}

/** Either kind of connect options. */
export type SocketConnectOptions = TcpSocketConnectOptions | IpcSocketConnectOptions;

/** What `address()` returns. */
export interface AddressInfo {
  /** The local IP address. */
  address: string;
  /** `"IPv4"` or `"IPv6"`. */
  family: string;
  /** The local port. */
  port: number;
}

/** Addresses a connected socket reports through `socket.opened` (a copy of its ends). */
export type OpenedInfo = ConnectionInfo;

interface QueuedWrite {
  bytes: Uint8Array;
  /** What it counts in `writableLength`: string length for strings, as Node counts. */
  size: number;
  cb: Callback | undefined;
  /** Refused at once on its own, its bytes leave bytesWritten (see refusedStringUncounted). */
  uncounted: boolean;
}

/** Internal hooks a Server uses on the sockets it accepts. Not part of the public API. */
export const kAccept: unique symbol = Symbol("crossnet.accept");
/** Internal: the server told when the socket closes. */
export const kServer: unique symbol = Symbol("crossnet.server");

/**
 * The server side of a socket, as {@link Socket} sees it: how an accepted socket tells its
 * server that it closed. Internal plumbing that `Server` implements; not for user code.
 */
export interface SocketOwner {
  /** Called once, when the accepted `socket` is destroyed (before its `close` event). */
  socketClosed(socket: Socket): void;
}

const COALESCE_LIMIT = 64 * 1024;
const EMPTY = new Uint8Array(0);
/** No writes: what inFlight_ holds between batches. Frozen: nothing may add to it. */
const NONE: QueuedWrite[] = Object.freeze([]) as unknown as QueuedWrite[];
/** No end() callbacks, frozen likewise. */
const NO_CALLBACKS: Callback[] = Object.freeze([]) as unknown as Callback[];

/** What destroy() leaves to fail (see `Socket.unsettled_`): emptied once settled. */
interface Unsettled {
  queued: QueuedWrite[];
  ends: Callback[];
  /** The error they fail with (else ERR_STREAM_DESTROYED). */
  cause: Error | undefined;
  /** The socket's connection they belong to (see `life_`). */
  life: number;
}

/** An Unsettled's lists once settled. */
const NONE_LEFT: never[] = Object.freeze([]) as unknown as never[];

/**
 * A TCP or Unix-domain socket with `net.Socket`'s API and behaviour: events `lookup`,
 * `connectionAttempt*`, `connect`, `ready`, `data`, `end`, `finish`, `drain`, `timeout`,
 * `error`, `close(hadError)`, the write-queue boolean, half-close, encodings.
 *
 * @example
 * ```ts
 * import { Socket } from "crossnet";
 * const socket = new Socket();
 * socket.connect(80, "127.0.0.1", () => socket.end("GET / HTTP/1.0\r\n\r\n"));
 * socket.on("data", (chunk) => console.log(chunk.toString()));
 * socket.on("error", (err) => console.error(err.message));
 * ```
 */
export class Socket extends Emitter implements ConnectionSink {
  /** `true` from `connect()` until `connect` (or failure). */
  connecting = false;

  // Every read and every write touches these: declared together, so that they share
  // two or three cache lines (with 500 connections, a socket's fields are cold).
  private destroyed_ = false;
  private bytesRead_ = 0;
  /** A `data` event was emitted (readableDidRead). */
  private dataEmitted_ = false;
  private timeoutMs_ = 0;
  private flowing_: boolean | null = null;
  private readBufferLength_ = 0;
  private flowScheduled_ = false;
  /** The readable side ended: the peer's FIN came, or `push(null)`. */
  private eof_ = false;
  private decoder_: StreamDecoder | null = null;
  private binaryType_: BinaryType;
  /** The prototype of a chunk of binaryType_: a chunk that has it is handed out as it is. */
  private chunkPrototype_: object;
  /** node:net's `onread`: bytes go into the user's buffer, no `data` events. */
  private onread_: OnRead | null = null;
  private ending_ = false;
  private conn_: DriverConnection | null = null;
  private bytesWritten_ = 0;
  private writableLength_ = 0;
  private writableHwm_: number;
  private needDrain_ = false;
  private writing_ = false;
  /** Writes waiting for the one in flight (or for `connect`); `null` when there are none. */
  private queue_: QueuedWrite[] | null = null;
  private solo_ = false;
  private soloSize_ = 0;
  private soloCb_: Callback | undefined;
  private inWrite_ = false;
  /**
   * The queued writes are going out ahead of a finished write's `drain` and callbacks
   * (Node's onwrite): one that finishes at once is called back a tick later.
   */
  private writingAhead_ = false;
  /** A write sent ahead finished at once; its callbacks are due a tick later. */
  private aheadDone_ = false;
  /**
   * While connecting, once a write was dispatched as Node's first (with its `connect` and
   * `close` listeners, see sendOnConnect_): the `close` listener, which settles the writes if
   * the connection never comes, and how many queued writes that first one is (the rest wait
   * behind it; -1: written corked, nothing dispatched yet).
   */
  private closeWait_: (() => void) | undefined;
  private firstBatch_ = 0;
  /**
   * Node's stream has asked to read (called _read: resume()'s read a tick later, or the
   * read at `connect` when not paused; an accepted socket at once, unless pauseOnConnect).
   * Until then it is `sync`: a pushed chunk waits a tick, a pushed end can be taken back by
   * destroy().
   */
  private readStarted_ = false;
  /** A read was asked while connecting (resume()'s): reading starts at `connect`, paused or not. */
  private readAsked_ = false;
  /** `onread`: paused, but reading as Node's handle still does (see _connected). */
  private onreadUnpaused_ = false;
  /** A readMore_() tick is queued (Node's `readingMore`). */
  private readMoreDue_ = false;
  /** Destroyed with chunks buffered and no flow due: they are never emitted (see flow_). */
  private readStale_ = false;
  /** A Unix-domain socket (connected to a path, or accepted by a server on one). */
  private pipe_ = false;
  /**
   * What those listeners settle (the `close` one, or the `connect` one when an earlier
   * `connect` listener destroyed the socket), handed over by destroy().
   */
  private unsent_: { queued: QueuedWrite[]; ends: Callback[] } | undefined;
  /**
   * The write the driver is writing, as the idle timer last saw it: its size when it went
   * out, then the bytes the OS had not taken at the timer's last look (writeQueueSize).
   */
  private flightBytes_ = 0;
  /**
   * The write in flight when it went straight to the driver (nothing queued, the common
   * case): its size and callback live in solo_, soloSize_ and soloCb_, not in a queue
   * entry. Written at once (the driver's write returned `true`), it is finished inside
   * write(); otherwise the driver reports to `soloDone_`, made once per connection. No
   * allocation per write.
   */
  private soloDone_: ((err?: DriverError) => void) | undefined;
  /** A solo write's finish is due a tick later (afterSoloLater_), with this callback. */
  /** cork() calls not yet undone by uncork(): writes wait in queue_ meanwhile. */
  private corked_ = 0;
  /** setDefaultEncoding(): how strings written without an encoding are encoded. */
  private defaultEncoding_: string | undefined;
  /**
   * The error the socket was destroyed with, or a write's that the OS refused at once
   * (then the socket is destroyed a tick later, as in Node), for `errored`.
   */
  private errored_: Error | null = null;
  /** The solo write failed inside write() (a synchronous refusal). */
  private soloRefused_ = false;
  /** destroy() is cancelling the write in flight: it fails (ECANCELED) a turn later. */
  private cancelPending_ = false;
  /**
   * The single connect attempt just failed (`connectionAttemptFailed` is being emitted):
   * Node's socket still has its handle then, so it is not `pending`.
   */
  private attemptFailed_ = false;
  private laterDue_ = false;
  private laterCb_: Callback | undefined;
  private afterLater_: (() => void) | undefined;

  /** Keep our side writable after the peer's FIN. */
  allowHalfOpen: boolean;
  /** The idle timeout in ms set by `setTimeout`, `undefined` before. */
  timeout: number | undefined = undefined;
  /** The server that accepted this socket; `null` for a socket of our own (as Node's). */
  server: unknown = null;
  /** Addresses tried by a multi-address connect, as `ip:port`. */
  autoSelectFamilyAttemptedAddresses: string[] | undefined = undefined;

  private driver_: Driver;
  private connector_: Connector | null = null;
  private blockList_: BlockList | undefined;
  /**
   * Both ends' addresses, asked of the driver the first time the user reads one (as Node
   * calls getsockname/getpeername on first use): `null` until then. Most connections never
   * ask, and asking costs a runtime two system calls or a few objects.
   */
  private info_: ConnectionInfo | null = null;
  private peerCache_: ConnectionInfo | null = null;
  private owner_: SocketOwner | null = null;

  private closeEmitted_ = false;
  /** Connections so far, counted by connect() after a destroy: a late `close` knows its own. */
  private life_ = 0;
  private errorEmitted_ = false;
  private hadError_ = false;
  private everConnected_ = false;

  // Readable side.
  private paused_: boolean | null = null;
  /**
   * Chunks not delivered yet (paused, or no consumer), pushed or put back ones too. With
   * `onread`, only pushed and put back ones (Node's Readable buffer): the peer's bytes wait
   * in {@link onreadHeld_}.
   */
  private readBuffer_: Array<Uint8Array | Verbatim> = [];
  private readableHwm_: number;
  private driverPaused_ = false;
  /**
   * A read failure the driver reported while reading was paused, reported once it reads
   * again: Node's paused socket is not reading (readStop), and learns of a reset only then,
   * or from a write.
   */
  private readFailure_: DriverError | undefined;
  /** The driver reported the peer's FIN while reading was paused: delivered on resume. */
  private eofHeld_ = false;
  /** eof_ came from `push(null)`, not from the peer: its FIN may still come, and bytes. */
  private pushedEof_ = false;
  private endEmitted_ = false;
  private endScheduled_ = false;
  /** `onread.callback` returned `false`: no reading until `resume()`. */
  private onreadStopped_ = false;
  /**
   * `onread`: the peer's bytes the driver read while paused or stopped, for the callback
   * once reading goes on (Node's handle leaves them with the OS; a driver may read ahead).
   */
  private onreadHeld_: Uint8Array[] | null = null;
  /** The bytes in {@link onreadHeld_}. */
  private onreadHeldLength_ = 0;
  /** `onread`: the buffer the driver is reading into, if it asked for one. */
  private lent_: Uint8Array | undefined;

  // Writable side.
  /** The queued batch the driver is writing ({@link NONE} when none: never mutated). */
  private inFlight_: QueuedWrite[] = NONE;
  /**
   * Node's writev split for size: the writes of its parts already written, accounted for
   * (writableLength, callbacks) with its last part, as Node does with its one writev; and
   * how many queued writes still belong to it.
   */
  private carried_: QueuedWrite[] | undefined;
  private carriedLeft_ = 0;
  /** How many queued writes belong to the batch in flight (the rest of its split writev). */
  private inFlightBehind_ = 0;
  private shutdownStarted_ = false;
  /** end() on a socket that never connected: its `finish` is due, destroyed or not. */
  private finishDue_ = false;
  /** end() came after `end`: no shutdown of its own, the close that follows sends the FIN. */
  private finDeferred_ = false;
  private finished_ = false;
  private endCallbacks_: Callback[] = [];
  /**
   * What destroy() left to fail, with nothing in flight: queued writes and end()'s
   * callbacks, settled a tick after it, or sooner by a finished write's callback (see
   * settleDestroyed_).
   */
  private unsettled_: Unsettled | undefined = undefined;
  private writeAfterFin_ = false;
  private flushOnConnect_ = false;
  private hadHandle_ = false;

  // Options applied once connected.
  private noDelay_: boolean | undefined;
  private keepAlive_ = false;
  private keepAliveDelay_ = 0;
  /** The type-of-service byte setTypeOfService() was given, `undefined` before. */
  private tos_: number | undefined;
  private unref_ = false;

  // Idle timeout.
  private timer_: ReturnType<typeof setTimeout> | undefined;
  private lastActive_ = 0;

  private streams_: ByteStreams | undefined;
  private opened_: Promise<OpenedInfo> | undefined;
  private closedPromise_: Promise<void> | undefined;

  /** @internal Use `new Socket(options)` from `crossnet`, bound to a driver. */
  constructor(driver: Driver, options: SocketOptions = {}) {
    super();
    // Node's `new Socket(options)` takes a number as a file descriptor and reads anything
    // else as its spread would be (`{ ...options }`: null, `true` or a string give none).
    if (typeof options === "number") options = { fd: options } as SocketOptions;
    else if (options === null || (typeof options !== "object" && typeof options !== "function")) options = {};
    const anyOptions = options as Record<string, unknown>;
    if (anyOptions.fd !== undefined) {
      if (typeof anyOptions.fd !== "number") throw invalidArgType("fd", "number", anyOptions.fd);
      if (!Number.isInteger(anyOptions.fd)) throw outOfRange("fd", "an integer", anyOptions.fd);
      if (anyOptions.fd < 0 || anyOptions.fd > 2147483647) {
        throw outOfRange("fd", ">= 0 && <= 2147483647", anyOptions.fd);
      }
    }
    if (anyOptions.objectMode || anyOptions.readableObjectMode || anyOptions.writableObjectMode) {
      for (const key of ["objectMode", "readableObjectMode", "writableObjectMode"]) {
        if (anyOptions[key]) throw invalidArgValue(`options.${key}`, anyOptions[key], "is not supported");
      }
    }
    if (options.keepAliveInitialDelay !== undefined && typeof options.keepAliveInitialDelay !== "number") {
      throw invalidArgType("options.keepAliveInitialDelay", "number", options.keepAliveInitialDelay);
    }
    if (anyOptions.fd !== undefined || anyOptions.handle !== undefined) {
      throw invalidArgValue(
        "options.fd",
        anyOptions.fd ?? anyOptions.handle,
        "is not supported by crossnet (sockets are opened by connect or a Server)",
      );
    }
    this.driver_ = driver;
    this.allowHalfOpen = Boolean(options.allowHalfOpen);
    // Node's Duplex: the readable side's, then the writable side's.
    this.readableHwm_ = highWaterMarkOption(options, "readableHighWaterMark");
    this.writableHwm_ = highWaterMarkOption(options, "writableHighWaterMark");
    // Node's Duplex passes its options on to EventEmitter, which reads this one.
    this.captureRejectionsOption_(anyOptions.captureRejections);
    this.binaryType_ = options.binaryType ?? DEFAULT_BINARY_TYPE;
    this.chunkPrototype_ = chunkPrototype(this.binaryType_);
    if (options.encoding !== undefined && options.encoding !== null) {
      this.setEncoding(options.encoding);
    }
    this.onread_ = parseOnRead(options.onread);
    // Read here only, as Node does: `connect(options)` on an existing socket ignores it.
    this.blockList_ = blockListOption(options.blockList);
    if (options.noDelay) this.noDelay_ = true;
    if (options.keepAlive) {
      this.keepAlive_ = true;
      this.keepAliveDelay_ = Math.trunc((options.keepAliveInitialDelay ?? 0) / 1000) * 1000;
    }
    const tos: unknown = options.typeOfService;
    if (tos !== undefined) {
      validateInt32(tos, "options.typeOfService", 0, 255);
      this.tos_ = tos;
    }
    const signal = options.signal;
    // Only a truthy `signal` is looked at (Node's `if (options.signal)`): null, 0 or "" is none.
    if (signal) {
      if (typeof signal !== "object" || !("aborted" in signal)) {
        throw invalidArgType("signal", "AbortSignal", signal);
      }
      const onAbort = () => this.destroy(abortError(signal.reason));
      if (signal.aborted) nextTick(onAbort);
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        this.once("close", () => signal.removeEventListener("abort", onAbort));
      }
    }
  }

  // ---------------------------------------------------------------- state

  /** `true` once destroyed. */
  get destroyed(): boolean {
    return this.destroyed_;
  }

  /** `true` until connected (also while connecting), and again once destroyed (no handle). */
  get pending(): boolean {
    return (this.conn_ === null && !this.attemptFailed_) || this.connecting || this.destroyed_;
  }

  /** Whether data can still be read (no EOF delivered, not destroyed). */
  get readable(): boolean {
    return !this.destroyed_ && !this.errorEmitted_ && !this.endEmitted_;
  }

  /** Whether data can still be written (`end()` not called, not destroyed). */
  get writable(): boolean {
    return !this.destroyed_ && !this.ending_ && this.errored_ === null;
  }

  /** `"opening"`, `"open"`, `"readOnly"`, `"writeOnly"` or `"closed"`. */
  get readyState(): "opening" | "open" | "readOnly" | "writeOnly" | "closed" {
    if (this.connecting) return "opening";
    const r = this.readable;
    const w = this.writable;
    if (r && w) return "open";
    if (r) return "readOnly";
    if (w) return "writeOnly";
    return "closed";
  }

  /** Bytes received. */
  get bytesRead(): number {
    return this.bytesRead_;
  }

  /** Bytes written, including bytes still queued. */
  get bytesWritten(): number {
    return this.bytesWritten_;
  }

  /** Bytes queued for writing and not yet handed to the OS. */
  get writableLength(): number {
    return this.writableLength_;
  }

  /**
   * Old name of {@link writableLength} (deprecated in Node), as node:net has it: only while
   * the socket has a handle (from `connect()`, or accepted, until destroyed), else
   * `undefined`.
   */
  get bufferSize(): number | undefined {
    return !this.destroyed_ && (this.connecting || this.conn_ !== null) ? this.writableLength_ : undefined;
  }

  /** The write high-water mark: `write` returns `false` past it. */
  get writableHighWaterMark(): number {
    return this.writableHwm_;
  }

  /** The read high-water mark: reading pauses when this much is buffered. */
  get readableHighWaterMark(): number {
    return this.readableHwm_;
  }

  /** Bytes received and not yet delivered (paused). */
  get readableLength(): number {
    return this.readBufferLength_;
  }

  /** `true` once `end()` was called. */
  get writableEnded(): boolean {
    return this.ending_;
  }

  /** `true` once every byte and the FIN were handed to the OS (`finish`). */
  get writableFinished(): boolean {
    return this.finished_;
  }

  /**
   * `true` when a write returned `false` and `drain` has not come yet; `false` once ending
   * or destroyed, when no `drain` will come (Node's getter).
   */
  get writableNeedDrain(): boolean {
    return this.needDrain_ && !this.ending_ && !this.destroyed_;
  }

  /** How many cork() calls wait for their uncork() (0: not corked). */
  get writableCorked(): number {
    return this.corked_;
  }

  /**
   * @internal Node's WritableState, as much of it as code written for node:net reads or
   * sets on a socket (node:http: `needDrain`, `corked`; node:stream: `finished`, `errored`,
   * ...), live. See src/stream_state.ts.
   */
  get _writableState(): WritableStateView {
    return this.writableState_ ??= writableStateOf(this);
  }

  /**
   * @internal Node's ReadableState, as much of it as code written for node:net reads on a
   * socket (node:stream's finished() and pipeline() tell a Duplex by it and wait for its
   * `endEmitted`; `ws` reads it when its socket closes), live. See src/stream_state.ts.
   */
  get _readableState(): ReadableStateView {
    return this.readableState_ ??= readableStateOf(this);
  }

  /** The view {@link _writableState} returns, made on first use. */
  private writableState_: WritableStateView | undefined;
  /** The view {@link _readableState} returns, made on first use. */
  private readableState_: ReadableStateView | undefined;

  /** @internal For {@link _readableState}: the peer's FIN or push(null) came, delivered or not. */
  get readEnded_(): boolean {
    return this.eof_;
  }

  /**
   * @internal For {@link _writableState}: a write returned `false` and `drain` has not come
   * (Node's state keeps it once ending or destroyed, where `writableNeedDrain` says false).
   */
  get drainDue_(): boolean {
    return this.needDrain_;
  }

  /** @internal For the stream-state views: `error` was emitted. */
  get errorWasEmitted_(): boolean {
    return this.errorEmitted_;
  }

  /** @internal For the stream-state views: `close` was emitted. */
  get closeWasEmitted_(): boolean {
    return this.closeEmitted_;
  }

  /** Always `false`: a socket carries bytes, not objects. */
  get writableObjectMode(): boolean {
    return false;
  }

  /** Always `false`: a socket carries bytes, not objects. */
  get readableObjectMode(): boolean {
    return false;
  }

  /** The error the socket was destroyed with, `null` while there is none. */
  get errored(): Error | null {
    return this.errored_;
  }

  /** `true` once `end` was emitted. */
  get readableEnded(): boolean {
    return this.endEmitted_;
  }

  /** `true` once a `data` event was emitted (Readable's `readableDidRead`). */
  get readableDidRead(): boolean {
    return this.dataEmitted_;
  }

  /**
   * `true` when the socket was destroyed or errored before `end` (Readable's
   * `readableAborted`): the peer's data did not all arrive.
   */
  get readableAborted(): boolean {
    return (this.destroyed_ || this.errored_ !== null) && !this.endEmitted_;
  }

  /** `true` (flowing), `false` (paused) or `null` (no consumer yet). */
  get readableFlowing(): boolean | null {
    return this.flowing_;
  }

  /**
   * Set the flowing state as Node's setter does, and nothing else (no `pause` or `resume`
   * event, no flow started): `null` hands the socket over to a reader still to come, whose
   * `data` listener or resume() starts the flow (node:http's upgrade and CONNECT do so
   * before giving a socket to the `upgrade` listener); meanwhile what arrives is buffered.
   */
  set readableFlowing(state: boolean | null) {
    this.flowing_ = state === null || state === undefined ? null : Boolean(state);
    // node:http, while it serves a socket, puts its own `on`, `addListener` and
    // `prependListener` on it (wrappers of node:net's, to unconsume its parser), and sets
    // this to null when it hands the socket to an `upgrade` or `connect` listener. node:net's
    // methods cannot work on crossnet's socket: its own come back then.
    if (state === null) {
      const own = this as unknown as Record<string, unknown>;
      for (const key of HTTP_WRAPPED) if (Object.hasOwn(this, key)) delete own[key];
    }
  }

  /** The encoding set with `setEncoding`, or `null`. */
  get readableEncoding(): Encoding | null {
    return this.decoder_?.encoding ?? null;
  }

  /** Local IP address, once connected. */
  get localAddress(): string | undefined {
    return this.hasEnds_() ? this.ends_().localAddress : undefined;
  }

  /** Local port, once connected. */
  get localPort(): number | undefined {
    return this.hasEnds_() ? this.ends_().localPort : undefined;
  }

  /** `"IPv4"` or `"IPv6"`, once connected. */
  get localFamily(): string | undefined {
    return this.hasEnds_() ? this.ends_().localFamily : undefined;
  }

  /** Remote IP address, once connected (kept after close once read, as Node does). */
  get remoteAddress(): string | undefined {
    return this.peer_().remoteAddress;
  }

  /** Remote port. */
  get remotePort(): number | undefined {
    return this.peer_().remotePort;
  }

  /** `"IPv4"` or `"IPv6"`. */
  get remoteFamily(): string | undefined {
    return this.peer_().remoteFamily;
  }

  /** Connected and not destroyed: the ends can be asked (Node: a live handle). */
  private hasEnds_(): boolean {
    return this.conn_ !== null && !this.connecting && !this.destroyed_;
  }

  /** Both ends' addresses; only while {@link hasEnds_}. */
  private ends_(): ConnectionInfo {
    return (this.info_ ??= this.conn_!.info());
  }

  /** The remote end, cached once asked (Node keeps `_peername` past close). */
  private peer_(): ConnectionInfo {
    if (this.hasEnds_()) this.peerCache_ ??= this.ends_();
    return this.peerCache_ ?? {};
  }

  /**
   * The bound address: `{ address, family, port }` for TCP, `{}` before connecting or
   * after close.
   */
  address(): AddressInfo | Record<string, never> {
    if (!this.hasEnds_()) return {};
    const ends = this.ends_();
    if (ends.localAddress === undefined) return {};
    return {
      address: ends.localAddress,
      family: ends.localFamily ?? "",
      port: ends.localPort ?? 0,
    };
  }

  // ---------------------------------------------------------------- connect

  /**
   * Open a connection: `connect(port[, host][, listener])`, `connect(path[, listener])`
   * or `connect(options[, listener])`.
   */
  connect(options: SocketConnectOptions, connectListener?: () => void): this;
  /** Connect over TCP to `host` (default `localhost`) on `port`. */
  connect(port: number | string, host?: string, connectListener?: () => void): this;
  /** Connect over TCP to `localhost` on `port`. */
  connect(port: number | string, connectListener?: () => void): this;
  /** Connect to the Unix-domain socket at `path`. */
  connect(path: string, connectListener?: () => void): this;
  // deno-lint-ignore no-explicit-any
  connect(...args: any[]): this {
    const normalized = normalizeConnectArgs(args);
    const options = normalized[0];
    const cb = normalized[1];
    const given = options as { port?: unknown; path?: unknown };
    if (given.port === undefined && (given.path === undefined || given.path === null)) {
      throw missingArgs(["options", "port", "path"]);
    }
    if (this.destroyed_) this.undestroy_();
    const path = (options as IpcSocketConnectOptions).path;
    let tcp: Parameters<Connector["connectTcp"]>[0] | undefined;
    if (path) {
      if (typeof path !== "string") throw invalidArgType("options.path", "string", path);
    } else {
      tcp = validateTcpOptions(options as TcpSocketConnectOptions);
    }
    if (this.connecting || this.conn_ !== null) return this.connectAgain_(tcp ?? path, cb);
    if (cb) this.once("connect", cb);
    this.connecting = true;
    this.hadHandle_ = true;
    this.pipe_ = tcp === undefined;
    this.touch_();
    const connector = new Connector(this.driver_, this, this);
    this.connector_ = connector;
    if (tcp) {
      tcp.blockList = this.blockList_;
      connector.connectTcp(tcp);
    } else connector.connectPath(path);
    return this;
  }

  /**
   * connect() on a socket that is connecting or connected, which node:net documents as
   * undefined behaviour; this is what Node does (its handle is asked to connect again):
   * `cb` waits for `connect`, and a tick later a socket still connecting is destroyed
   * with `EALREADY` (the first attempt abandoned), while a connected one keeps its
   * connection, whatever the new address, and emits `connect` and `ready` again.
   */
  private connectAgain_(target: TcpTarget | string, cb: (() => void) | undefined): this {
    if (cb) this.once("connect", cb);
    this.connecting = true;
    const life = this.life_;
    nextTick(() => {
      if (this.destroyed_ || this.life_ !== life || !this.connecting) return;
      if (this.conn_ === null) {
        const err = typeof target === "string"
          ? systemError("EALREADY", "connect", "host-port", target)
          : systemError("EALREADY", "connect", "host-port", target.host, target.port);
        this.destroy(err);
        return;
      }
      this.connecting = false;
      emitNone(this, "connect");
      emitNone(this, "ready");
      if (!this.destroyed_) this.flush_();
    });
    return this;
  }

  /** Back to the state of a new socket, for a connect() after close (Node allows it). */
  private undestroy_() {
    this.life_++;
    this.destroyed_ = false;
    // (A write of the last connection being cancelled is that connection's business.)
    this.cancelPending_ = false;
    this.onreadUnpaused_ = false;
    // (What the last connection left unread is that connection's too.)
    this.dropBuffered_();
    // Not errored any more (Node's _undestroy), and the extras' promises are the new
    // connection's.
    this.errored_ = null;
    this.capturedError_ = undefined;
    this.opened_ = undefined;
    this.closedPromise_ = undefined;
    this.attemptFailed_ = false;
    this.readAsked_ = false;
    // A new connection counts from 0 (Node's counts are its new handle's).
    this.bytesRead_ = 0;
    this.bytesWritten_ = 0;
    this.closeEmitted_ = false;
    this.errorEmitted_ = false;
    this.hadError_ = false;
    this.eof_ = false;
    this.pushedEof_ = false;
    this.endEmitted_ = false;
    this.endScheduled_ = false;
    this.ending_ = false;
    this.shutdownStarted_ = false;
    this.finDeferred_ = false;
    this.finished_ = false;
    this.writeAfterFin_ = false;
    this.conn_ = null;
    this.info_ = null;
    this.peerCache_ = null;
  }

  /** @internal The only connect attempt failed; the socket is destroyed right after. */
  _attemptFailed(): void {
    this.connecting = false;
    this.attemptFailed_ = true;
  }

  /** @internal The connector failed: destroyed with its error. */
  _connectFailed(err: Error): void {
    this.connector_ = null;
    this.destroy(err);
  }

  /** @internal The connector got a connection: adopt it, or close it if the socket was destroyed meanwhile. */
  _connected(conn: DriverConnection): void {
    this.connector_ = null;
    if (this.destroyed_) {
      conn.close();
      return;
    }
    // The driver starts paused: no read begins before the listeners of `connect` and
    // `ready` have had their say (Node's handle starts reading after them, and not at all
    // if they paused the socket), so that none of the peer's bytes, nor its FIN, is taken
    // from the OS until resume().
    this.attach_(conn, true);
    this.connecting = false;
    this.everConnected_ = true;
    // Corked writes nothing sent while connecting: queued writes as any (Node's buffer).
    if (this.firstBatch_ === -1) this.firstBatch_ = 0;
    // (The driver stays paused while they run: a pause() there stops nothing, as Node's
    // handle is not reading yet; what follows decides.)
    emitNone(this, "connect");
    emitNone(this, "ready");
    // Node's afterConnect starts reading (read(0)) unless the socket is paused by now; a
    // read asked for while connecting (resume()'s) starts it anyway. Paused, or ended by
    // push(null) (the first read finds the stream ended), nothing is read, not even the
    // peer's FIN, until resume().
    if (!this.destroyed_) {
      if (this.readAsked_ || !(this.eof_ || this.isPaused())) {
        this.readStarted_ = true;
        // `onread` paused inside `connect`: Node's handle reads all the same, and its
        // reads go to the callback, until a pause() stops it.
        if (this.onread_ !== null && this.paused_ === true) this.onreadUnpaused_ = true;
        if (this.driverPaused_) this.resumeDriver_();
      } else if (!this.isPaused()) {
        // Ended by push(null) while connecting, and not paused: Node's read(0) finds the
        // stream ended, so `end` comes (nothing buffered) and nothing is read; but with
        // `onread`, node:net's read() starts the handle all the same, for the callback.
        this.maybeEnd_(true);
        if (this.onread_ !== null) {
          this.readStarted_ = true;
          if (this.driverPaused_) this.resumeDriver_();
        } else this.pauseDriver_();
      } else this.pauseDriver_();
    }
    this.readAsked_ = false;
    if (!this.flushOnConnect_) this.flush_();
    if (this.ending_ && this.queue_ === null) this.maybeShutdown_();
  }

  /** Take `conn` as this socket's connection and start reading (unless `paused`). */
  private attach_(conn: DriverConnection, paused = false) {
    this.conn_ = conn;
    this.info_ = null;
    this.soloDone_ = (err) => this.onSoloDone_(conn, err);
    if (this.noDelay_ !== undefined) conn.setNoDelay(this.noDelay_);
    if (this.keepAlive_) conn.setKeepAlive(true, this.keepAliveDelay_);
    if (this.tos_ !== undefined) this.applyTypeOfService_(conn, this.tos_);
    if (this.unref_) conn.unref();
    this.touch_();
    // Read only while someone consumes (or while the buffer has room): Node's semantics.
    this.driverPaused_ = paused;
    this.readFailure_ = undefined;
    this.eofHeld_ = false;
    if (paused) conn.pause();
    conn.start(this);
  }

  /** @internal Adopt a connection accepted by a server. */
  _adopt(
    conn: DriverConnection,
    owner: SocketOwner,
    pauseOnConnect: boolean,
    info?: ConnectionInfo,
    pipe = false,
  ): void {
    this.owner_ = owner;
    this.pipe_ = pipe;
    this.everConnected_ = true;
    this.hadHandle_ = true;
    if (pauseOnConnect) {
      this.flowing_ = false;
      this.paused_ = true;
    } else this.readStarted_ = true; // Node's constructor reads (read(0)) a handle it is given
    this.attach_(conn);
    // The ends, when the server already asked the driver for them (its blockList).
    if (info !== undefined) this.info_ = info;
    if (pauseOnConnect) this.pauseDriver_();
  }

  // ---------------------------------------------------------------- reading

  /**
   * @internal The driver's sink: bytes arrived. Counted, then delivered, or buffered while
   * paused.
   *
   * The usual chunk (one `data` listener, no encoding, a chunk already of the binary type,
   * emit() not replaced) goes to the listener from here, as emit() would call it: each
   * function on this path is one more that the JIT compilers compile per process, and in
   * runs of about a second that compile time is part of the cost (Bun: ~25 ms against ~2
   * for a native loop, before this path was shortened).
   */
  _data(chunk: Uint8Array): void {
    // The usual chunk, in a body kept small: the JIT compilers compile it (and whatever they
    // inline into it) once per process, and on Bun that compile time competes with the
    // socket's own work (ping-pong: ~4 ms less of it than with everything here).
    if (
      this.flowing_ === true && this.readBufferLength_ === 0 && !this.flowScheduled_ &&
      this.onread_ === null && this.decoder_ === null && !this.destroyed_ && !this.eof_
    ) {
      const listener = directDataListener(this);
      if (listener !== undefined && Object.getPrototypeOf(chunk) === this.chunkPrototype_) {
        this.bytesRead_ += chunk.byteLength;
        if (this.timeoutMs_ !== 0) this.touch_();
        this.dataEmitted_ = true;
        const result: unknown = listener.call(this, chunk);
        // A promise (an async listener): its rejection may be the socket's to capture.
        if (typeof result === "object" ? result !== null : typeof result === "function") {
          catchRejection(this, result, "data", 1, chunk, undefined);
        }
        // push(null) from the listener: no more reading (Node's push of this chunk returns
        // `false` then, and its handle stops reading).
        if (this.eof_) this.pauseDriver_();
        return;
      }
    }
    this.dataOther_(chunk);
  }

  /** Every other chunk: counted, then delivered, or buffered while paused or with `onread`. */
  private dataOther_(chunk: Uint8Array): void {
    if (this.destroyed_) return;
    this.bytesRead_ += chunk.byteLength;
    if (this.timeoutMs_ !== 0) this.touch_();
    // Bytes from the peer after push(null) (only then can eof_ precede data): Node's
    // handle, still reading, pushes them after EOF.
    if (this.eof_ && this.onread_ === null) {
      this.destroy(plainError("ERR_STREAM_PUSH_AFTER_EOF"));
      return;
    }
    this.take_(chunk);
    if (this.eof_ && !this.destroyed_) this.pauseDriver_();
  }

  /**
   * A chunk for the readable side (the peer's, or push()'s): to `onread`, emitted, or
   * buffered while paused.
   */
  private take_(chunk: Uint8Array): void {
    if (this.onread_ !== null) {
      if (this.onreadHeldLength_ === 0 && this.onreadFlowing_()) this.readInto_(chunk);
      else this.holdForOnread_(chunk);
      return;
    }
    if (this.flowing_ === true && this.readBufferLength_ === 0 && !this.flowScheduled_) {
      // (The lone plain listener of a chunk of the binary type got it in _data already.)
      this.deliver_(chunk);
      return;
    }
    this.keepUnread_(chunk, false);
  }

  /**
   * Keep `item` among what is still to be read (at the front with `first`). While decoding,
   * bytes are kept as text already, as Node's readable side decodes data as it comes:
   * readableLength then counts characters, as Node's.
   */
  private keepUnread_(item: Uint8Array | Verbatim, first: boolean): void {
    if (this.decoder_ !== null && !(item instanceof Verbatim)) {
      const text = this.decoder_.write(item);
      if (text.length === 0) return;
      item = new Verbatim(text);
    }
    if (first) this.readBuffer_.unshift(item);
    else this.readBuffer_.push(item);
    this.readBufferLength_ += sizeOf(item);
    this.wakeReaders_();
    // (With `onread`, only pushed items are here: Node's handle reads on regardless.)
    if (this.readBufferLength_ >= this.readableHwm_ && this.onread_ === null) this.pauseDriver_();
  }

  /**
   * Add `chunk` to the readable side as if the peer had sent it (a `data` event now when
   * flowing with nothing buffered, else in turn), or end the readable side with `null`
   * (Node's `Readable#push`, which tutorials call on sockets). After `push(null)`, `end`
   * follows once what is buffered was read, and with `allowHalfOpen: false` our side ends
   * too; called from a `data` listener, it also stops reading from the peer (as Node's
   * socket does), otherwise bytes the peer still sends destroy the socket with
   * `ERR_STREAM_PUSH_AFTER_EOF`, as a `push()` after the end does. Pushed bytes do not
   * count in `bytesRead`. A chunk that is neither a string nor an `ArrayBufferView`
   * destroys the socket with `ERR_INVALID_ARG_TYPE` (an `error` event, not a throw).
   *
   * @returns `false` once the readable side ended or holds `readableHighWaterMark` bytes.
   *
   * @example
   * ```ts
   * import { createServer } from "crossnet";
   * // Read an HTTP request's head, then answer once the request side is ended.
   * const server = createServer((socket) => {
   *   let head = "";
   *   socket.on("data", (data) => {
   *     head += data;
   *     if (head.includes("\r\n\r\n")) socket.push(null);
   *   });
   *   socket.on("end", () => socket.end("HTTP/1.1 204 No Content\r\n\r\n"));
   * });
   * server.listen(8080, "127.0.0.1");
   * ```
   */
  push(chunk: string | ArrayBufferView | null | undefined, encoding?: string): boolean {
    if (chunk === null) {
      if (this.destroyed_) this.eof_ = true; // (Node's state says `ended`; nothing follows)
      else if (!this.eof_) {
        this.pushedEof_ = true;
        this.readableEnded_();
      }
      return false;
    }
    if (this.destroyed_) return false;
    const bytes = this.readableBytes_(chunk, encoding);
    if (bytes === undefined) return chunk === undefined && this.pushAnswer_();
    if (bytes.byteLength === 0) this.readMore_();
    else {
      if (this.eof_) {
        this.destroy(plainError("ERR_STREAM_PUSH_AFTER_EOF"));
        return false;
      }
      // Errored (a write refused at once): Node's readable side is errored too, and drops
      // it (after the checks above, in Node's order).
      if (this.errored_ !== null) return false;
      // A string in the encoding the socket decodes to is kept as it is (Node's): it does
      // not go through the decoder, which may hold part of a character.
      const decoder = this.decoder_;
      const item = decoder !== null && typeof chunk === "string" &&
          normalizeEncoding(encoding ?? "utf8") === decoder.encoding
        ? new Verbatim(chunk)
        : bytes;
      // Flowing with nothing buffered and a `data` listener: emitted now, even before a
      // pending `resume` (Node), once the stream asked to read. Otherwise buffered, and
      // flowing, emitted a tick later: to the `data` listener added meanwhile (Node's).
      // (With `onread` too: Node's handle hands the peer's bytes to its callback, and a
      // pushed chunk goes through the Readable, as `data`.)
      if (this.flowing_ === true && this.readBufferLength_ === 0 && this.readStarted_ && this.listenerCount("data") > 0) {
        this.deliverItem_(item);
      } else this.bufferItem_(item, false);
      this.readMore_();
    }
    return this.pushAnswer_();
  }

  /**
   * After push(), and unshift() before the stream ever read: Node's readable side reads
   * more a tick later (maybeReadMore: read(0), then the socket's _read) unless it ended
   * or holds a high-water mark's worth, and the socket's handle starts reading if it was
   * not: paused before it connected, or with `onread` paused or stopped by its callback.
   * What the peer sent then arrives (buffered while paused, to the `onread` callback), its
   * FIN too.
   */
  private readMore_(): void {
    if (this.readMoreDue_) return;
    this.readMoreDue_ = true;
    nextTick(() => {
      this.readMoreDue_ = false;
      if (this.destroyed_ || this.eof_ || this.readBufferLength_ >= this.readableHwm_) return;
      // Still connecting: Node's _read waits for `connect` (see _connected).
      if (this.connecting) {
        this.readAsked_ = true;
        return;
      }
      this.readStarted_ = true;
      if (this.onread_ !== null) {
        // Node's tryReadStart: the handle reads, paused or stopped by the callback, until
        // a pause() (or the callback) stops it again.
        this.onreadStopped_ = false;
        if (this.paused_ === true) this.onreadUnpaused_ = true;
        if (!this.flowScheduled_) this.flowOnread_();
      } else if (this.driverPaused_) this.resumeDriver_();
    });
  }

  /**
   * Keep a pushed or unshifted item for later (at the front with `first`); while flowing it
   * is emitted a tick later, as Node's flow does.
   */
  private bufferItem_(item: Uint8Array | Verbatim, first: boolean): void {
    this.keepUnread_(item, first);
    if (this.flowing_ === true) this.scheduleFlow_(false);
  }

  /**
   * Put `chunk` back at the front of what is still to be read (Node's `Readable#unshift`):
   * the next `data` event carries it, ahead of anything buffered, or it is emitted at once
   * when the socket flows with nothing buffered and a `data` listener. Code that read too
   * far hands bytes back so (`ws` does with the bytes that came with an HTTP upgrade's
   * response). Bytes put back do not count in `bytesRead`. With an encoding set, what is
   * put back skips the decoder (which may hold part of a character), as in Node: a string
   * comes back as a string, bytes as bytes. `null` ends the readable side, as `push(null)`. After
   * `end` it destroys the socket with `ERR_STREAM_UNSHIFT_AFTER_END_EVENT`; a chunk that is
   * neither a string nor an `ArrayBufferView` with `ERR_INVALID_ARG_TYPE` (an `error`
   * event, not a throw).
   *
   * @returns `false` once the readable side ended or holds `readableHighWaterMark` bytes.
   *
   * @example
   * ```ts
   * import { createServer } from "crossnet";
   * // Take a line off the front, put the rest back for whoever reads next.
   * const server = createServer((socket) => {
   *   socket.once("data", (chunk) => {
   *     const text = chunk.toString();
   *     const newline = text.indexOf("\n");
   *     console.log("greeting:", text.slice(0, newline));
   *     socket.unshift(text.slice(newline + 1));
   *     socket.on("data", (rest) => console.log("then:", rest.toString()));
   *   });
   * });
   * server.listen(8080, "127.0.0.1");
   * ```
   */
  unshift(chunk: string | ArrayBufferView | null | undefined, encoding?: string): boolean {
    if (chunk === null) return this.push(null);
    if (this.destroyed_) return false;
    const bytes = this.readableBytes_(chunk, encoding);
    if (bytes === undefined) return chunk === undefined && this.pushAnswer_();
    if (bytes.byteLength === 0) return this.pushAnswer_();
    if (this.endEmitted_) {
      this.destroy(plainError("ERR_STREAM_UNSHIFT_AFTER_END_EVENT"));
      return false;
    }
    if (this.errored_ !== null) return false;
    // (Node's stream reads more after it, if it never read: push() resets `reading`, this does not.)
    if (!this.readStarted_) this.readMore_();
    // Decoding: what is put back is not the peer's bytes and does not go through the
    // decoder, which may hold part of a character (Node's): a string comes back as a string
    // (in the socket's encoding), bytes as bytes.
    const decoder = this.decoder_;
    const item = decoder === null
      ? bytes
      : new Verbatim(typeof chunk === "string" ? decode(bytes, decoder.encoding) : asChunk(bytes, this.binaryType_));
    if (
      this.flowing_ === true && this.readBufferLength_ === 0 && this.readStarted_ &&
      this.listenerCount("data") > 0
    ) {
      this.deliverItem_(item);
    } else this.bufferItem_(item, true);
    return this.pushAnswer_();
  }

  /**
   * The bytes of a chunk given to push() or unshift(); `undefined` for `undefined` (nothing
   * to add) and for a chunk of the wrong type, which destroys the socket with
   * `ERR_INVALID_ARG_TYPE` (Node's readable side errors; it does not throw).
   */
  private readableBytes_(chunk: unknown, encoding: string | undefined): Uint8Array | undefined {
    if (typeof chunk === "string") return toBytes(chunk, encoding);
    if (ArrayBuffer.isView(chunk)) return toBytes(chunk, undefined);
    if (chunk !== undefined) {
      this.destroy(invalidArgType("chunk", ["string", "Buffer", "TypedArray", "DataView"], chunk));
    }
    return undefined;
  }

  /** What push() returns: whether more may be pushed (not ended, under the high-water mark). */
  private pushAnswer_(): boolean {
    // (Not whether the socket is destroyed: one destroyed by the `data` listener a push()
    // called answers as Node's does, by the buffer alone; push() and unshift() on a socket
    // destroyed before they were called return `false` first.)
    return !this.eof_ &&
      (this.readBufferLength_ < this.readableHwm_ || this.readBufferLength_ === 0);
  }

  /** `onread` takes bytes now: neither paused nor stopped by its callback. */
  private onreadFlowing_(): boolean {
    return !this.onreadStopped_ && (this.paused_ !== true || this.onreadUnpaused_) && !this.flowScheduled_;
  }

  /** `onread`: keep `chunk` for later, and stop reading meanwhile (as Node's readStop). */
  private holdForOnread_(chunk: Uint8Array, first = false) {
    const held = this.onreadHeld_ ??= [];
    if (first) held.unshift(chunk);
    else held.push(chunk);
    this.onreadHeldLength_ += chunk.byteLength;
    this.pauseDriver_();
  }

  /**
   * `onread`: copy `chunk` into the user's buffer, as many times as it takes, telling the
   * callback each time. What is left when the callback stops reading waits for `resume()`.
   */
  private readInto_(chunk: Uint8Array) {
    const onread = this.onread_!;
    let offset = 0;
    while (offset < chunk.byteLength) {
      const buffer = onread.buffer ?? this.nextOnreadBuffer_(onread);
      if (buffer === undefined) return;
      const n = Math.min(buffer.byteLength, chunk.byteLength - offset);
      buffer.set(offset === 0 && n === chunk.byteLength ? chunk : chunk.subarray(offset, offset + n));
      offset += n;
      if (!this.tellOnread_(onread, n, buffer)) return;
      if (offset < chunk.byteLength && !this.onreadFlowing_()) {
        this.holdForOnread_(chunk.subarray(offset), true);
        return;
      }
    }
    if (!this.onreadFlowing_()) this.pauseDriver_();
  }

  /**
   * `onread`: tell the callback `n` bytes are in `buffer`, then get the next buffer (Node
   * asks after every callback). Returns `false` when the callback destroyed the socket.
   */
  private tellOnread_(onread: OnRead, n: number, buffer: Uint8Array): boolean {
    const more = onread.callback.call(this, n, buffer) !== false;
    if (onread.next !== undefined) this.nextOnreadBuffer_(onread);
    if (this.destroyed_) return false;
    if (!more) this.onreadStopped_ = true;
    return true;
  }

  /** Stop reading from the OS (no-op when already stopped). */
  private pauseDriver_() {
    if (this.driverPaused_) return;
    this.driverPaused_ = true;
    this.conn_?.pause();
  }

  /** Read from the OS again: what the driver held comes first, then a held read failure. */
  private resumeDriver_() {
    this.driverPaused_ = false;
    this.conn_?.resume();
    if (this.eofHeld_ && !this.driverPaused_) {
      this.eofHeld_ = false;
      this.onEof_();
    }
    const failure = this.readFailure_;
    if (failure === undefined || this.driverPaused_) return;
    this.readFailure_ = undefined;
    this.onDriverError_(failure, "read");
  }

  /**
   * Ask `onread.buffer()` for the next buffer. Anything but a non-empty `Uint8Array` is
   * ignored (the previous buffer is used again, as Node does); with no previous buffer,
   * that is an error.
   */
  private nextOnreadBuffer_(onread: OnRead): Uint8Array | undefined {
    const next = onread.next!.call(undefined);
    if (next instanceof Uint8Array && next.byteLength > 0) onread.buffer = next;
    else if (onread.buffer === undefined) {
      this.destroy(invalidReturnValue("a non-empty Uint8Array", "onread.buffer", next));
    }
    return onread.buffer;
  }

  /** `onread`: the user's buffer, for the driver to read straight into, when it may. */
  private lendOnreadBuffer_(): Uint8Array | undefined {
    const onread = this.onread_!;
    if (this.destroyed_ || this.onreadHeldLength_ > 0 || !this.onreadFlowing_()) return undefined;
    return (this.lent_ = onread.buffer ?? this.nextOnreadBuffer_(onread));
  }

  /** `onread`: the driver read `n` bytes into the buffer it was lent. */
  private onFilled_(n: number): void {
    const buffer = this.lent_;
    this.lent_ = undefined;
    if (this.destroyed_ || buffer === undefined || n <= 0) return;
    this.bytesRead_ += n;
    this.touch_();
    // Paused (or stopped) while the read was pending: keep a copy for resume().
    if (this.onreadHeldLength_ > 0 || !this.onreadFlowing_()) return this.holdForOnread_(buffer.slice(0, n));
    if (this.tellOnread_(this.onread_!, n, buffer) && !this.onreadFlowing_()) this.pauseDriver_();
  }

  /** `onread`: hand over what was held while paused or stopped, then read again. */
  private flowOnread_() {
    const held = this.onreadHeld_;
    while (held !== null && held.length > 0 && this.onreadFlowing_() && !this.destroyed_) {
      const chunk = held.shift()!;
      this.onreadHeldLength_ -= chunk.byteLength;
      this.readInto_(chunk);
    }
    if (this.destroyed_) return;
    if (this.driverPaused_ && this.onreadHeldLength_ === 0 && this.onreadFlowing_() && !this.eof_) {
      this.resumeDriver_();
    }
    this.maybeEnd_();
  }

  /** Emit a buffered item: a chunk as {@link deliver_} does, a {@link Verbatim} one as it is. */
  private deliverItem_(item: Uint8Array | Verbatim): void {
    if (!(item instanceof Verbatim)) return this.deliver_(item);
    this.dataEmitted_ = true;
    emitOne(this, "data", item.value);
  }

  /** Emit one chunk as `data`: decoded text with an encoding, else bytes of the binary type. */
  private deliver_(chunk: Uint8Array) {
    if (this.decoder_ !== null) {
      const text = this.decoder_.write(chunk);
      if (text.length > 0) {
        this.dataEmitted_ = true;
        emitOne(this, "data", text);
      }
    } else {
      this.dataEmitted_ = true;
      emitOne(this, "data", asChunk(chunk, this.binaryType_));
    }
  }

  /** The peer's FIN: `end` once buffered data is delivered; allowHalfOpen decides our side. */
  private onEof_(): void {
    if (this.destroyed_) return;
    // Not reading (pauseOnConnect, a full buffer, `onread` stopped): Node's handle is
    // stopped and sees the FIN only once it reads again. (A driver may still report one
    // just after a pause: node:net's does.)
    if (this.driverPaused_ && !this.eof_) {
      this.eofHeld_ = true;
      return;
    }
    if (this.eof_) {
      // After a push(null), the peer's FIN is a read of 0 bytes: `end` now if nothing is
      // buffered, paused or not (Node's handle reads 0 bytes at EOF). From here on the end
      // is the peer's too: nothing of it is left unread, and Node reads no more (a reset
      // that follows goes unnoticed until we write).
      if (this.pushedEof_) {
        this.pushedEof_ = false;
        this.maybeEnd_(true);
      }
      return;
    }
    this.touch_();
    this.readableEnded_();
  }

  /** The readable side ended (the peer's FIN, or push(null)): `end` once buffered data is read. */
  private readableEnded_() {
    this.eof_ = true;
    this.maybeEnd_();
  }

  /** Emit `end` once the peer's FIN came and every buffered chunk was delivered. */
  private maybeEnd_(reading = false): void {
    // Node reads 0 bytes at EOF: `end` comes even without a consumer when nothing is
    // buffered; buffered data must be consumed first.
    if (
      !this.eof_ || this.endEmitted_ || this.endScheduled_ || this.readBufferLength_ > 0 ||
      this.onreadHeldLength_ > 0
    ) return;
    // An end of our own (push(null)) is read like data: while flowing, or when resume()
    // reads (`reading`); an iteration waiting to read is told (Node's `readable`), and
    // reads it. The peer's comes anyway: Node reads 0 bytes at EOF.
    if (this.pushedEof_ && this.flowing_ !== true && !reading) {
      this.wakeReaders_();
      return;
    }
    this.endScheduled_ = true;
    // push(null) before Node's stream asked to read: it is still `sync` and goes through
    // emitReadable a tick later, which a destroy() stops.
    const unread = this.pushedEof_ && !this.readStarted_;
    nextTick(() => {
      if (unread && this.destroyed_) return;
      // A destroy() without an error since then does not take `end` back; an error does,
      // the socket's or a write's the OS refused (Node's endReadableNT: not once errored,
      // or after `close`).
      if (this.endEmitted_ || this.closeEmitted_ || this.errored_ !== null) return;
      // unshift() put bytes back since: they are read first, and `end` comes after them.
      if (this.readBufferLength_ > 0) {
        this.endScheduled_ = false;
        return;
      }
      if (this.decoder_ !== null) {
        const rest = this.decoder_.end();
        if (rest.length > 0) {
          this.dataEmitted_ = true;
          emitOne(this, "data", rest);
        }
      }
      this.endEmitted_ = true;
      // From `end` on, a write after our own end() is the peer's doing (Node installs its
      // writeAfterFIN in an `end` listener of its own, before the user's).
      if (!this.allowHalfOpen) this.writeAfterFin_ = true;
      emitNone(this, "end");
      if (this.destroyed_) return;
      if (!this.allowHalfOpen && !this.ending_) {
        // Node ends our side a tick later (Duplex's endWritableNT): what the `end`
        // listeners and the ticks they queued write still goes out (node:tls over a socket
        // writes its close_notify so), and only then is a write the peer's EPIPE.
        nextTick(() => {
          if (this.writable) this.end();
        });
      } else if (this.finished_) {
        this.destroy();
      }
    });
  }

  /** Deliver buffered chunks while flowing, resume the driver under the high-water mark, then `end` if due. */
  private flow_(): void {
    // Destroyed with no flow due: Node's flow then takes what is buffered without emitting
    // it (see destroy()).
    if (this.readStale_) return this.dropBuffered_();
    // (Destroyed, only a flow resume() scheduled before the destroy emits chunks here.)
    let read = false;
    while (this.flowing_ === true && this.readBuffer_.length > 0) {
      const item = this.readBuffer_.shift()!;
      this.readBufferLength_ -= sizeOf(item);
      read = true;
      this.deliverItem_(item);
    }
    if (this.destroyed_) return this.dropBuffered_();
    if (this.onread_ !== null) return this.flowOnread_();
    // (Not once the readable side ended: after push(null), Node reads no more either.)
    if (
      this.driverPaused_ && this.flowing_ === true && this.readBufferLength_ < this.readableHwm_ &&
      !this.eof_
    ) this.resumeDriver_();
    // A read that took the last chunk after the end finds it (Node's read() then ends the
    // stream), even when the `data` listener paused the socket.
    this.maybeEnd_(read);
  }

  /** Forget what is buffered (destroyed), and what was held for `onread`. */
  private dropBuffered_() {
    if (this.readBuffer_.length > 0) this.readBuffer_ = [];
    this.readBufferLength_ = 0;
    this.readStale_ = false;
    this.dropHeld_();
  }

  /** `onread`: forget the peer's bytes held for the callback (destroyed). */
  private dropHeld_() {
    this.onreadHeld_ = null;
    this.onreadHeldLength_ = 0;
  }

  /** Start or restart the flow of `data` events. */
  resume(): this {
    if (this.onread_ !== null && (this.onreadStopped_ || this.paused_ === true)) {
      // Node's readStart: reading goes on even when the stream was already flowing.
      this.onreadStopped_ = false;
      if (this.flowing_ === true) {
        this.paused_ = false;
        this.scheduleFlow_(false);
        return this;
      }
    }
    if (this.readers_ > 0) {
      // An iteration reads: Node's resume() then leaves the stream paused (flowing false),
      // and announces `resume` all the same.
      this.paused_ = false;
      if (this.flowing_ !== true) this.scheduleFlow_(true);
      return this;
    }
    if (this.flowing_ !== true) {
      this.flowing_ = true;
      this.paused_ = false;
      this.scheduleFlow_(true);
    }
    return this;
  }

  /** Deliver what is buffered a tick later (after `resume` when `announce`). */
  private scheduleFlow_(announce: boolean) {
    if (this.flowScheduled_) return;
    this.flowScheduled_ = true;
    nextTick(() => {
      this.flowScheduled_ = false;
      if (announce) {
        // Node's resume() reads 0 bytes a tick later, paused again or not (not once
        // destroyed): a readable side that push(null) ended and that holds nothing ends
        // then. `resume` is emitted then too, paused again, destroyed or not.
        if (this.pushedEof_ && this.flowing_ !== true && !this.destroyed_) this.maybeEnd_(true);
        // (Node's resume_ reads then, paused again or not: a handle not reading, paused
        // since `connect` or by pauseOnConnect, starts.)
        if (!this.eof_ && !this.destroyed_) this.askToRead_();
        emitNone(this, "resume");
      }
      if (this.flowing_ === true) this.flow_();
    });
  }

  /** Stop `data` events; incoming bytes are buffered, then the peer is slowed down. */
  pause(): this {
    if (this.flowing_ !== false) {
      this.flowing_ = false;
      emitNone(this, "pause");
    }
    this.paused_ = true;
    this.onreadUnpaused_ = false;
    // With `onread`, Node stops reading at once (not once the buffer is full), if it was
    // reading: inside `connect` the driver is paused still (then _connected decides).
    if (this.onread_ !== null && this.conn_ !== null && !this.connecting) this.pauseDriver_();
    return this;
  }

  /** Whether `pause()` was called (and not undone by `resume()`). */
  isPaused(): boolean {
    return this.paused_ === true || this.flowing_ === false;
  }

  /** Adding a `data` listener starts the flow, as in Node. */
  override on(event: string | symbol, listener: Callback): this {
    super.on(event, listener);
    return this.added_(event);
  }

  /** Same as {@link on}. */
  override addListener(event: string | symbol, listener: Callback): this {
    return this.on(event, listener);
  }

  /** Adding a `data` listener starts the flow, as in Node. */
  override prependListener(event: string | symbol, listener: Callback): this {
    super.prependListener(event, listener);
    return this.added_(event);
  }

  /** Adding a `data` listener starts the flow, as in Node. */
  override once(event: string | symbol, listener: Callback): this {
    super.once(event, listener);
    return this.added_(event);
  }

  /** Adding a `data` listener starts the flow, as in Node. */
  override prependOnceListener(event: string | symbol, listener: Callback): this {
    super.prependOnceListener(event, listener);
    return this.added_(event);
  }

  /**
   * A listener was added to `event`: a `data` listener starts the flow (unless paused). A
   * `readable` one would wait forever: Node's paused mode (`readable`, then read()) is not
   * crossnet's (sockets flow), which a warning says, once.
   */
  private added_(event: string | symbol): this {
    if (event === "data" && this.flowing_ !== false) this.resume();
    else if (event === "readable") {
      warnOnce(
        "CROSSNET_NO_PAUSED_MODE",
        "crossnet sockets have no paused mode: no 'readable' event and no read(). Read with " +
          "'data' events, for await (const chunk of socket), or the onread option.",
      );
    }
    return this;
  }

  /**
   * Decode incoming data to strings (`utf8`, `utf16le`, `latin1`, `ascii`, `base64`,
   * `base64url`, `hex`); characters split across chunks are kept whole.
   */
  setEncoding(encoding?: string): this {
    const normalized = normalizeEncoding(encoding ?? "utf8");
    if (normalized === undefined) throw unknownEncoding(encoding);
    const decoder = new StreamDecoder(normalized);
    this.decoder_ = decoder;
    // What is buffered becomes text now, one string, as Node's setEncoding() does.
    if (this.readBuffer_.length > 0) {
      let content = "";
      for (const item of this.readBuffer_) {
        const value = item instanceof Verbatim ? item.value : item;
        content += typeof value === "string" ? value : decoder.write(value);
      }
      this.readBuffer_ = content === "" ? [] : [new Verbatim(content)];
      this.readBufferLength_ = content.length;
    }
    return this;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Queue `data` (bytes, or a string in `encoding`, default utf8). Returns `false` when,
   * once the write was tried, `writableHighWaterMark` bytes or more are still unwritten:
   * wait for `drain`. (As Node: a chunk the OS took whole at once leaves nothing unwritten,
   * however large it was.)
   */
  write(data: string | ArrayBufferView, encoding?: string | Callback, cb?: Callback): boolean {
    // The usual write (bytes, no encoding, no callback) skips the argument handling: a
    // smaller body for the JIT compilers, as in _data().
    if (encoding === undefined && cb === undefined && data instanceof Uint8Array) {
      return this.writeBytes_(data, data.byteLength, undefined);
    }
    return this.writeOther_(data, encoding, cb);
  }

  /** write() with a string, an encoding, a callback or bad input: Node's argument rules. */
  private writeOther_(data: string | ArrayBufferView, encoding?: string | Callback, cb?: Callback): boolean {
    if (typeof encoding === "function") {
      cb = encoding;
      encoding = undefined;
    } else if (typeof cb !== "function") {
      // Node's Writable ignores a callback that is not a function.
      cb = undefined;
    }
    // null is refused before the encoding is looked at (Node's order).
    if (data === null) throw plainError("ERR_STREAM_NULL_VALUES");
    // A falsy encoding (null, "", 0) is the default one, as in Node's Writable.
    const enc = (encoding as string | undefined) || this.defaultEncoding_;
    const bytes = toBytes(data, enc);
    if (typeof data !== "string") return this.writeBytes_(bytes, bytes.byteLength, cb);
    return this.writeBytes_(bytes, data.length, cb, refusedStringUncounted(data, enc));
  }

  /**
   * Write `bytes` (`size`: what they count for in writableLength, chars for a string;
   * `uncounted`: refused at once, they leave bytesWritten, see refusedStringUncounted).
   */
  private writeBytes_(bytes: Uint8Array, size: number, cb: Callback | undefined, uncounted = false): boolean {
    // Ended, destroyed or never connected: refused (the rare cases, out of line).
    if (
      this.ending_ || this.destroyed_ ||
      (this.conn_ === null && !this.connecting && this.errored_ === null && this.corked_ === 0)
    ) {
      return this.refuseWrite_(cb);
    }
    this.bytesWritten_ += bytes.byteLength;
    this.writableLength_ += size;
    const conn = this.conn_;
    if (!this.writing_ && this.queue_ === null && conn !== null && !this.connecting) {
      // Activity for the idle timer when bytes go to the OS (Node's _writeGeneric), not when
      // a write waits in the queue (corked, or behind another).
      if (this.timeoutMs_ !== 0) this.touch_();
      this.writing_ = true;
      this.solo_ = true;
      this.soloSize_ = size;
      this.soloCb_ = cb;
      this.inWrite_ = true;
      // Written at once (the common case): the driver calls nothing back.
      if (conn.write(bytes, this.soloDone_!)) this.onSoloDone_(conn, undefined);
      else this.flightBytes_ = bytes.byteLength;
      this.inWrite_ = false;
    } else this.enqueue_(bytes, size, cb, uncounted);
    // Node's answer: whether what is still unwritten once this write was tried is under the
    // high-water mark. A chunk the OS took whole leaves nothing: `true`, however large it
    // was (and no 'drain' follows); one it did not take counts in full until written.
    // (A write refused inside this call leaves the socket errored, not destroyed: `false`.)
    if (this.writableLength_ < this.writableHwm_ && this.errored_ === null) return true;
    if (this.soloRefused_) {
      this.soloRefused_ = false;
      if (uncounted) this.bytesWritten_ -= bytes.byteLength;
    }
    // Only bytes waiting over the mark make a `drain` due (Node's needDrain): a write
    // answered `false` because the socket errored has none to wait for.
    if (this.writableLength_ >= this.writableHwm_) this.needDrain_ = true;
    return false;
  }

  /**
   * Hold writes back until {@link uncork} (as many uncork() calls as cork() calls, or
   * `end()`): they then go to the OS together, as one write where they fit (Node's writev).
   *
   * @example
   * ```ts
   * import { connect, createServer, type AddressInfo } from "crossnet";
   *
   * const server = createServer((s) => s.end()).listen(0, "127.0.0.1", () => {
   *   const { port } = server.address() as AddressInfo;
   *   const socket = connect(port, "127.0.0.1", () => {
   *     socket.cork();
   *     socket.write("HTTP/1.1 200 OK\r\n");
   *     socket.write("\r\n");
   *     socket.uncork(); // both lines leave in one segment
   *     socket.end(() => server.close());
   *   });
   * });
   * ```
   */
  cork(): void {
    this.corked_++;
    // A queue, even an empty one, keeps writes off the direct path; flush_ leaves it alone
    // while corked. (After end() nothing more is written: no queue then.)
    if (!this.ending_ && !this.destroyed_) this.queue_ ??= [];
  }

  /** Undo one {@link cork}; the last one sends what was held back. */
  uncork(): void {
    if (this.corked_ === 0) return;
    if (--this.corked_ !== 0) return;
    // Still connecting: what was held is the first write Node dispatches (one writev).
    if (this.firstBatch_ === -1 && this.connecting && this.queue_ !== null && this.queue_.length > 0) {
      this.sendOnConnect_(this.queue_.length);
    }
    // (An errored socket keeps its queue: later writes wait there for the destroy.)
    if (this.queue_ !== null && this.queue_.length === 0 && this.errored_ === null) this.queue_ = null;
    // Never connected: what was held goes to Node's writeGeneric now, which has nowhere to
    // write it (ERR_SOCKET_CLOSED): errored now, destroyed a tick later, every held write
    // failing with it.
    if (this.conn_ === null && !this.connecting && !this.destroyed_ && this.errored_ === null && this.queue_ !== null) {
      // Handed over, they leave writableLength; refused, they never count as written.
      const held = this.queue_;
      this.queue_ = null;
      for (const w of held) {
        this.writableLength_ -= w.size;
        this.bytesWritten_ -= w.bytes.byteLength;
      }
      this.erroredNow_(plainError("ERR_SOCKET_CLOSED"), held.map((w) => w.cb));
      return;
    }
    if (this.writing_) return;
    // Errored by a write refused at once, not destroyed yet (that comes a tick later):
    // Node's clearBuffer still hands what was held to the handle, which refuses it too,
    // with EPIPE (the connection is broken: the OS's answer to every write after the
    // first). It leaves writableLength now and counts in bytesWritten as any refused write
    // does (a lone short string does not); its callbacks get that EPIPE at the destroy.
    if (this.errored_ !== null && !this.destroyed_ && this.conn_ !== null && this.queue_ !== null) {
      const held = this.queue_;
      const refused = systemError("EPIPE", "write", "plain");
      for (const w of held) {
        this.writableLength_ -= w.size;
        if (held.length === 1 && w.uncounted) this.bytesWritten_ -= w.bytes.byteLength;
        w.size = 0;
        w.bytes = EMPTY;
        const cb = w.cb;
        if (cb !== undefined) w.cb = () => cb(refused);
      }
      return;
    }
    // Callbacks never run inside the caller's uncork(), as inside write() (Node's `sync`).
    this.inWrite_ = true;
    this.flush_();
    this.inWrite_ = false;
  }

  /**
   * The encoding of strings written without one (initially UTF-8).
   *
   * @throws {TypeError} `ERR_UNKNOWN_ENCODING` for an encoding Node does not know.
   *
   * @example
   * ```ts
   * import { Socket } from "crossnet";
   *
   * const socket = new Socket();
   * socket.setDefaultEncoding("hex"); // socket.write("cafe") would send 2 bytes
   * ```
   */
  setDefaultEncoding(encoding: string): this {
    // Node's rule is Buffer.isEncoding(): a name it knows, in any case ("buffer", "" and
    // anything not a string are not encodings).
    const name = typeof encoding === "string" ? encoding.toLowerCase() : undefined;
    if (name === undefined || name === "" || normalizeEncoding(name) === undefined) {
      throw unknownEncoding(encoding);
    }
    this.defaultEncoding_ = name;
    return this;
  }

  /**
   * write() when the bytes cannot go out at once: queued, sent by flush_ (now, or from
   * `connect`).
   */
  private enqueue_(bytes: Uint8Array, size: number, cb: Callback | undefined, uncounted: boolean) {
    (this.queue_ ??= []).push({ bytes, size, cb, uncounted });
    if (this.connecting) {
      // Like Node, the first write goes out from a `connect` listener added now; corked,
      // from one uncork() adds (the batch it sends).
      if (this.firstBatch_ === 0) {
        if (this.corked_ === 0) this.sendOnConnect_(1);
        else this.firstBatch_ = -1;
      }
    } else {
      this.inWrite_ = true;
      this.flush_();
      this.inWrite_ = false;
    }
  }

  /**
   * While connecting, the first `count` queued writes are what Node dispatches: they go out
   * from a `connect` listener added now, or, if the connection never comes, are settled by
   * a `close` listener added now, inside the `close` event in the order of its listeners.
   */
  private sendOnConnect_(count: number) {
    this.firstBatch_ = count;
    if (!this.flushOnConnect_) {
      this.flushOnConnect_ = true;
      this.once("connect", () => {
        this.flushOnConnect_ = false;
        if (this.closeWait_ !== undefined) this.removeListener("close", this.closeWait_);
        this.closeWait_ = undefined;
        // Destroyed by an earlier `connect` listener: Node's first write finds no handle.
        if (this.unsent_ !== undefined) return this.settleUnsent_("ERR_SOCKET_CLOSED");
        // Node sends the first write (or the batch uncork() made) alone, from this
        // listener, and calls it back here; the writes behind it go out after it, ahead
        // of its callback, and are called back later (its onwrite's `sync` rule).
        const first = this.firstBatch_;
        this.firstBatch_ = 0;
        this.flush_(first > 0 ? first : undefined);
      });
      this.closeWait_ = () => this.settleUnsent_("ERR_SOCKET_CLOSED_BEFORE_CONNECTION");
      this.once("close", this.closeWait_);
    }
  }

  /** write() on a socket that cannot take bytes: Node's errors, the callback told later. */
  private refuseWrite_(cb: Callback | undefined): false {
    if (this.writeAfterFin_ && this.ending_) {
      const err = Object.assign(new Error("This socket has been ended by the other party"), {
        code: "EPIPE",
      });
      if (cb) callLater(cb, err);
      this.destroy(err);
      return false;
    }
    if (!this.ending_ && !this.destroyed_) {
      // Never connected and not connecting: nowhere to write. Node's writeGeneric calls
      // back at once with ERR_SOCKET_CLOSED: the stream is errored now (`writable` false,
      // writes after it wait and fail with it) and destroyed a tick later, after this
      // write's callback.
      this.erroredNow_(plainError("ERR_SOCKET_CLOSED"), [cb]);
      return false;
    }
    const err = this.ending_ ? plainError("ERR_STREAM_WRITE_AFTER_END") : plainError("ERR_STREAM_DESTROYED", "write");
    if (cb) callLater(cb, err);
    if (!this.destroyed_) this.destroy(err);
    return false;
  }

  /**
   * Hand the queued writes to the driver when none is in flight; the FIN once nothing is
   * left. `limit` (the first write Node dispatched while connecting): at most that many
   * writes in this batch, and they go out even if corked since (Node's went already).
   */
  private flush_(limit?: number) {
    if (
      this.writing_ || this.conn_ === null || this.connecting || this.destroyed_ || this.errored_ !== null ||
      this.aheadDone_
    ) return;
    const queue = this.queue_;
    if (queue === null) {
      // (Corked or not: cork() holds writes back, not an end with nothing left to write.)
      if (this.ending_) this.maybeShutdown_();
      return;
    }
    // (The rest of a split writev goes out corked or not: Node's went already.)
    if (this.carried_ !== undefined) this.writeQueued_(this.conn_, queue, this.carriedLeft_);
    else if (this.corked_ === 0 || limit !== undefined) this.writeQueued_(this.conn_, queue, limit ?? queue.length);
  }

  /**
   * Not part of flush_, which runs after every completed write and mostly finds nothing to
   * do: a function holding a closure sets up its scope on every call (V8 and JSC alike).
   */
  private writeQueued_(conn: DriverConnection, queue: QueuedWrite[], limit: number) {
    // Coalesce small writes (Node's writev); hand large ones over as they are.
    let count = 1;
    let total = queue[0]!.bytes.byteLength;
    while (count < limit && count < queue.length && total + queue[count]!.bytes.byteLength <= COALESCE_LIMIT) {
      total += queue[count]!.bytes.byteLength;
      count++;
    }
    // A lone queued write goes out as write() would send it; several as one writev, whose
    // refusal Node always counts in bytesWritten.
    // (The first write from `connect` goes out alone too: limit 1.)
    const uncounted = (queue.length === 1 || limit === 1) && queue[0]!.uncounted;
    // Split here only for size, the writes left behind were part of Node's one writev (it
    // sends every buffered write): should this part fail, they fail with it; once it is
    // written, they go next, and the writes of every part are done together, with the last.
    const behind = Math.min(limit, queue.length) - count;
    // All of it (the usual case): the queue itself is the batch.
    const sent = count === queue.length ? queue : queue.splice(0, count);
    // (Corked, the first write sent from `connect`: the empty queue keeps later writes held.
    // Not after end(): no write comes then, and an empty queue would hold the FIN back,
    // where Node finishes a corked stream with nothing buffered.)
    if (sent === queue) this.queue_ = this.corked_ > 0 && !this.ending_ ? [] : null;
    const bytes = count === 1 ? sent[0]!.bytes : concatBytes(sent.map((w) => w.bytes), total);
    // The writes this part finishes: its own, after those of the parts before it.
    let batch = sent;
    const carried = this.carried_;
    if (carried !== undefined) {
      this.carried_ = undefined;
      for (const w of sent) carried.push(w);
      batch = carried;
    }
    this.writing_ = true;
    this.inFlight_ = batch;
    this.inFlightBehind_ = behind;
    if (this.timeoutMs_ !== 0) this.touch_();
    const sync = this.inWrite_;
    const ahead = this.writingAhead_;
    // Inside conn.write(): a failure then is a refusal at once.
    let dispatching = false;
    const done = (err?: DriverError): void => {
      if (this.conn_ !== conn || this.inFlight_ !== batch) return;
      this.writing_ = false;
      // On failure the batch stays in flight: destroy() gives its callbacks the error. Its
      // bytes leave writableLength at once, as in Node's onwrite.
      if (err) {
        if (behind > 0 && this.queue_ !== null) batch.push(...this.queue_.splice(0, behind));
        for (const w of batch) this.writableLength_ -= w.size;
        // Refused at once: counted or not as write() would.
        if (uncounted && dispatching) this.bytesWritten_ -= bytes.byteLength;
        if (!dispatching || this.inWrite_) return this.onDriverError_(err, "write");
        // Refused at once outside write() (the first write, sent from `connect`): Node's
        // writeGeneric destroys the socket with the error and its onwrite calls the write
        // back now, then what waits behind it and end()'s callbacks (errorBuffer).
        this.inFlight_ = NONE;
        const queued = this.queue_ ?? NONE;
        this.queue_ = null;
        const ends = this.endCallbacks_.length === 0 ? NO_CALLBACKS : this.endCallbacks_.splice(0);
        this.onDriverError_(err, "write");
        const error = this.errored_ ?? undefined;
        for (const w of batch) w.cb?.(error);
        this.failQueued_(queued, ends, error, this.life_);
        return;
      }
      this.inFlight_ = NONE;
      if (behind > 0 && this.queue_ !== null) {
        // A part of Node's writev: the next one goes out now, ahead of any callback.
        this.carried_ = batch;
        this.carriedLeft_ = behind;
        return this.writeAhead_();
      }
      for (const w of batch) this.writableLength_ -= w.size;
      this.touch_();
      // Callbacks never run inside the user's write() call (Node's `sync` rule), nor ahead
      // of those of the write whose completion sent this one out, nor among the
      // continuations of awaiting code when the driver reports from a promise's (see
      // onSoloDone_). With no callback, no `drain` due, nothing queued and no FIN waiting,
      // nothing is left to do.
      if ((sync && this.inWrite_) || (ahead && this.writingAhead_) || !dispatching) {
        if (!this.needDrain_ && this.queue_ === null && !hasCallback(batch) && !this.ending_) return;
        // Sent ahead: nothing queued behind it goes out (and is called back) before its
        // callbacks have run.
        const later = !dispatching;
        if (ahead && this.writingAhead_) this.aheadDone_ = true;
        nextTick(() => {
          this.aheadDone_ = false;
          this.afterWrite_(batch);
        });
        // Reported later by the driver: as in onSoloDone_, what is queued goes out now.
        if (later && this.queue_ !== null) this.writeAhead_();
      } else this.afterWrite_(batch);
    };
    dispatching = true;
    if (conn.write(bytes, done)) done();
    else this.flightBytes_ = bytes.byteLength;
    dispatching = false;
  }

  /** A write handed straight to the driver finished (inside write(), or later from the driver). */
  private onSoloDone_(conn: DriverConnection, err: DriverError | undefined): void {
    if (this.conn_ !== conn || !this.solo_) return;
    this.solo_ = false;
    this.writing_ = false;
    // On failure the callback stays: destroy() gives it the error.
    if (err) {
      this.writableLength_ -= this.soloSize_;
      // Refused inside write(): writeBytes_ decides whether its bytes stay in bytesWritten.
      if (this.inWrite_) this.soloRefused_ = true;
      return this.onDriverError_(err, "write");
    }
    this.writableLength_ -= this.soloSize_;
    if (this.timeoutMs_ !== 0) this.touch_();
    const cb = this.soloCb_;
    this.soloCb_ = undefined;
    // Nothing to do at all (the usual case) when there is no callback, no `drain` due,
    // nothing queued and no FIN waiting: afterSolo_ would find nothing either.
    if (cb === undefined && !this.needDrain_ && this.queue_ === null && !this.ending_) return;
    // Inside write(): Node's `sync` rule, a tick later. Reported later by the driver: Node's
    // onwrite calls back at once from its I/O callback, but a driver may report from a
    // promise's continuation (Deno), and awaiting code must not see a callback or `drain`
    // among its own continuations: a tick later too. What is queued goes out at once either
    // way (Node's clearBuffer), after the tick is booked, so its callbacks come after these.
    this.afterSoloLater_(cb);
    if (!this.inWrite_ && this.queue_ !== null) this.writeAhead_();
  }

  /**
   * A finished write (inside write(), or reported later by the driver: see onSoloDone_)
   * that still has work (a callback to call, a 'drain' due) finishes a tick later, through
   * one function made once per socket, its callback waiting in laterCb_: a closure per
   * write would allocate two objects each time a writer passes a callback. A second write
   * finished before the first one's turn came (rare) gets a closure of its own; ticks run
   * in order, so the callbacks do too.
   * (No closure in this method's body at all: JavaScriptCore would make the scope it
   * captures, `this` included, on every call, whether the closure is made or not.)
   */
  private afterSoloLater_(cb: Callback | undefined): void {
    if (this.laterDue_) return Socket.afterSoloClosure_(this, cb);
    this.laterDue_ = true;
    this.laterCb_ = cb;
    nextTick(this.afterLater_ ?? this.makeAfterLater_());
  }

  /** The per-socket function that finishes a solo write a tick later (made on first need). */
  private makeAfterLater_(): () => void {
    return this.afterLater_ = () => {
      const cb = this.laterCb_;
      this.laterCb_ = undefined;
      this.laterDue_ = false;
      this.afterSolo_(cb);
    };
  }

  /** The fallback of {@link afterSoloLater_} when its function is already due: a closure of its own. */
  private static afterSoloClosure_(socket: Socket, cb: Callback | undefined): void {
    nextTick(() => socket.afterSolo_(cb));
  }

  /**
   * A write finished: as Node's onwrite and afterWrite, the queued writes go out first,
   * then `drain` if due (so it comes before this write's callback when they went out at
   * once), then the callback, then the FIN if ending.
   */
  private afterSolo_(cb: Callback | undefined): void {
    if (this.queue_ !== null) this.writeAhead_();
    this.drainIfDue_();
    cb?.(null);
    if (this.destroyed_) return this.settleDestroyed_();
    this.flush_();
  }

  /** A queued batch was written: as afterSolo_, for each of its callbacks. */
  private afterWrite_(batch: QueuedWrite[]): void {
    if (this.queue_ !== null) this.writeAhead_();
    this.drainIfDue_();
    for (const w of batch) w.cb?.(null);
    if (this.destroyed_) return this.settleDestroyed_();
    this.flush_();
  }

  /**
   * A finished write was called back on a destroyed socket: as Node's afterWrite
   * (errorBuffer), what destroy() left to fail (queued writes, end()'s callbacks) fails now,
   * not a tick later.
   */
  private settleDestroyed_(): void {
    if (this.unsettled_ !== undefined) this.settle_(this.unsettled_);
  }

  /**
   * Hand the queued writes to the driver ahead of the finished write's callbacks. As in
   * Node's clearBuffer (its writes are `sync`), a write refused at once errors the socket
   * now and destroys it a tick later, as inside write().
   */
  private writeAhead_() {
    const inWrite = this.inWrite_;
    this.inWrite_ = true;
    this.writingAhead_ = true;
    this.flush_();
    this.writingAhead_ = false;
    this.inWrite_ = inWrite;
  }

  /** Emit `drain` when a write answered `false` and everything is written now. */
  private drainIfDue_() {
    if (this.needDrain_ && this.writableLength_ === 0 && !this.ending_ && !this.destroyed_) {
      this.needDrain_ = false;
      emitNone(this, "drain");
    }
  }

  /**
   * Finish writing: write `data` if given, then send our FIN once everything queued is
   * out. `finish` fires then; reading goes on until the peer ends.
   */
  end(data?: string | ArrayBufferView | Callback, encoding?: string | Callback, cb?: Callback): this {
    if (typeof data === "function") {
      cb = data;
      data = undefined;
    } else if (typeof encoding === "function") {
      cb = encoding;
      encoding = undefined;
    }
    // Node's Writable ignores a callback that is not a function.
    if (typeof cb !== "function") cb = undefined;
    if (data !== undefined && data !== null) this.write(data, encoding as string | undefined);
    // end() uncorks fully (Node).
    if (this.corked_ !== 0) {
      this.corked_ = 1;
      this.uncork();
    }
    if (!this.ending_ && !this.destroyed_ && this.errored_ === null) {
      this.ending_ = true;
      if (cb) this.endCallbacks_.push(cb);
      // (Not activity for the idle timer: Node's shutdown does not re-arm it; end(data)'s
      // write above did.)
      if (this.conn_ === null && !this.connecting) this.finishUnconnected_();
      else this.flush_();
    } else {
      // Destroyed without an error: Node still marks the end (writableEnded; a later write
      // is a write after end), though nothing is sent; not when end() had data to write
      // (that write failed, and the end with it), nor once errored (a write the destroy
      // cancelled counts: ECANCELED).
      const marks = !this.ending_ && this.destroyed_ && this.errored_ === null &&
        (data === undefined || data === null);
      if (marks) this.ending_ = true;
      if (cb) {
        // An end so marked waits, as Node's, for the write the destroy is cancelling, and
        // fails with it (ECANCELED), or for the writes a connection that never came leaves
        // (ERR_SOCKET_CLOSED_BEFORE_CONNECTION, at `close`); with nothing in flight Node
        // would never call it back: crossnet says ERR_STREAM_DESTROYED rather than lose it.
        const unsent = marks ? this.unsent_ : undefined;
        const err = this.finished_
          ? plainError("ERR_STREAM_ALREADY_FINISHED", "end")
          : this.destroyed_ && !(marks && this.cancelPending_) && unsent === undefined
          ? plainError("ERR_STREAM_DESTROYED", "end")
          : undefined;
        if (err) callLater(cb, err);
        else if (unsent !== undefined) {
          // (Its list may be the shared empty one.)
          unsent.ends = unsent.ends.length === 0 ? [cb] : [...unsent.ends, cb];
        }
        else this.endCallbacks_.push(cb);
      }
    }
    return this;
  }

  /** Send our FIN once end() was called and every queued byte is with the driver. */
  private maybeShutdown_() {
    if (
      this.shutdownStarted_ || !this.ending_ || this.writing_ || this.queue_ !== null ||
      this.conn_ === null || this.connecting || this.destroyed_
    ) return;
    this.shutdownStarted_ = true;
    const conn = this.conn_;
    // (After push(null), bytes of the peer may still be unread: a close would send a RST.)
    if (this.endEmitted_ && !this.pushedEof_) {
      // Both directions are done: the peer's FIN came, every byte before it was read, and
      // every byte written is with the OS. The destroy that follows `finish` closes the
      // connection, and a close sends the FIN after those bytes (nothing unread is left to
      // turn it into a RST), so the wire carries what a shutdown would have sent. Skipping
      // it saves a system call per connection, and the connection keeps answering for its
      // addresses until then, as Node's handle does.
      // `finish` a turn later, as Node's comes from the shutdown's I/O callback: what is
      // due before (a timer of the same millisecond, another socket's I/O) comes first.
      this.finDeferred_ = true;
      nextTurn(() => this.onShutdown_(true));
      return;
    }
    let sync = true;
    conn.shutdown((err) => {
      if (this.conn_ !== conn || this.destroyed_) return;
      if (err && err.code !== "ENOTCONN") return this.onDriverError_(err, "shutdown");
      // Node's `finish` waits for the OS to confirm the shutdown (an I/O callback): after
      // a driver that shuts down at once (Bun), a turn later, so that what is due before
      // (an `end` that push(null) scheduled) still comes first.
      if (sync) nextTurn(() => this.onShutdown_(false));
      else nextTick(() => this.onShutdown_(false));
    });
    sync = false;
  }

  /**
   * end() on a socket that never connected (nor is connecting): Node's _final has no handle
   * to shut down and finishes at once, `finish` a tick later; the socket stays open for
   * reading unless its readable side ended too.
   */
  private finishUnconnected_() {
    this.shutdownStarted_ = true;
    // Node's `finish` is already on its way: a destroy() before it comes does not take it
    // back, and end()'s callbacks get no error.
    this.finishDue_ = true;
    nextTick(() => {
      this.finishDue_ = false;
      this.finished_ = true;
      this.emitFinish_();
      if (!this.destroyed_ && (this.endEmitted_ || !this.readable)) this.destroy();
    });
  }

  /** Our FIN is queued (with `deferred`, it goes with the close that follows): `finish`. */
  private onShutdown_(deferred: boolean) {
    if (this.destroyed_) return;
    this.finished_ = true;
    if (deferred) {
      // A throwing `finish` listener must not keep the FIN from going out.
      try {
        this.emitFinish_();
      } finally {
        this.destroy();
      }
      return;
    }
    this.emitFinish_();
    if (!this.destroyed_ && (this.endEmitted_ || !this.readable)) this.destroy();
  }

  /** end()'s callbacks, then `finish`. */
  private emitFinish_() {
    if (this.endCallbacks_.length > 0) for (const cb of this.endCallbacks_.splice(0)) cb(null);
    emitNone(this, "finish");
  }

  /** End our side, and destroy once the queue is flushed. */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.finished_) this.destroy();
    else this.once("finish", () => this.destroy());
  }

  // ---------------------------------------------------------------- closing

  /** Close at once; with `error`, emit `error` then `close(true)`. Idempotent. */
  destroy(error?: Error): this {
    return this.destroy_(error, false);
  }

  /**
   * Close with a TCP RST (the peer sees `ECONNRESET`). While connecting, once connected.
   *
   * @throws {TypeError} `ERR_INVALID_HANDLE_TYPE` on a Unix-domain socket (as Node: only a
   * TCP handle can be reset); the socket is left as it was.
   */
  resetAndDestroy(): this {
    // Node: a Unix socket's handle cannot be reset (thrown, the socket left as it was).
    // (Destroyed, Node's handle is gone already: nothing to throw about.)
    if (this.pipe_ && !this.destroyed_ && (this.connecting || this.conn_ !== null)) {
      throw plainError("ERR_INVALID_HANDLE_TYPE");
    }
    if (this.connecting) {
      this.once("connect", () => this.destroy_(undefined, true));
      return this;
    }
    if (this.conn_ === null) return this.destroy(plainError("ERR_SOCKET_CLOSED"));
    return this.destroy_(undefined, true);
  }

  /** destroy() and resetAndDestroy(): release the connection, fail what was pending, emit `close` later. */
  private destroy_(error: Error | undefined, reset: boolean): this {
    if (this.destroyed_) return this;
    this.destroyed_ = true;
    this.connecting = false;
    this.connector_?.cancel();
    this.connector_ = null;
    clearTimeout(this.timer_);
    this.timer_ = undefined;
    this.timeoutMs_ = 0;
    const conn = this.conn_;
    if (conn !== null) {
      if (reset) {
        // end() came first and deferred its shutdown: the driver gets both, in that order,
        // as when end() shut down at once (node:net itself then refuses the reset with
        // EINVAL while its shutdown is pending, and the peer reads a plain end).
        if (this.finDeferred_) conn.shutdown(() => {});
        conn.reset();
      } else conn.close();
    }
    // Like Node, the server counts the connection gone now, before `close` is emitted.
    this.owner_?.socketClosed(this);
    this.owner_ = null;
    this.hadError_ = error !== undefined;
    if (error !== undefined) this.errored_ ??= error;
    // What failed writes and end() callbacks are told: the first error (a write refused at
    // once, then a destroy(), still gives them the write's), else none.
    const cause = this.errored_ ?? undefined;
    // Writes that will never happen, as Node's Writable settles them at destroy(). The one
    // the driver is writing is cancelled: it fails with ECANCELED just before `close`
    // (Node 22 and later; Node 20 reported it done), after `error`. Queued writes and end()'s
    // callbacks then fail with the error, else ECANCELED, and their bytes no longer count in
    // bytesWritten; with nothing in flight they fail before `error`, with the error, else
    // ERR_STREAM_DESTROYED. A write whose failure destroyed the socket is told first.
    // Writes queued while connecting, once one went out as Node's first (until then, as any
    // queued write), wait for it: the connection never came (settled in `close`), or an
    // earlier `connect` listener is destroying the socket (settled in ours, right after).
    const unsent = this.firstBatch_ > 0;
    const neverConnected = unsent && conn === null;
    // (No arrays made when there is nothing to settle, the usual case.)
    let cancelled = NONE;
    let failed = NONE;
    if (this.writing_) {
      cancelled = this.solo_ ? [{ bytes: EMPTY, size: this.soloSize_, cb: this.soloCb_, uncounted: false }] : this.inFlight_;
    } else if (this.carried_ !== undefined) cancelled = this.carried_; // Node's writev is in flight
    else if (this.soloCb_ !== undefined) failed = [{ bytes: EMPTY, size: 0, cb: this.soloCb_, uncounted: false }];
    else failed = this.inFlight_;
    const queued = this.queue_ ?? NONE;
    // The rest of Node's writev, split for size (see writeQueued_), went out with it: its
    // writes are cancelled with the part in flight, and stay in bytesWritten.
    const rest = this.writing_ && !this.solo_ ? this.inFlightBehind_ : this.carried_ !== undefined ? this.carriedLeft_ : 0;
    if (rest > 0 && cancelled !== NONE) cancelled = cancelled.concat(queued.splice(0, rest));
    this.carried_ = undefined;
    this.queue_ = null;
    this.soloCb_ = undefined;
    this.solo_ = false;
    this.inFlight_ = NONE;
    this.writing_ = false;
    // What is buffered stays (Node's readable side keeps it: readableLength still counts
    // it); a flow due (resume() a moment ago) still emits it, as Node's resume_ does,
    // destroyed or not; a later one takes it without emitting it. (What was held for
    // `onread` is crossnet's own buffer, which Node does not have: dropped.)
    if (!this.flowScheduled_ && this.readBuffer_.length > 0) this.readStale_ = true;
    this.dropHeld_();
    // With a write being cancelled, end()'s callbacks wait for it, those of an end() made
    // meanwhile too (see end()).
    if (cancelled !== NONE) this.cancelPending_ = true;
    const endCallbacks = this.endCallbacks_.length === 0 || cancelled !== NONE || this.finishDue_
      ? NO_CALLBACKS
      : this.endCallbacks_.splice(0);
    if (unsent) this.unsent_ = { queued, ends: endCallbacks };
    // connect() again before this `close` (a retry from the `error` listener): what is
    // still due here is this connection's, told as it was (`close` with its hadError), and
    // leaves the new one's state alone.
    const life = this.life_;
    const hadHandle = this.hadHandle_;
    // What fails with nothing in flight (queued writes, end()'s callbacks): in the tick
    // below, unless a finished write's callback comes first (afterSolo_, afterWrite_): as
    // Node's afterWrite, that one settles them right after it (errorBuffer).
    const settle = !unsent && cancelled === NONE && (queued.length > 0 || endCallbacks.length > 0)
      ? this.unsettled_ = { queued, ends: endCallbacks, cause, life }
      : undefined;
    nextTick(() => {
      if (!unsent) {
        for (const w of failed) w.cb?.(cause ?? plainError("ERR_STREAM_DESTROYED", "write"));
        if (settle !== undefined) this.settle_(settle);
      }
      if (error !== undefined) {
        if (life === this.life_) {
          this.errorEmitted_ = true;
          this.capturedError_ = error; // for `opened` and `closed`
        }
        emitOne(this, "error", error);
      }
      // Node emits close once the handle is closed, a turn later; a socket that never had
      // one (never connect()ed) right after `error`, in the same tick.
      (hadHandle ? nextTurn : runNow)(() => {
        if (life !== this.life_) {
          const canceled = systemError("ECANCELED", "write", "plain");
          for (const w of cancelled) w.cb?.(canceled);
          if (cancelled !== NONE) this.failQueued_(queued, endCallbacks, cause ?? canceled, life);
          // (As emitClose_ for that connection: no argument if it never had a handle.)
          if (hadHandle) emitOne(this, "close", error !== undefined);
          else emitNone(this, "close");
          return;
        }
        if (neverConnected) {
          // Settled by the `close` listener the first queued write added (else right after).
          this.emitClose_();
          this.settleUnsent_("ERR_SOCKET_CLOSED_BEFORE_CONNECTION");
          return;
        }
        if (cancelled !== NONE) {
          const canceled = systemError("ECANCELED", "write", "plain");
          this.errored_ ??= canceled;
          for (const w of cancelled) {
            this.writableLength_ -= w.size;
            w.cb?.(canceled);
          }
          this.cancelPending_ = false;
          const ends = this.endCallbacks_.length === 0 ? NO_CALLBACKS : this.endCallbacks_.splice(0);
          this.failQueued_(queued, ends, cause ?? canceled, life);
        }
        this.emitClose_();
      });
    });
    return this;
  }

  /** Settle what destroy() left in `settle` (see {@link unsettled_}), once. */
  private settle_(settle: Unsettled): void {
    if (this.unsettled_ === settle) this.unsettled_ = undefined;
    const { queued, ends } = settle;
    if (queued.length === 0 && ends.length === 0) return;
    settle.queued = settle.ends = NONE_LEFT;
    this.failQueued_(queued, ends, settle.cause, settle.life);
  }

  /**
   * At destroy(): queued writes and end()'s callbacks fail; queued bytes were never written
   * (not counted any more, unless the socket has connected again since: `life`).
   */
  private failQueued_(queued: QueuedWrite[], endCallbacks: Callback[], error: Error | undefined, life: number) {
    const current = life === this.life_;
    for (const w of queued) {
      if (current) {
        this.writableLength_ -= w.size;
        this.bytesWritten_ -= w.bytes.byteLength;
      }
      w.cb?.(error ?? plainError("ERR_STREAM_DESTROYED", "write"));
    }
    for (const cb of endCallbacks) cb(error ?? plainError("ERR_STREAM_DESTROYED", "end"));
  }

  /**
   * Writes and end() callbacks left when the first write Node would have dispatched never
   * went out: the connection never came (`code` ERR_SOCKET_CLOSED_BEFORE_CONNECTION, inside
   * `close`), or an earlier `connect` listener destroyed the socket (ERR_SOCKET_CLOSED, inside
   * `connect`). As Node's onwrite: that first write (or batch) fails with `code`, which
   * errors the socket unless it was already; the writes behind it and end()'s callbacks
   * then fail with the socket's error.
   */
  private settleUnsent_(code: "ERR_SOCKET_CLOSED" | "ERR_SOCKET_CLOSED_BEFORE_CONNECTION") {
    const left = this.unsent_;
    if (left === undefined) return;
    this.unsent_ = undefined;
    this.closeWait_ = undefined;
    const first = this.firstBatch_;
    this.firstBatch_ = 0;
    const own = plainError(code);
    const errored = this.errored_ ??= own;
    // None of it is queued any more, nor counted as written, but for the first write of a
    // connection that never came (Node's bytesWritten still counts its pending data).
    const keepFirst = code === "ERR_SOCKET_CLOSED_BEFORE_CONNECTION";
    for (let i = 0; i < left.queued.length; i++) {
      const w = left.queued[i]!;
      this.writableLength_ -= w.size;
      if (!keepFirst || i >= first) this.bytesWritten_ -= w.bytes.byteLength;
      w.cb?.(i < first ? own : errored);
    }
    for (const cb of left.ends) cb(errored);
  }

  /** `close`, once, with whether the socket closed on an error. */
  private emitClose_() {
    if (this.closeEmitted_) return;
    this.closeEmitted_ = true;
    this.conn_ = null;
    this.info_ = null;
    // A socket that never had a connection emits `close` without an argument (Node).
    if (this.hadHandle_) emitOne(this, "close", this.hadError_);
    else emitNone(this, "close");
  }

  /** A driver failure: the socket is destroyed with Node's error for it. */
  private onDriverError_(err: DriverError, syscall: string): void {
    if (this.destroyed_ || this.errored_ !== null) return;
    const code = typeof err?.code === "string" ? err.code : "EIO";
    // A failed write is a write's failure, whatever the driver learned it from (a read may
    // have seen the reset first: node:net and Bun then report that one).
    const call = syscall !== "write" && typeof err?.syscall === "string" ? err.syscall : syscall;
    const error = systemError(code, call, "plain", undefined, undefined, err?.errno);
    if (!this.inWrite_) return void this.destroy(error);
    // A write the OS refused at once (the peer reset): Node's stream is errored now (write()
    // returns false, `writable` is false, later writes wait and fail with it) and destroyed
    // a tick later, when the write's callback gets the error.
    this.erroredNow_(error, []);
  }

  /**
   * A write refused at once (by the OS, or with no connection to write to): Node's stream
   * is errored now (write() returns false, `writable` is false, later writes wait in the
   * queue and fail with it) and destroyed a tick later, right after the callbacks of the
   * writes refused (their `callbacks`).
   */
  private erroredNow_(error: Error, callbacks: ReadonlyArray<Callback | undefined>): void {
    this.errored_ = error;
    this.queue_ ??= [];
    nextTick(() => {
      for (const cb of callbacks) cb?.(error);
      this.destroy(error);
    });
  }

  // ---------------------------------------------------------------- timeouts

  /**
   * Emit `timeout` after `ms` of inactivity (0 disables). The socket stays open: end or
   * destroy it from the listener.
   */
  setTimeout(ms: number, callback?: () => void): this {
    if (this.destroyed_) return this;
    this.timeout = ms;
    if (typeof ms !== "number") throw invalidArgType("msecs", "number", ms);
    if (ms < 0 || !Number.isFinite(ms)) throw outOfRange("msecs", "a non-negative finite number", ms);
    if (callback !== undefined && typeof callback !== "function") {
      throw invalidArgType("callback", "function", callback);
    }
    clearTimeout(this.timer_);
    this.timer_ = undefined;
    this.timeoutMs_ = ms;
    if (ms === 0) {
      if (callback) this.removeListener("timeout", callback);
    } else {
      this.lastActive_ = Date.now();
      this.arm_(ms);
      if (callback) this.once("timeout", callback);
    }
    return this;
  }

  /** Start the idle timer (unref'd, as Node's). */
  private arm_(delay: number) {
    const timer = setTimeout(() => this.onTimer_(), delay);
    // Idle timers never keep the process alive (Node's setUnrefTimeout).
    (timer as { unref?: () => void }).unref?.();
    this.driver_.unrefTimer?.(timer);
    this.timer_ = timer;
  }

  /** The idle timer fired: `timeout` if the socket was idle long enough, else re-arm for the rest. */
  private onTimer_(): void {
    this.timer_ = undefined;
    if (this.destroyed_ || this.timeoutMs_ === 0) return;
    const idle = Date.now() - this.lastActive_;
    if (idle < this.timeoutMs_) return this.arm_(this.timeoutMs_ - idle);
    // A write in flight that the OS kept taking since the last look is not idle (Node's
    // _onTimeout: libuv's write queue size changed): another period. A stalled one is.
    if (this.writing_ && this.flightBytes_ > 0) {
      const left = this.conn_?.writeQueueSize?.();
      if (left !== undefined && left !== this.flightBytes_) {
        this.flightBytes_ = left;
        this.lastActive_ = Date.now();
        return this.arm_(this.timeoutMs_);
      }
    }
    emitNone(this, "timeout");
  }

  /** Activity: the idle timeout counts from now. */
  private touch_() {
    if (this.timeoutMs_ === 0) return;
    this.lastActive_ = Date.now();
    if (this.timer_ === undefined) this.arm_(this.timeoutMs_);
  }

  // ---------------------------------------------------------------- options

  /** Disable (`true`, the default) or enable Nagle's algorithm. */
  setNoDelay(noDelay?: boolean): this {
    const enable = noDelay === undefined ? true : Boolean(noDelay);
    if (this.conn_ === null || this.connecting) {
      this.noDelay_ = enable;
      return this;
    }
    if (enable !== this.noDelay_) {
      this.noDelay_ = enable;
      this.conn_.setNoDelay(enable);
    }
    return this;
  }

  /** Enable or disable TCP keep-alive, with an initial delay in ms (whole seconds). */
  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    const on = Boolean(enable);
    const delay = Math.trunc((initialDelay ?? 0) / 1000) * 1000;
    this.keepAlive_ = on;
    this.keepAliveDelay_ = delay;
    if (this.conn_ !== null && !this.connecting) this.conn_.setKeepAlive(on, delay);
    return this;
  }

  /**
   * Set the IP type-of-service byte of the connection's packets (Node 24's
   * `setTypeOfService`; IP_TOS, or the traffic class on IPv6). Before the socket connects
   * the value is kept and set once it does. Where the runtime cannot set it (Deno, Bun,
   * Node before 24, Unix sockets) the value is kept only, and {@link getTypeOfService}
   * reports it, as Node does where its handle cannot.
   *
   * @param tos An integer from 0 to 255.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` for anything but a number (NaN too).
   * @throws {RangeError} `ERR_OUT_OF_RANGE` for a number that is not an integer from 0 to 255.
   *
   * @example
   * ```ts
   * import { connect } from "crossnet";
   * const socket = connect(8124, "127.0.0.1");
   * socket.setTypeOfService(0x10); // low delay
   * console.log(socket.getTypeOfService()); // 16
   * socket.on("error", () => {});
   * ```
   */
  setTypeOfService(tos: number): this {
    if (typeof tos !== "number" || Number.isNaN(tos)) throw invalidArgType("tos", "number", tos);
    if (!Number.isInteger(tos)) throw outOfRange("tos", "an integer", tos);
    if (tos < 0 || tos > 255) throw outOfRange("tos", ">= 0 && <= 255", tos);
    const changed = tos !== this.tos_;
    this.tos_ = tos;
    const conn = this.connecting ? null : this.conn_;
    if (conn !== null && changed) this.applyTypeOfService_(conn, tos, true);
    return this;
  }

  /**
   * The type-of-service byte (Node 24's `getTypeOfService`): the connection's as the OS has
   * it where the runtime can tell, else the value {@link setTypeOfService} was given (0
   * before).
   *
   * @example
   * ```ts
   * import { Socket } from "crossnet";
   * const socket = new Socket();
   * socket.setTypeOfService(8);
   * console.log(socket.getTypeOfService()); // 8
   * ```
   */
  getTypeOfService(): number {
    const conn = this.connecting ? null : this.conn_;
    let tos: number | undefined;
    try {
      tos = conn?.getTypeOfService?.();
    } catch (err) {
      throw this.tosError_(err, "getTypeOfService");
    }
    return tos ?? this.tos_ ?? 0;
  }

  /**
   * Set `tos` on `conn` where the driver can; its failure is thrown (`setTypeOfService()`)
   * or, when the connection was just made, an `error` event (Node's afterConnect).
   */
  private applyTypeOfService_(conn: DriverConnection, tos: number, fromCall = false): void {
    try {
      conn.setTypeOfService?.(tos);
    } catch (err) {
      const error = this.tosError_(err, "setTypeOfService");
      if (fromCall) throw error;
      emitOne(this, "error", error);
    }
  }

  /** A driver's type-of-service failure as Node's error (`setTypeOfService EINVAL`). */
  private tosError_(err: unknown, syscall: string): Error {
    const e = err as DriverError;
    if (typeof e?.code !== "string") return err as Error;
    return systemError(e.code, syscall, "plain", undefined, undefined, e.errno);
  }

  /** Let the socket keep the process alive (the default). */
  ref(): this {
    this.unref_ = false;
    if (this.conn_ !== null && !this.connecting) this.conn_.ref();
    return this;
  }

  /** Let the process exit while this socket is open. */
  unref(): this {
    this.unref_ = true;
    if (this.conn_ !== null && !this.connecting) this.conn_.unref();
    return this;
  }

  // ---------------------------------------------------------------- piping

  /**
   * Send everything this socket receives to `destination`, as node:stream's Readable does:
   * pause while a destination's `write` returned `false` (until its `drain`), end it at our
   * `end` (also when we had ended already, a tick later) except with `end: false` (then it
   * is unpiped) and for the process's stdout and stderr; unpipe it at its `finish` or
   * `close`, and at its `error` (thrown on when nothing else listens).
   *
   * @example
   * ```ts
   * import { createServer } from "crossnet";
   * createServer((socket) => socket.pipe(socket)).listen(8124); // an echo server
   * ```
   */
  pipe<T extends PipeDestination>(dest: T, options?: { end?: boolean }): T {
    return pipeInto(this, this.pipes_ ??= noPipes(), dest, options);
  }

  private pipes_: Pipes | undefined;

  /** Stop piping into `destination` (every destination when omitted); paused once none is left. */
  unpipe(destination?: PipeDestination): this {
    if (this.pipes_ !== undefined) unpipeFrom(this, this.pipes_, destination);
    return this;
  }

  /** @internal The destinations piped to (`_readableState.pipes`). */
  get pipeDestinations_(): PipeDestination[] {
    return (this.pipes_ ??= noPipes()).destinations;
  }

  // ---------------------------------------------------------------- extras

  /** Resolves with both ends' addresses once connected; rejects if the connect fails. */
  get opened(): Promise<OpenedInfo> {
    this.opened_ ??= new Promise<OpenedInfo>((resolve, reject) => {
      if (this.everConnected_ && !this.connecting && this.conn_ !== null) {
        return resolve(this.openedInfo_());
      }
      // Closed before anyone asked: it was open (what is known of its ends), or never was.
      if (this.closeEmitted_ && !this.connecting) {
        if (this.everConnected_) return resolve(this.openedInfo_());
        return reject(this.lastError_ ?? plainError("ERR_SOCKET_CLOSED_BEFORE_CONNECTION"));
      }
      const onConnect = () => {
        this.removeListener("close", onClose);
        resolve(this.openedInfo_());
      };
      const onClose = () => {
        this.removeListener("connect", onConnect);
        reject(this.lastError_ ?? plainError("ERR_SOCKET_CLOSED_BEFORE_CONNECTION"));
      };
      this.once("connect", onConnect);
      this.once("close", onClose);
    });
    this.opened_.catch(() => {});
    return this.opened_;
  }

  /** The error the socket closed on, for `closedPromise` and `opened`. */
  private get lastError_(): Error | undefined {
    return this.capturedError_;
  }

  private capturedError_: Error | undefined;

  /** Both ends' addresses for `opened`, as far as they can still be asked. */
  private openedInfo_(): OpenedInfo {
    // Destroyed but not yet closed: only what was already asked.
    const i = this.hasEnds_() ? this.ends_() : this.info_ ?? {};
    return {
      localAddress: i.localAddress,
      localPort: i.localPort,
      localFamily: i.localFamily,
      remoteAddress: i.remoteAddress,
      remotePort: i.remotePort,
      remoteFamily: i.remoteFamily,
    };
  }

  /**
   * Whether the socket is closed, Node's stream property: `true` from `destroy()` on
   * (whatever destroyed it: an error, the end of both sides, a reset), so also inside the
   * `close` listeners. Node's `stream.pipeline()` refuses to pipe into a socket that says
   * it is. (The promise of the close is {@link closedPromise}.)
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Socket } from "crossnet";
   *
   * const socket = new Socket();
   * assert.equal(socket.closed, false);
   * socket.destroy();
   * assert.equal(socket.closed, true);
   * ```
   */
  get closed(): boolean {
    return this.destroyed_;
  }

  /**
   * Resolves once the socket is closed (its `close` event); rejects with the error if it
   * closed on one. crossnet's own (Node's streams have `closed`, a boolean).
   *
   * @example
   * ```ts
   * import { connect, createServer, type AddressInfo } from "crossnet";
   *
   * const server = createServer((s) => s.end("bye")).listen(0, "127.0.0.1", async () => {
   *   const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
   *   socket.resume();
   *   await socket.closedPromise; // the server ended, so did we
   *   server.close();
   * });
   * ```
   */
  get closedPromise(): Promise<void> {
    this.closedPromise_ ??= new Promise<void>((resolve, reject) => {
      if (this.closeEmitted_) {
        return this.hadError_ ? reject(this.capturedError_) : resolve();
      }
      this.once("close", (hadError: boolean) => hadError ? reject(this.capturedError_) : resolve());
    });
    this.closedPromise_.catch(() => {});
    return this.closedPromise_;
  }

  /** The received bytes as a Web `ReadableStream` (consuming it makes the socket flow). */
  get readableStream(): ReadableStream<Uint8Array> {
    this.streams_ ??= new ByteStreams(this);
    return this.streams_.readable;
  }

  /** A Web `WritableStream` writing to this socket, with backpressure; closing it ends ours. */
  get writableStream(): WritableStream<Uint8Array | string> {
    this.streams_ ??= new ByteStreams(this);
    return this.streams_.writable;
  }

  /**
   * Iterate over received chunks; ends at the peer's FIN (`end`), throws the socket's error,
   * or `ERR_STREAM_PREMATURE_CLOSE` when it closes without an end (destroy() while reading:
   * as with Node's sockets, a cut-off stream does not look complete). Once the socket is
   * destroyed, what was received and not yet taken is not yielded (Node's). Leaving the loop
   * early destroys the socket, with an `AbortError` (`error`, then `close(true)`) while a
   * side of it is still open; so does the loop's end, without an error, unless the socket
   * is half-open (`allowHalfOpen`) and still writable (see {@link iterator} to keep it).
   *
   * @example
   * ```ts
   * import { connect } from "crossnet";
   * const socket = connect(8124, "127.0.0.1");
   * socket.on("error", (err) => console.log(err.name)); // AbortError, at the break
   * for await (const chunk of socket) {
   *   console.log("first chunk:", chunk);
   *   break;
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array | string> {
    return this.iterator();
  }

  // ------------------------------------------------ Readable's operators (node:stream's)

  /**
   * Readable's `map(fn, options)`: a node:stream `Readable` of what `fn` returns for each
   * chunk (awaited; `concurrency` calls at once). The operators are node:stream's own,
   * called on the socket (they read it with `for await`); leaving early (`take`, `find`,
   * a failure) destroys the socket, as leaving a `for await` loop does.
   *
   * @throws {Error} `ERR_METHOD_NOT_IMPLEMENTED` where the runtime has no `node:stream`.
   *
   * @example
   * ```ts
   * import { connect, createServer, type AddressInfo } from "crossnet";
   *
   * const server = createServer((s) => s.end("hello")).listen(0, "127.0.0.1", async () => {
   *   const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
   *   socket.setEncoding("utf8");
   *   const upper = await socket.map((text: string) => text.toUpperCase()).toArray();
   *   console.log(upper.join("")); // HELLO
   *   server.close();
   * });
   * ```
   */
  // deno-lint-ignore no-explicit-any
  map(fn: (chunk: any, options: { signal: AbortSignal }) => unknown, options?: ConcurrentOperatorOptions): OperatorStream;
  map(...args: unknown[]): OperatorStream {
    return callOperator(this, "map", args) as OperatorStream;
  }

  /** Readable's `filter(fn, options)`: a node:stream `Readable` of the chunks `fn` keeps. */
  // deno-lint-ignore no-explicit-any
  filter(fn: (chunk: any, options: { signal: AbortSignal }) => unknown, options?: ConcurrentOperatorOptions): OperatorStream;
  filter(...args: unknown[]): OperatorStream {
    return callOperator(this, "filter", args) as OperatorStream;
  }

  /** Readable's `flatMap(fn, options)`: a node:stream `Readable` of every item of what `fn` returns. */
  // deno-lint-ignore no-explicit-any
  flatMap(fn: (chunk: any, options: { signal: AbortSignal }) => unknown, options?: ConcurrentOperatorOptions): OperatorStream;
  flatMap(...args: unknown[]): OperatorStream {
    return callOperator(this, "flatMap", args) as OperatorStream;
  }

  /** Readable's `drop(limit, options)`: a node:stream `Readable` of the chunks after the first `limit`. */
  drop(limit: number, options?: OperatorOptions): OperatorStream;
  drop(...args: unknown[]): OperatorStream {
    return callOperator(this, "drop", args) as OperatorStream;
  }

  /**
   * Readable's `take(limit, options)`: a node:stream `Readable` of the first `limit` chunks
   * (the socket is destroyed once they are read).
   */
  take(limit: number, options?: OperatorOptions): OperatorStream;
  take(...args: unknown[]): OperatorStream {
    return callOperator(this, "take", args) as OperatorStream;
  }

  /** Readable's `compose(stream, options)`: a node:stream `Duplex` of this socket piped into `stream`. */
  compose(stream: unknown, options?: OperatorOptions): OperatorStream;
  compose(...args: unknown[]): OperatorStream {
    return callOperator(this, "compose", args) as OperatorStream;
  }

  /** Readable's `forEach(fn, options)`: calls `fn` for each chunk; resolves at the end. */
  // deno-lint-ignore no-explicit-any
  forEach(fn: (chunk: any, options: { signal: AbortSignal }) => unknown, options?: ConcurrentOperatorOptions): Promise<void>;
  forEach(...args: unknown[]): Promise<void> {
    return callOperator(this, "forEach", args) as Promise<void>;
  }

  /**
   * Readable's `toArray(options)`: every chunk until the end, in an array (chunk
   * boundaries are the reads', not the peer's writes).
   */
  // deno-lint-ignore no-explicit-any
  toArray(options?: OperatorOptions): Promise<any[]>;
  // deno-lint-ignore no-explicit-any
  toArray(...args: unknown[]): Promise<any[]> {
    // deno-lint-ignore no-explicit-any
    return callOperator(this, "toArray", args) as Promise<any[]>;
  }

  /** Readable's `some(fn, options)`: whether `fn` holds for a chunk (reading stops at the first). */
  // deno-lint-ignore no-explicit-any
  some(fn: (chunk: any, options: { signal: AbortSignal }) => unknown, options?: ConcurrentOperatorOptions): Promise<boolean>;
  some(...args: unknown[]): Promise<boolean> {
    return callOperator(this, "some", args) as Promise<boolean>;
  }

  /** Readable's `find(fn, options)`: the first chunk `fn` holds for, else `undefined`. */
  // deno-lint-ignore no-explicit-any
  find(fn: (chunk: any, options: { signal: AbortSignal }) => unknown, options?: ConcurrentOperatorOptions): Promise<any>;
  // deno-lint-ignore no-explicit-any
  find(...args: unknown[]): Promise<any> {
    // deno-lint-ignore no-explicit-any
    return callOperator(this, "find", args) as Promise<any>;
  }

  /** Readable's `every(fn, options)`: whether `fn` holds for every chunk. */
  // deno-lint-ignore no-explicit-any
  every(fn: (chunk: any, options: { signal: AbortSignal }) => unknown, options?: ConcurrentOperatorOptions): Promise<boolean>;
  every(...args: unknown[]): Promise<boolean> {
    return callOperator(this, "every", args) as Promise<boolean>;
  }

  /**
   * Readable's `reduce(fn, initial, options)`: `fn` folded over the chunks (from `initial`
   * when given, else from the first chunk).
   */
  // deno-lint-ignore no-explicit-any
  reduce<T = any>(fn: (previous: any, chunk: any, options: { signal: AbortSignal }) => T, initial?: T, options?: OperatorOptions): Promise<T>;
  reduce(...args: unknown[]): Promise<unknown> {
    return callOperator(this, "reduce", args) as Promise<unknown>;
  }

  /**
   * The same iteration as `for await (const chunk of socket)` (Readable's `iterator()`);
   * with `destroyOnReturn: false`, leaving the loop early leaves the socket open (paused),
   * to be read on.
   *
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `options` is given and not an object.
   *
   * @example
   * ```ts
   * import { connect } from "crossnet";
   * const socket = connect(8124, "127.0.0.1");
   * socket.setEncoding("utf8");
   * for await (const line of socket.iterator({ destroyOnReturn: false })) {
   *   console.log("greeting:", line);
   *   break; // the socket stays open
   * }
   * socket.end("thanks");
   * ```
   */
  iterator(options?: { destroyOnReturn?: boolean }): AsyncIterableIterator<Uint8Array | string> {
    if (options !== undefined && (options === null || typeof options !== "object")) {
      throw invalidArgType("options", "object", options);
    }
    const destroyOnReturn = options?.destroyOnReturn !== false;
    // What the reads emitted as `data` (and what else was emitted meanwhile: the decoder's
    // last characters at the end, a flow someone else started), in order.
    const queue: Array<Uint8Array | string> = [];
    let done = false;
    let failure: Error | undefined;
    // Whether the readable side is done: ended with nothing left to read, or `end` emitted.
    const finished = () => this.endEmitted_ || (this.readEnded_ && this.readBufferLength_ === 0);
    // Node's end-of-stream at a close: the socket's error, else none if the readable side
    // was done, else cut off. (`null`: the iteration is just over.)
    const atClose = (): Error | null =>
      this.errored_ ?? (finished() ? null : plainError("ERR_STREAM_PREMATURE_CLOSE"));
    const settle = (verdict: Error | null) => {
      if (verdict === null) done = true;
      else failure ??= verdict;
    };
    // Over already, as Node's end-of-stream judges when the loop begins: destroyed (as at a
    // close), errored, or with its readable side done. It tells a tick later: after an
    // `error` due from a destroy, before the `close` to come, whatever happens meanwhile.
    let over: Error | null | undefined;
    if (this.destroyed_ || this.closeEmitted_) over = atClose();
    else if (this.errorEmitted_ || finished()) over = this.errored_;
    if (over !== undefined) {
      const verdict = over;
      nextTick(() => {
        if (done || failure !== undefined) return;
        settle(verdict);
        notify();
      });
    }
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    // What this iteration's own reads emit is its own: another iteration's reads go to that
    // one (each of Node's iterators gets what its read() returned).
    const self = {};
    const onData = (chunk: Uint8Array | string) => {
      if (this.reader_ !== null && this.reader_ !== self) return;
      queue.push(chunk);
      notify();
    };
    const onEnd = () => {
      done = true;
      notify();
    };
    const onClose = () => {
      if (!done) settle(atClose());
      notify();
    };
    const onError = (err: Error) => {
      if (!done) failure ??= err; // (after the end, as Node's, the iteration is over)
      notify();
    };
    // Node's iterator reads in paused mode (a `readable` listener): the socket is not
    // flowing meanwhile (no `pause` event), pause() and resume() change nothing for it, and
    // each read emits `data` as well. (Its own `data` listener, added so, starts no flow.)
    Emitter.prototype.on.call(this, "data", onData);
    this.once("end", onEnd);
    this.once("close", onClose);
    this.on("error", onError);
    this.readers_++;
    (this.readerWakes_ ??= new Set()).add(notify);
    if (!this.endEmitted_) {
      this.flowing_ = false;
      this.readMore_();
    }
    let attached = true;
    const detach = () => {
      if (!attached) return;
      attached = false;
      this.readers_--;
      this.readerWakes_?.delete(notify);
      this.removeListener("data", onData);
      this.removeListener("end", onEnd);
      this.removeListener("close", onClose);
      this.removeListener("error", onError);
    };
    // Over, the socket destroyed (or failed, destroyed already): Node's iterator leaves its
    // listeners then, so its `error` listener stays (an AbortError goes to it when nothing
    // else listens, rather than being thrown), and it still counts as reading (resume()
    // leaves the socket not flowing).
    const destroyAfter = () => {
      if (attached) {
        attached = false;
        this.readerWakes_?.delete(notify);
        this.removeListener("data", onData);
      }
      this.destroyUnfinished_();
    };
    // Over, the socket kept: a tick later (Node's updateReadableListening) it flows if a
    // resume() is due or a `data` listener was added meanwhile, else it has no consumer (the
    // next one starts it).
    const release = () => {
      detach();
      nextTick(() => {
        if (this.readers_ > 0 || this.destroyed_) return;
        if (this.flowScheduled_ && this.paused_ === false) this.flowing_ = true;
        else if (this.listenerCount("data") > 0) this.resume();
        else if (this.flowing_ === false) this.flowing_ = null;
      });
    };
    const iterator: AsyncIterableIterator<Uint8Array | string> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async (): Promise<IteratorResult<Uint8Array | string>> => {
        while (true) {
          if (queue.length > 0) return { value: queue.shift()!, done: false };
          if (failure !== undefined) {
            destroyAfter();
            throw failure;
          }
          if (done) {
            // Node's iterator, at the end, destroys the socket it read, unless told not to or
            // it is a half-open one still writable (Node 24; Node 20 and 22 destroy that one
            // too, with an AbortError).
            const halfOpen = this.allowHalfOpen && this.writable && !this.ending_;
            if (destroyOnReturn && !halfOpen) destroyAfter();
            else release();
            return { value: undefined, done: true };
          }
          this.reader_ = self;
          try {
            this.readForIteration_();
          } finally {
            this.reader_ = null;
          }
          if (queue.length > 0 || done || failure !== undefined) continue;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
      return: async (): Promise<IteratorResult<Uint8Array | string>> => {
        if (destroyOnReturn) destroyAfter();
        else release();
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }

  /** Iterations reading the socket (Node's readableListening). */
  private readers_ = 0;
  /** Each iteration's wake-up (a no-op unless it waits), in the order they began. */
  private readerWakes_: Set<() => void> | null = null;
  /** The iteration whose read is emitting `data` now (the others do not take it). */
  private reader_: object | null = null;

  /**
   * Something to read came (a chunk, or an end of our own): the iterations waiting to read
   * are told, in the order they began (Node's `readable` listeners), so the first one reads
   * what is there.
   */
  private wakeReaders_(): void {
    if (this.readerWakes_ !== null) for (const wake of this.readerWakes_) wake();
  }

  /**
   * Node's _read, from read(0) a tick after resume() or from an iteration's read(): the
   * stream asked to read. Still connecting, the handle reads from `connect` on; inside a
   * `connect` listener, `readAsked_` keeps it reading whatever the listener does next (see
   * _connected); otherwise a driver paused only for want of a read (not at the high-water
   * mark, not errored) reads now.
   */
  private askToRead_(): void {
    this.readStarted_ = true;
    this.readAsked_ = true;
    if (
      !this.connecting && this.driverPaused_ && this.onread_ === null && this.errored_ === null &&
      this.readBufferLength_ < this.readableHwm_
    ) this.resumeDriver_();
  }

  /**
   * An iteration's read (Node's read() in paused mode): emit what is buffered as one `data`
   * (joined, as Node's read() joins its buffer: the peer's bytes, or the decoded text), read
   * from the peer again under the high-water mark, and `end` once nothing is left after the
   * end. Nothing once destroyed (what is buffered then is not read).
   */
  private readForIteration_(): void {
    if (this.destroyed_) return;
    const buffer = this.readBuffer_;
    if (buffer.length > 1 && joinable(buffer)) {
      const total = this.readBufferLength_;
      this.readBuffer_ = [];
      this.readBufferLength_ = 0;
      if (buffer[0] instanceof Verbatim) {
        let text = "";
        for (const item of buffer) text += (item as Verbatim).value as string;
        this.deliverItem_(new Verbatim(text));
      } else this.deliver_(concatBytes(buffer as Uint8Array[], total));
    } else if (buffer.length > 0) {
      const item = buffer.shift()!;
      this.readBufferLength_ -= sizeOf(item);
      this.deliverItem_(item);
    }
    if (this.destroyed_) return;
    // (Node's read() calls _read under the high-water mark, until the end.)
    if (this.onread_ === null && this.readBufferLength_ < this.readableHwm_ && !this.eof_) this.askToRead_();
    this.maybeEnd_(true);
  }

  /**
   * Destroy the socket as node:stream's destroyer() does when an iteration over it is over:
   * with an `AbortError` while either side is still open (readable and not ended, writable
   * and not ended), else without an error.
   */
  private destroyUnfinished_(): void {
    if (this.destroyed_) return;
    const open = (this.readable && !this.endEmitted_) || (this.writable && !this.ending_);
    this.destroy(open ? abortError() : undefined);
  }

  // ---------------------------------------------------------------- the driver's sink

  // The socket is its own ConnectionSink: the driver calls these directly, with no object
  // between (with 500 connections, that object was one more cold cache line per read).
  // `_data` is with the reading code above.

  /** @internal The driver's sink: the peer's FIN. */
  _eof(): void {
    this.onEof_();
  }

  /** @internal The driver's sink: the connection failed. */
  _error(err: DriverError): void {
    // Not reading (paused; or past the peer's FIN, with no write out): Node learns of a
    // reset only when it reads again, or from a write, which fails then.
    if (this.driverPaused_ || (this.eof_ && !this.pushedEof_ && !this.writing_)) this.readFailure_ ??= err;
    else this.onDriverError_(err, "read");
  }

  /** @internal The driver's sink: with `onread`, the user's buffer to read straight into. */
  _target(): Uint8Array | undefined {
    return this.onread_ === null ? undefined : this.lendOnreadBuffer_();
  }

  /** @internal The driver's sink: `n` bytes were read into the buffer `_target` gave. */
  _filled(n: number): void {
    this.onFilled_(n);
  }

  /**
   * `await using socket = connect(...)`: at the end of the scope the socket is destroyed, as
   * Node's Readable does it: with an `AbortError` (emitted as `error`, the socket `errored`)
   * unless its readable side had ended. The promise settles once the socket is closed, as
   * `stream.finished()` would, and rejects with any other error: the one the socket was
   * destroyed with before, or `ERR_STREAM_PREMATURE_CLOSE` when it had closed before its
   * end. The `error` event this causes is the promise's to report: it never reaches the
   * process.
   *
   * @example
   * ```ts
   * import { connect, createServer, type AddressInfo } from "crossnet";
   *
   * const server = createServer((s) => s.resume()).listen(0, "127.0.0.1", async () => {
   *   {
   *     await using socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
   *     socket.write("hello");
   *   } // destroyed here (its `error` event: an AbortError)
   *   server.close();
   * });
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    let error: Error | undefined;
    // (Node's finished() listens to `error` as long as the socket lives: one listener.)
    this.on("error", ignoreError);
    if (!this.destroyed_) {
      if (!this.endEmitted_) error = abortError();
      this.destroy(error);
    }
    if (!this.closeEmitted_) await new Promise<void>((resolve) => this.once("close", () => resolve()));
    const outcome = this.finishedError_();
    if (outcome !== null && outcome !== error) throw outcome;
  }

  /**
   * What `stream.finished()` reports for the socket once it closed (Node's end-of-stream
   * rule): the error it was destroyed with; else `ERR_STREAM_PREMATURE_CLOSE` when a side
   * closed before its end (no `end` event, or the writable side not ended with every byte
   * written); else `null`.
   */
  private finishedError_(): Error | null {
    if (this.errored_ !== null) return this.errored_;
    const writableDone = this.finished_ || (this.ending_ && this.writableLength_ === 0);
    if (!this.endEmitted_ || !writableDone) return plainError("ERR_STREAM_PREMATURE_CLOSE");
    return null;
  }
}

// node:events' `captureRejectionSymbol` method, as Node's Readable has it: a listener's
// rejection (the socket capturing them: the option `captureRejections`, or node:events'
// global one) destroys the socket with it. Replace it on the instance or a subclass to
// decide otherwise: it gets the rejection, the event and the event's arguments. (Set here,
// not declared in the class: isolated declarations cannot name the symbol's key there.)
(Socket.prototype as unknown as Record<symbol, unknown>)[captureRejectionSymbol] = function (
  this: Socket,
  err: unknown,
): void {
  this.destroy(err as Error);
};

/** The `error` listener Symbol.asyncDispose leaves, as Node's finished() does. */
function ignoreError(): void {}

/**
 * A buffered item of a socket that decodes (setEncoding) that is emitted as it is, a string
 * or bytes, without the decoder: what unshift() put back, a string push() was given in the
 * socket's encoding (Node's readable side keeps such chunks apart so).
 */
class Verbatim {
  /**
   * @param value What the `data` event carries.
   */
  constructor(readonly value: string | Uint8Array) {}
}

/**
 * Whether buffered items join into one chunk: all the peer's (or pushed) bytes, or all
 * decoded text. (Bytes put back with an encoding set stay apart, each its own chunk.)
 */
function joinable(items: ReadonlyArray<Uint8Array | Verbatim>): boolean {
  const text = items[0] instanceof Verbatim;
  for (const item of items) {
    if (text ? !(item instanceof Verbatim) || typeof item.value !== "string" : item instanceof Verbatim) return false;
  }
  return true;
}

/** What an item counts for in readableLength: bytes, or a string's length (as Node's). */
function sizeOf(item: Uint8Array | Verbatim): number {
  if (!(item instanceof Verbatim)) return item.byteLength;
  const value = item.value;
  return typeof value === "string" ? value.length : value.byteLength;
}

/** The listener methods node:http wraps on a socket it serves (see readableFlowing's setter). */
const HTTP_WRAPPED = ["on", "addListener", "prependListener"] as const;

// Out of line on purpose: a closure over write()'s own `cb` would make every write()
// call allocate a context for it (V8 and JSC both), errors or not.
/** Calls `fn` at once: {@link nextTurn}'s stand-in where nothing is to wait for. */
function runNow(fn: () => void): void {
  fn();
}

function callLater(cb: Callback, err: Error): void {
  nextTick(() => cb(err));
}

function hasCallback(batch: readonly QueuedWrite[]): boolean {
  for (let i = 0; i < batch.length; i++) if (batch[i]!.cb !== undefined) return true;
  return false;
}

