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
import { Emitter, emitNone, emitOne, type Listener as Callback } from "./emitter.ts";
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
  type CodedError,
} from "./errors.ts";
import { normalizeEncoding, StreamDecoder, type Encoding } from "./encoding.ts";
import { asChunk, concatBytes, DEFAULT_BINARY_TYPE, type BinaryType } from "./bytes.ts";
import { Connector, type LookupFunction } from "./connector.ts";
import { DEFAULT_HIGH_WATER_MARK } from "./defaults.ts";
import { normalizeConnectArgs, parseOnRead, toBytes, validateNonNegative, validateTcpOptions, type OnRead } from "./socket_args.ts";
import { ByteStreams } from "./streams.ts";
import { nextTurn } from "./turn.ts";

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
  /** Both high-water marks, in bytes (default 64 KiB). */
  highWaterMark?: number;
  /** Buffered incoming bytes at which reading from the peer stops (overrides `highWaterMark`). */
  readableHighWaterMark?: number;
  /** Queued outgoing bytes at which `write` returns `false` (overrides `highWaterMark`). */
  writableHighWaterMark?: number;
  /** Decode data to strings with this encoding (same as `setEncoding`). */
  encoding?: string;
  /** `"buffer"` (default where `Buffer` exists) or `"uint8array"` for plain chunks. */
  binaryType?: BinaryType;
  /**
   * Read into one buffer of yours instead of getting `data` events (node:net's `onread`):
   * no chunk is allocated per read. `end`, `error` and `close` come as usual.
   */
  onread?: OnReadOptions;
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
  #destroyed = false;
  #bytesRead = 0;
  #timeoutMs = 0;
  #flowing: boolean | null = null;
  #readBufferLength = 0;
  #flowScheduled = false;
  #decoder: StreamDecoder | null = null;
  #binaryType: BinaryType;
  /** node:net's `onread`: bytes go into the user's buffer, no `data` events. */
  #onread: OnRead | null = null;
  #ending = false;
  #conn: DriverConnection | null = null;
  #bytesWritten = 0;
  #writableLength = 0;
  #writableHwm: number;
  #needDrain = false;
  #writing = false;
  /** Writes waiting for the one in flight (or for `connect`); `null` when there are none. */
  #queue: QueuedWrite[] | null = null;
  #solo = false;
  #soloSize = 0;
  #soloCb: Callback | undefined;
  #inWrite = false;
  /**
   * The write in flight when it went straight to the driver (nothing queued, the common
   * case): its size and callback live in #solo, #soloSize and #soloCb, not in a queue
   * entry. Written at once (the driver's write returned `true`), it is finished inside
   * write(); otherwise the driver reports to `#soloDone`, made once per connection. No
   * allocation per write.
   */
  #soloDone: ((err?: DriverError) => void) | undefined;
  /** A solo write's finish is due in a microtask (#afterSoloLater), with this callback. */
  #laterDue = false;
  #laterCb: Callback | undefined;
  #afterLater: (() => void) | undefined;

  /** Keep our side writable after the peer's FIN. */
  allowHalfOpen: boolean;
  /** The idle timeout in ms set by `setTimeout`, `undefined` before. */
  timeout: number | undefined = undefined;
  /** The server that accepted this socket, if any. */
  server: unknown = undefined;
  /** Addresses tried by a multi-address connect, as `ip:port`. */
  autoSelectFamilyAttemptedAddresses: string[] | undefined = undefined;

  #driver: Driver;
  #connector: Connector | null = null;
  /**
   * Both ends' addresses, asked of the driver the first time the user reads one (as Node
   * calls getsockname/getpeername on first use): `null` until then. Most connections never
   * ask, and asking costs a runtime two system calls or a few objects.
   */
  #info: ConnectionInfo | null = null;
  #peerCache: ConnectionInfo | null = null;
  #owner: SocketOwner | null = null;

  #closeEmitted = false;
  #errorEmitted = false;
  #hadError = false;
  #everConnected = false;

  // Readable side.
  #paused: boolean | null = null;
  #readBuffer: Uint8Array[] = [];
  #readableHwm: number;
  #driverPaused = false;
  /**
   * A read failure the driver reported while reading was paused, reported once it reads
   * again: Node's paused socket is not reading (readStop), and learns of a reset only then,
   * or from a write.
   */
  #readFailure: DriverError | undefined;
  #eof = false;
  #endEmitted = false;
  #endScheduled = false;
  /** `onread.callback` returned `false`: no reading until `resume()`. */
  #onreadStopped = false;
  /** `onread`: the buffer the driver is reading into, if it asked for one. */
  #lent: Uint8Array | undefined;

  // Writable side.
  #inFlight: QueuedWrite[] = [];
  #shutdownStarted = false;
  /** end() came after `end`: no shutdown of its own, the close that follows sends the FIN. */
  #finDeferred = false;
  #finished = false;
  #endCallbacks: Callback[] = [];
  #writeAfterFin = false;
  #flushOnConnect = false;
  #hadHandle = false;

  // Options applied once connected.
  #noDelay: boolean | undefined;
  #keepAlive = false;
  #keepAliveDelay = 0;
  #unref = false;

  // Idle timeout.
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastActive = 0;

  #streams: ByteStreams | undefined;
  #opened: Promise<OpenedInfo> | undefined;
  #closed: Promise<void> | undefined;

  /** @internal Use `new Socket(options)` from `crossnet`, bound to a driver. */
  constructor(driver: Driver, options: SocketOptions = {}) {
    super();
    if (options === null || typeof options !== "object") {
      throw invalidArgType("options", "Object", options);
    }
    const anyOptions = options as Record<string, unknown>;
    if (anyOptions.fd !== undefined) {
      if (typeof anyOptions.fd !== "number") throw invalidArgType("fd", "number", anyOptions.fd);
      if (!Number.isInteger(anyOptions.fd) || anyOptions.fd < 0) {
        throw outOfRange("fd", ">= 0 && <= 2147483647", anyOptions.fd);
      }
    }
    for (const key of ["objectMode", "readableObjectMode", "writableObjectMode"]) {
      if (anyOptions[key]) throw invalidArgValue(`options.${key}`, anyOptions[key], "is not supported");
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
    this.#driver = driver;
    this.allowHalfOpen = Boolean(options.allowHalfOpen);
    const hwm = options.highWaterMark;
    if (hwm !== undefined) validateNonNegative(hwm, "options.highWaterMark");
    this.#readableHwm = options.readableHighWaterMark ?? hwm ?? DEFAULT_HIGH_WATER_MARK;
    this.#writableHwm = options.writableHighWaterMark ?? hwm ?? DEFAULT_HIGH_WATER_MARK;
    this.#binaryType = options.binaryType ?? DEFAULT_BINARY_TYPE;
    if (options.encoding !== undefined && options.encoding !== null) {
      this.setEncoding(options.encoding);
    }
    this.#onread = parseOnRead(options.onread);
    if (options.noDelay) this.#noDelay = true;
    if (options.keepAlive) {
      this.#keepAlive = true;
      this.#keepAliveDelay = Math.trunc((options.keepAliveInitialDelay ?? 0) / 1000) * 1000;
    }
    const signal = options.signal;
    if (signal !== undefined) {
      if (signal === null || typeof signal !== "object" || !("aborted" in signal)) {
        throw invalidArgType("signal", "AbortSignal", signal);
      }
      const onAbort = () => this.destroy(abortError(signal.reason));
      if (signal.aborted) queueMicrotask(onAbort);
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        this.once("close", () => signal.removeEventListener("abort", onAbort));
      }
    }
  }

  // ---------------------------------------------------------------- state

  /** `true` once destroyed. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** `true` until connected (also while connecting). */
  get pending(): boolean {
    return this.#conn === null || this.connecting;
  }

  /** Whether data can still be read (no EOF delivered, not destroyed). */
  get readable(): boolean {
    return !this.#destroyed && !this.#errorEmitted && !this.#endEmitted;
  }

  /** Whether data can still be written (`end()` not called, not destroyed). */
  get writable(): boolean {
    return !this.#destroyed && !this.#ending && !this.#hadError;
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
    return this.#bytesRead;
  }

  /** Bytes written, including bytes still queued. */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** Bytes queued for writing and not yet handed to the OS. */
  get writableLength(): number {
    return this.#writableLength;
  }

  /** Old name of {@link writableLength}. */
  get bufferSize(): number {
    return this.#writableLength;
  }

  /** The write high-water mark: `write` returns `false` past it. */
  get writableHighWaterMark(): number {
    return this.#writableHwm;
  }

  /** The read high-water mark: reading pauses when this much is buffered. */
  get readableHighWaterMark(): number {
    return this.#readableHwm;
  }

  /** Bytes received and not yet delivered (paused). */
  get readableLength(): number {
    return this.#readBufferLength;
  }

  /** `true` once `end()` was called. */
  get writableEnded(): boolean {
    return this.#ending;
  }

  /** `true` once every byte and the FIN were handed to the OS (`finish`). */
  get writableFinished(): boolean {
    return this.#finished;
  }

  /** `true` when a write returned `false` and `drain` has not come yet. */
  get writableNeedDrain(): boolean {
    return this.#needDrain;
  }

  /** `true` once `end` was emitted. */
  get readableEnded(): boolean {
    return this.#endEmitted;
  }

  /** `true` (flowing), `false` (paused) or `null` (no consumer yet). */
  get readableFlowing(): boolean | null {
    return this.#flowing;
  }

  /** The encoding set with `setEncoding`, or `null`. */
  get readableEncoding(): Encoding | null {
    return this.#decoder?.encoding ?? null;
  }

  /** Local IP address, once connected. */
  get localAddress(): string | undefined {
    return this.#hasEnds() ? this.#ends().localAddress : undefined;
  }

  /** Local port, once connected. */
  get localPort(): number | undefined {
    return this.#hasEnds() ? this.#ends().localPort : undefined;
  }

  /** `"IPv4"` or `"IPv6"`, once connected. */
  get localFamily(): string | undefined {
    return this.#hasEnds() ? this.#ends().localFamily : undefined;
  }

  /** Remote IP address, once connected (kept after close once read, as Node does). */
  get remoteAddress(): string | undefined {
    return this.#peer().remoteAddress;
  }

  /** Remote port. */
  get remotePort(): number | undefined {
    return this.#peer().remotePort;
  }

  /** `"IPv4"` or `"IPv6"`. */
  get remoteFamily(): string | undefined {
    return this.#peer().remoteFamily;
  }

  /** Connected and not destroyed: the ends can be asked (Node: a live handle). */
  #hasEnds(): boolean {
    return this.#conn !== null && !this.connecting && !this.#destroyed;
  }

  /** Both ends' addresses; only while {@link #hasEnds}. */
  #ends(): ConnectionInfo {
    return (this.#info ??= this.#conn!.info());
  }

  #peer(): ConnectionInfo {
    if (this.#hasEnds()) this.#peerCache ??= this.#ends();
    return this.#peerCache ?? {};
  }

  /**
   * The bound address: `{ address, family, port }` for TCP, `{}` before connecting or
   * after close.
   */
  address(): AddressInfo | Record<string, never> {
    if (!this.#hasEnds()) return {};
    const ends = this.#ends();
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
    const [options, cb] = normalizeConnectArgs(args);
    const given = options as { port?: unknown; path?: unknown };
    if (given.port === undefined && (given.path === undefined || given.path === null)) {
      throw missingArgs(["options", "port", "path"]);
    }
    if (this.#destroyed) this.#undestroy();
    if (this.connecting || (this.#conn !== null)) {
      // Node reuses the socket; reconnecting an open socket is not supported.
      throw plainError("ERR_SOCKET_CLOSED");
    }
    const path = (options as IpcSocketConnectOptions).path;
    let tcp: Parameters<Connector["connectTcp"]>[0] | undefined;
    if (path) {
      if (typeof path !== "string") throw invalidArgType("options.path", "string", path);
    } else {
      tcp = validateTcpOptions(options as TcpSocketConnectOptions);
    }
    if (cb) this.once("connect", cb);
    this.connecting = true;
    this.#hadHandle = true;
    this.#touch();
    const connector = new Connector(this.#driver, this, {
      connected: (conn) => this.#onConnected(conn),
      failed: (err) => {
        this.#connector = null;
        this.destroy(err);
      },
    });
    this.#connector = connector;
    if (tcp) connector.connectTcp(tcp);
    else connector.connectPath(path);
    return this;
  }

  #undestroy() {
    this.#destroyed = false;
    this.#closeEmitted = false;
    this.#errorEmitted = false;
    this.#hadError = false;
    this.#eof = false;
    this.#endEmitted = false;
    this.#endScheduled = false;
    this.#ending = false;
    this.#shutdownStarted = false;
    this.#finDeferred = false;
    this.#finished = false;
    this.#writeAfterFin = false;
    this.#conn = null;
    this.#info = null;
    this.#peerCache = null;
  }

  #onConnected(conn: DriverConnection) {
    this.#connector = null;
    if (this.#destroyed) {
      conn.close();
      return;
    }
    this.#attach(conn);
    this.connecting = false;
    this.#everConnected = true;
    emitNone(this, "connect");
    emitNone(this, "ready");
    if (!this.#flushOnConnect) this.#flush();
    if (this.#ending && this.#queue === null) this.#maybeShutdown();
  }

  #attach(conn: DriverConnection) {
    this.#conn = conn;
    this.#info = null;
    this.#soloDone = (err) => this.#onSoloDone(conn, err);
    if (this.#noDelay !== undefined) conn.setNoDelay(this.#noDelay);
    if (this.#keepAlive) conn.setKeepAlive(true, this.#keepAliveDelay);
    if (this.#unref) conn.unref();
    this.#touch();
    // Read only while someone consumes (or while the buffer has room): Node's semantics.
    this.#driverPaused = false;
    this.#readFailure = undefined;
    conn.start(this);
  }

  /** @internal Adopt a connection accepted by a server. */
  _adopt(conn: DriverConnection, owner: SocketOwner, pauseOnConnect: boolean): void {
    this.#owner = owner;
    this.#everConnected = true;
    this.#hadHandle = true;
    if (pauseOnConnect) {
      this.#flowing = false;
      this.#paused = true;
    }
    this.#attach(conn);
    if (pauseOnConnect) this.#pauseDriver();
  }

  // ---------------------------------------------------------------- reading

  #onData(chunk: Uint8Array) {
    if (this.#destroyed) return;
    this.#bytesRead += chunk.byteLength;
    this.#touch();
    if (this.#onread !== null) {
      if (this.#readBufferLength === 0 && this.#onreadFlowing()) this.#readInto(chunk);
      else this.#holdForOnread(chunk);
      return;
    }
    if (this.#flowing === true && this.#readBufferLength === 0 && !this.#flowScheduled) {
      this.#deliver(chunk);
      return;
    }
    this.#readBuffer.push(chunk);
    this.#readBufferLength += chunk.byteLength;
    if (this.#readBufferLength >= this.#readableHwm) this.#pauseDriver();
  }

  /** `onread` takes bytes now: neither paused nor stopped by its callback. */
  #onreadFlowing(): boolean {
    return !this.#onreadStopped && this.#paused !== true && !this.#flowScheduled;
  }

  /** `onread`: keep `chunk` for later, and stop reading meanwhile (as Node's readStop). */
  #holdForOnread(chunk: Uint8Array, first = false) {
    if (first) this.#readBuffer.unshift(chunk);
    else this.#readBuffer.push(chunk);
    this.#readBufferLength += chunk.byteLength;
    this.#pauseDriver();
  }

  /**
   * `onread`: copy `chunk` into the user's buffer, as many times as it takes, telling the
   * callback each time. What is left when the callback stops reading waits for `resume()`.
   */
  #readInto(chunk: Uint8Array) {
    const onread = this.#onread!;
    let offset = 0;
    while (offset < chunk.byteLength) {
      const buffer = onread.buffer ?? this.#nextOnreadBuffer(onread);
      if (buffer === undefined) return;
      const n = Math.min(buffer.byteLength, chunk.byteLength - offset);
      buffer.set(offset === 0 && n === chunk.byteLength ? chunk : chunk.subarray(offset, offset + n));
      offset += n;
      if (!this.#tellOnread(onread, n, buffer)) return;
      if (offset < chunk.byteLength && !this.#onreadFlowing()) {
        this.#holdForOnread(chunk.subarray(offset), true);
        return;
      }
    }
    if (!this.#onreadFlowing()) this.#pauseDriver();
  }

  /**
   * `onread`: tell the callback `n` bytes are in `buffer`, then get the next buffer (Node
   * asks after every callback). Returns `false` when the callback destroyed the socket.
   */
  #tellOnread(onread: OnRead, n: number, buffer: Uint8Array): boolean {
    const more = onread.callback.call(this, n, buffer) !== false;
    if (onread.next !== undefined) this.#nextOnreadBuffer(onread);
    if (this.#destroyed) return false;
    if (!more) this.#onreadStopped = true;
    return true;
  }

  /** Stop reading from the OS (no-op when already stopped). */
  #pauseDriver() {
    if (this.#driverPaused) return;
    this.#driverPaused = true;
    this.#conn?.pause();
  }

  /** Read from the OS again: what the driver held comes first, then a held read failure. */
  #resumeDriver() {
    this.#driverPaused = false;
    this.#conn?.resume();
    const failure = this.#readFailure;
    if (failure === undefined || this.#driverPaused) return;
    this.#readFailure = undefined;
    this.#onDriverError(failure, "read");
  }

  /**
   * Ask `onread.buffer()` for the next buffer. Anything but a non-empty `Uint8Array` is
   * ignored (the previous buffer is used again, as Node does); with no previous buffer,
   * that is an error.
   */
  #nextOnreadBuffer(onread: OnRead): Uint8Array | undefined {
    const next = onread.next!.call(undefined);
    if (next instanceof Uint8Array && next.byteLength > 0) onread.buffer = next;
    else if (onread.buffer === undefined) {
      this.destroy(invalidReturnValue("a non-empty Uint8Array", "onread.buffer", next));
    }
    return onread.buffer;
  }

  /** `onread`: the user's buffer, for the driver to read straight into, when it may. */
  #lendOnreadBuffer(): Uint8Array | undefined {
    const onread = this.#onread!;
    if (this.#destroyed || this.#readBufferLength > 0 || !this.#onreadFlowing()) return undefined;
    return (this.#lent = onread.buffer ?? this.#nextOnreadBuffer(onread));
  }

  /** `onread`: the driver read `n` bytes into the buffer it was lent. */
  #onFilled(n: number) {
    const buffer = this.#lent;
    this.#lent = undefined;
    if (this.#destroyed || buffer === undefined || n <= 0) return;
    this.#bytesRead += n;
    this.#touch();
    // Paused (or stopped) while the read was pending: keep a copy for resume().
    if (this.#readBufferLength > 0 || !this.#onreadFlowing()) return this.#holdForOnread(buffer.slice(0, n));
    if (this.#tellOnread(this.#onread!, n, buffer) && !this.#onreadFlowing()) this.#pauseDriver();
  }

  /** `onread`: hand over what was held while paused or stopped, then read again. */
  #flowOnread() {
    while (this.#readBuffer.length > 0 && this.#onreadFlowing() && !this.#destroyed) {
      const chunk = this.#readBuffer.shift()!;
      this.#readBufferLength -= chunk.byteLength;
      this.#readInto(chunk);
    }
    if (this.#destroyed) return;
    if (this.#driverPaused && this.#readBufferLength === 0 && this.#onreadFlowing()) this.#resumeDriver();
    this.#maybeEnd();
  }

  #deliver(chunk: Uint8Array) {
    if (this.#decoder !== null) {
      const text = this.#decoder.write(chunk);
      if (text.length > 0) emitOne(this, "data", text);
    } else {
      emitOne(this, "data", asChunk(chunk, this.#binaryType));
    }
  }

  #onEof() {
    if (this.#destroyed || this.#eof) return;
    this.#eof = true;
    this.#touch();
    if (!this.allowHalfOpen) this.#writeAfterFin = true;
    this.#maybeEnd();
  }

  /** Emit `end` once the peer's FIN came and every buffered chunk was delivered. */
  #maybeEnd() {
    // Node reads 0 bytes at EOF: `end` comes even without a consumer when nothing is
    // buffered; buffered data must be consumed first.
    if (!this.#eof || this.#endEmitted || this.#endScheduled || this.#readBufferLength > 0) return;
    this.#endScheduled = true;
    queueMicrotask(() => {
      if (this.#destroyed || this.#endEmitted) return;
      if (this.#decoder !== null) {
        const rest = this.#decoder.end();
        if (rest.length > 0) emitOne(this, "data", rest);
      }
      this.#endEmitted = true;
      emitNone(this, "end");
      if (this.#destroyed) return;
      if (!this.allowHalfOpen && !this.#ending) {
        // Node ends our side on the next tick, before any promise continuation: do it now.
        this.end();
      } else if (this.#finished) {
        this.destroy();
      }
    });
  }

  #flow() {
    if (this.#onread !== null) return this.#flowOnread();
    while (this.#flowing === true && this.#readBuffer.length > 0 && !this.#destroyed) {
      const chunk = this.#readBuffer.shift()!;
      this.#readBufferLength -= chunk.byteLength;
      this.#deliver(chunk);
    }
    if (this.#destroyed) return;
    if (this.#driverPaused && this.#flowing === true && this.#readBufferLength < this.#readableHwm) {
      this.#resumeDriver();
    }
    this.#maybeEnd();
  }

  /** Start or restart the flow of `data` events. */
  resume(): this {
    if (this.#onread !== null && (this.#onreadStopped || this.#paused === true)) {
      // Node's readStart: reading goes on even when the stream was already flowing.
      this.#onreadStopped = false;
      if (this.#flowing === true) {
        this.#paused = false;
        this.#scheduleFlow(false);
        return this;
      }
    }
    if (this.#flowing !== true) {
      this.#flowing = true;
      this.#paused = false;
      this.#scheduleFlow(true);
    }
    return this;
  }

  /** Deliver what is buffered on the next microtask (after `resume` when `announce`). */
  #scheduleFlow(announce: boolean) {
    if (this.#flowScheduled) return;
    this.#flowScheduled = true;
    queueMicrotask(() => {
      this.#flowScheduled = false;
      if (this.#flowing !== true) return;
      if (announce) emitNone(this, "resume");
      this.#flow();
    });
  }

  /** Stop `data` events; incoming bytes are buffered, then the peer is slowed down. */
  pause(): this {
    if (this.#flowing !== false) {
      this.#flowing = false;
      emitNone(this, "pause");
    }
    this.#paused = true;
    // With `onread`, Node stops reading at once (not once the buffer is full).
    if (this.#onread !== null && this.#conn !== null && !this.connecting) this.#pauseDriver();
    return this;
  }

  /** Whether `pause()` was called (and not undone by `resume()`). */
  isPaused(): boolean {
    return this.#paused === true || this.#flowing === false;
  }

  /** Adding a `data` listener starts the flow, as in Node. */
  override on(event: string | symbol, listener: Callback): this {
    super.on(event, listener);
    return this.#added(event);
  }

  /** Same as {@link on}. */
  override addListener(event: string | symbol, listener: Callback): this {
    return this.on(event, listener);
  }

  /** Adding a `data` listener starts the flow, as in Node. */
  override prependListener(event: string | symbol, listener: Callback): this {
    super.prependListener(event, listener);
    return this.#added(event);
  }

  /** Adding a `data` listener starts the flow, as in Node. */
  override once(event: string | symbol, listener: Callback): this {
    super.once(event, listener);
    return this.#added(event);
  }

  /** Adding a `data` listener starts the flow, as in Node. */
  override prependOnceListener(event: string | symbol, listener: Callback): this {
    super.prependOnceListener(event, listener);
    return this.#added(event);
  }

  // A listener was added to `event`: a `data` listener starts the flow (unless paused).
  #added(event: string | symbol): this {
    if (event === "data" && this.#flowing !== false) this.resume();
    return this;
  }

  /**
   * Decode incoming data to strings (`utf8`, `utf16le`, `latin1`, `ascii`, `base64`,
   * `base64url`, `hex`); characters split across chunks are kept whole.
   */
  setEncoding(encoding?: string): this {
    const normalized = normalizeEncoding(encoding ?? "utf8");
    if (normalized === undefined) throw unknownEncoding(encoding);
    this.#decoder = new StreamDecoder(normalized);
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
    if (typeof encoding === "function") {
      cb = encoding;
      encoding = undefined;
    }
    const bytes = toBytes(data, encoding as string | undefined);
    if (cb !== undefined && typeof cb !== "function") throw invalidArgType("cb", "function", cb);
    // Ended, destroyed or never connected: refused (the rare cases, out of line).
    if (this.#ending || this.#destroyed || (this.#conn === null && !this.connecting)) {
      return this.#refuseWrite(cb);
    }
    const size = typeof data === "string" ? data.length : bytes.byteLength;
    this.#bytesWritten += bytes.byteLength;
    this.#writableLength += size;
    this.#touch();
    const conn = this.#conn;
    if (!this.#writing && this.#queue === null && conn !== null && !this.connecting) {
      this.#writing = true;
      this.#solo = true;
      this.#soloSize = size;
      this.#soloCb = cb;
      this.#inWrite = true;
      // Written at once (the common case): the driver calls nothing back.
      if (conn.write(bytes, this.#soloDone!)) this.#onSoloDone(conn, undefined);
      this.#inWrite = false;
    } else this.#enqueue(bytes, size, cb);
    // Node's answer: whether what is still unwritten once this write was tried is under the
    // high-water mark. A chunk the OS took whole leaves nothing: `true`, however large it
    // was (and no 'drain' follows); one it did not take counts in full until written.
    if (this.#writableLength < this.#writableHwm) return true;
    this.#needDrain = true;
    return false;
  }

  // write() when the bytes cannot go out at once: queued, sent by #flush (now, or from
  // `connect`).
  #enqueue(bytes: Uint8Array, size: number, cb: Callback | undefined) {
    (this.#queue ??= []).push({ bytes, size, cb });
    if (this.connecting) {
      // Like Node, queued writes go out from a `connect` listener added now.
      if (!this.#flushOnConnect) {
        this.#flushOnConnect = true;
        this.once("connect", () => {
          this.#flushOnConnect = false;
          this.#flush();
        });
      }
    } else {
      this.#inWrite = true;
      this.#flush();
      this.#inWrite = false;
    }
  }

  // write() on a socket that cannot take bytes: Node's errors, the callback told later.
  #refuseWrite(cb: Callback | undefined): false {
    if (this.#writeAfterFin && this.#ending) {
      const err = Object.assign(new Error("This socket has been ended by the other party"), {
        code: "EPIPE",
      });
      if (cb) callLater(cb, err);
      this.destroy(err);
      return false;
    }
    const err = this.#ending
      ? plainError("ERR_STREAM_WRITE_AFTER_END")
      : this.#destroyed
      ? plainError("ERR_STREAM_DESTROYED", "write")
      // Never connected and not connecting: nowhere to write (Node: ERR_SOCKET_CLOSED).
      : plainError("ERR_SOCKET_CLOSED");
    if (cb) callLater(cb, err);
    if (!this.#destroyed) this.destroy(err);
    return false;
  }

  #flush() {
    if (this.#writing || this.#conn === null || this.connecting || this.#destroyed) return;
    const queue = this.#queue;
    if (queue === null) {
      if (this.#ending) this.#maybeShutdown();
      return;
    }
    this.#writeQueued(this.#conn, queue);
  }

  // Not part of #flush, which runs after every completed write and mostly finds nothing to
  // do: a function holding a closure sets up its scope on every call (V8 and JSC alike).
  #writeQueued(conn: DriverConnection, queue: QueuedWrite[]) {
    // Coalesce small writes (Node's writev); hand large ones over as they are.
    let count = 1;
    let total = queue[0]!.bytes.byteLength;
    while (count < queue.length && total + queue[count]!.bytes.byteLength <= COALESCE_LIMIT) {
      total += queue[count]!.bytes.byteLength;
      count++;
    }
    // All of it (the usual case): the queue itself is the batch.
    const batch = count === queue.length ? queue : queue.splice(0, count);
    if (batch === queue) this.#queue = null;
    const bytes = count === 1 ? batch[0]!.bytes : concatBytes(batch.map((w) => w.bytes), total);
    this.#writing = true;
    this.#inFlight = batch;
    const sync = this.#inWrite;
    const done = (err?: DriverError): void => {
      if (this.#conn !== conn || this.#inFlight !== batch) return;
      this.#writing = false;
      // On failure the batch stays in flight: destroy() gives its callbacks the error.
      if (err) return this.#onDriverError(err, "write");
      this.#inFlight = [];
      for (const w of batch) this.#writableLength -= w.size;
      this.#touch();
      // Callbacks never run inside the user's write() call (Node's `sync` rule). With no
      // callback and no `drain` due, nothing is left to do: the queue is empty (this write
      // took it) and a socket cannot be ending inside write().
      if (sync && this.#inWrite) {
        if (!this.#needDrain && this.#queue === null && !hasCallback(batch)) return;
        queueMicrotask(() => this.#afterWrite(batch));
      } else this.#afterWrite(batch);
    };
    if (conn.write(bytes, done)) done();
  }

  #onSoloDone(conn: DriverConnection, err: DriverError | undefined) {
    if (this.#conn !== conn || !this.#solo) return;
    this.#solo = false;
    this.#writing = false;
    // On failure the callback stays: destroy() gives it the error.
    if (err) return this.#onDriverError(err, "write");
    this.#writableLength -= this.#soloSize;
    this.#touch();
    const cb = this.#soloCb;
    this.#soloCb = undefined;
    // As in #flush: never call back inside the user's write(); nothing to do at all when
    // there is no callback, no `drain` due and nothing queued.
    if (this.#inWrite) {
      if (!this.#needDrain && cb === undefined && this.#queue === null) return;
      this.#afterSoloLater(cb);
    } else this.#afterSolo(cb);
  }

  // A write done inside write() (the driver took every byte at once) that still has work
  // (a callback to call, a 'drain' due) finishes a microtask later, through one function
  // made once per socket, its callback waiting in #laterCb: a closure per write would
  // allocate two objects each time a writer passes a callback. A second write finished
  // before the first one's turn came (rare) gets a closure of its own; microtasks run in
  // order, so the callbacks do too.
  // (No closure in this method's body at all: JavaScriptCore would make the scope it
  // captures, `this` included, on every call, whether the closure is made or not.)
  #afterSoloLater(cb: Callback | undefined) {
    if (this.#laterDue) return Socket.#afterSoloClosure(this, cb);
    this.#laterDue = true;
    this.#laterCb = cb;
    queueMicrotask(this.#afterLater ?? this.#makeAfterLater());
  }

  #makeAfterLater(): () => void {
    return this.#afterLater = () => {
      const cb = this.#laterCb;
      this.#laterCb = undefined;
      this.#laterDue = false;
      this.#afterSolo(cb);
    };
  }

  static #afterSoloClosure(socket: Socket, cb: Callback | undefined): void {
    queueMicrotask(() => socket.#afterSolo(cb));
  }

  // Node's afterWrite: `drain` first, then the callbacks, then the next write.
  #afterSolo(cb: Callback | undefined) {
    this.#drainIfDue();
    cb?.(null);
    if (this.#destroyed) return;
    this.#flush();
  }

  #afterWrite(batch: QueuedWrite[]) {
    this.#drainIfDue();
    for (const w of batch) w.cb?.(null);
    if (this.#destroyed) return;
    this.#flush();
  }

  #drainIfDue() {
    if (this.#needDrain && this.#writableLength === 0 && !this.#ending && !this.#destroyed) {
      this.#needDrain = false;
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
    if (data !== undefined && data !== null) this.write(data, encoding as string | undefined);
    if (cb !== undefined && typeof cb !== "function") throw invalidArgType("cb", "function", cb);
    if (!this.#ending && !this.#destroyed) {
      this.#ending = true;
      if (cb) this.#endCallbacks.push(cb);
      this.#touch();
      this.#flush();
    } else if (cb) {
      const err = this.#finished
        ? plainError("ERR_STREAM_ALREADY_FINISHED", "end")
        : this.#destroyed
        ? plainError("ERR_STREAM_DESTROYED", "end")
        : undefined;
      if (err) callLater(cb, err);
      else this.#endCallbacks.push(cb);
    }
    return this;
  }

  #maybeShutdown() {
    if (
      this.#shutdownStarted || !this.#ending || this.#writing || this.#queue !== null ||
      this.#conn === null || this.connecting || this.#destroyed
    ) return;
    this.#shutdownStarted = true;
    const conn = this.#conn;
    if (this.#endEmitted) {
      // Both directions are done: the peer's FIN came, every byte before it was read, and
      // every byte written is with the OS. The destroy that follows `finish` closes the
      // connection, and a close sends the FIN after those bytes (nothing unread is left to
      // turn it into a RST), so the wire carries what a shutdown would have sent. Skipping
      // it saves a system call per connection, and the connection keeps answering for its
      // addresses until then, as Node's handle does.
      this.#finDeferred = true;
      queueMicrotask(() => this.#onShutdown(true));
      return;
    }
    // The second direction to shut: a driver may close the connection at once (Bun does),
    // where Node's handle still answers until destroyed. Ask for the ends while it can.
    if (this.#eof) this.#ends();
    conn.shutdown((err) => {
      if (this.#conn !== conn || this.#destroyed) return;
      if (err && err.code !== "ENOTCONN") return this.#onDriverError(err, "shutdown");
      queueMicrotask(() => this.#onShutdown(false));
    });
  }

  /** Our FIN is queued (with `deferred`, it goes with the close that follows): `finish`. */
  #onShutdown(deferred: boolean) {
    if (this.#destroyed) return;
    this.#finished = true;
    if (deferred) {
      // A throwing `finish` listener must not keep the FIN from going out.
      try {
        this.#emitFinish();
      } finally {
        this.destroy();
      }
      return;
    }
    this.#emitFinish();
    if (!this.#destroyed && (this.#endEmitted || !this.readable)) this.destroy();
  }

  #emitFinish() {
    for (const cb of this.#endCallbacks.splice(0)) cb(null);
    emitNone(this, "finish");
  }

  /** End our side, and destroy once the queue is flushed. */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.#finished) this.destroy();
    else this.once("finish", () => this.destroy());
  }

  // ---------------------------------------------------------------- closing

  /** Close at once; with `error`, emit `error` then `close(true)`. Idempotent. */
  destroy(error?: Error): this {
    return this.#destroy(error, false);
  }

  /** Close with a TCP RST (the peer sees `ECONNRESET`). */
  resetAndDestroy(): this {
    if (this.connecting) {
      this.once("connect", () => this.#destroy(undefined, true));
      return this;
    }
    if (this.#conn === null) return this.destroy(plainError("ERR_SOCKET_CLOSED"));
    return this.#destroy(undefined, true);
  }

  #destroy(error: Error | undefined, reset: boolean): this {
    if (this.#destroyed) return this;
    this.#destroyed = true;
    this.connecting = false;
    this.#connector?.cancel();
    this.#connector = null;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timeoutMs = 0;
    const conn = this.#conn;
    if (conn !== null) {
      if (reset) {
        // Node's FIN went out at end(): the peer reads its end before the reset.
        if (this.#finDeferred) conn.shutdown(() => {});
        conn.reset();
      } else conn.close();
    }
    // Like Node, the server counts the connection gone now, before `close` is emitted.
    this.#owner?.socketClosed(this);
    this.#owner = null;
    this.#hadError = error !== undefined;
    // Writes that will never happen: their callbacks learn it. Those queued while
    // connecting learn, after `close`, that the connection never came (Node).
    const neverConnected = conn === null && this.#hadHandle;
    const pending = [...this.#inFlight, ...(this.#queue ?? [])];
    this.#queue = null;
    if (this.#soloCb !== undefined) pending.unshift({ bytes: EMPTY, size: 0, cb: this.#soloCb });
    this.#soloCb = undefined;
    this.#solo = false;
    this.#inFlight = [];
    this.#writing = false;
    this.#readBuffer = [];
    this.#readBufferLength = 0;
    const endCallbacks = this.#endCallbacks.splice(0);
    queueMicrotask(() => {
      if (!neverConnected && pending.length > 0) {
        // One error for them all, made only when someone is told (an Error is not cheap).
        const failure = error ?? plainError("ERR_STREAM_DESTROYED", "write");
        for (const w of pending) w.cb?.(failure);
      }
      if (error !== undefined) {
        this.#errorEmitted = true;
        this.#capturedError = error; // for `opened` and `closed`
        emitOne(this, "error", error);
      }
      if (!neverConnected) {
        for (const cb of endCallbacks) cb(error ?? plainError("ERR_STREAM_DESTROYED", "end"));
      }
      // Node emits close once the handle is closed, a turn later.
      nextTurn(() => {
        this.#emitClose();
        if (!neverConnected) return;
        for (const w of pending) w.cb?.(plainError("ERR_SOCKET_CLOSED_BEFORE_CONNECTION"));
        for (const cb of endCallbacks) {
          cb(error ?? plainError("ERR_SOCKET_CLOSED_BEFORE_CONNECTION"));
        }
      });
    });
    return this;
  }

  #emitClose() {
    if (this.#closeEmitted) return;
    this.#closeEmitted = true;
    this.#conn = null;
    this.#info = null;
    // A socket that never had a connection emits `close` without an argument (Node).
    if (this.#hadHandle) emitOne(this, "close", this.#hadError);
    else emitNone(this, "close");
  }

  #onDriverError(err: DriverError, syscall: string) {
    if (this.#destroyed) return;
    const code = typeof err?.code === "string" ? err.code : "EIO";
    const call = typeof err?.syscall === "string" ? err.syscall : syscall;
    this.destroy(systemError(code, call, "plain", undefined, undefined, err?.errno));
  }

  // ---------------------------------------------------------------- timeouts

  /**
   * Emit `timeout` after `ms` of inactivity (0 disables). The socket stays open: end or
   * destroy it from the listener.
   */
  setTimeout(ms: number, callback?: () => void): this {
    if (this.#destroyed) return this;
    this.timeout = ms;
    if (typeof ms !== "number") throw invalidArgType("msecs", "number", ms);
    if (ms < 0 || !Number.isFinite(ms)) throw outOfRange("msecs", "a non-negative finite number", ms);
    if (callback !== undefined && typeof callback !== "function") {
      throw invalidArgType("callback", "function", callback);
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timeoutMs = ms;
    if (ms === 0) {
      if (callback) this.removeListener("timeout", callback);
    } else {
      this.#lastActive = Date.now();
      this.#arm(ms);
      if (callback) this.once("timeout", callback);
    }
    return this;
  }

  #arm(delay: number) {
    const timer = setTimeout(() => this.#onTimer(), delay);
    // Idle timers never keep the process alive (Node's setUnrefTimeout).
    (timer as { unref?: () => void }).unref?.();
    this.#driver.unrefTimer?.(timer);
    this.#timer = timer;
  }

  #onTimer() {
    this.#timer = undefined;
    if (this.#destroyed || this.#timeoutMs === 0) return;
    const idle = Date.now() - this.#lastActive;
    if (idle < this.#timeoutMs) return this.#arm(this.#timeoutMs - idle);
    emitNone(this, "timeout");
  }

  #touch() {
    if (this.#timeoutMs === 0) return;
    this.#lastActive = Date.now();
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
  }

  // ---------------------------------------------------------------- options

  /** Disable (`true`, the default) or enable Nagle's algorithm. */
  setNoDelay(noDelay?: boolean): this {
    const enable = noDelay === undefined ? true : Boolean(noDelay);
    if (this.#conn === null || this.connecting) {
      this.#noDelay = enable;
      return this;
    }
    if (enable !== this.#noDelay) {
      this.#noDelay = enable;
      this.#conn.setNoDelay(enable);
    }
    return this;
  }

  /** Enable or disable TCP keep-alive, with an initial delay in ms (whole seconds). */
  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    const on = Boolean(enable);
    const delay = Math.trunc((initialDelay ?? 0) / 1000) * 1000;
    this.#keepAlive = on;
    this.#keepAliveDelay = delay;
    if (this.#conn !== null && !this.connecting) this.#conn.setKeepAlive(on, delay);
    return this;
  }

  /** Let the socket keep the process alive (the default). */
  ref(): this {
    this.#unref = false;
    if (this.#conn !== null && !this.connecting) this.#conn.ref();
    return this;
  }

  /** Let the process exit while this socket is open. */
  unref(): this {
    this.#unref = true;
    if (this.#conn !== null && !this.connecting) this.#conn.unref();
    return this;
  }

  // ---------------------------------------------------------------- piping

  /**
   * Send everything this socket receives to `destination`, with flow control (pause when
   * its `write` returns `false`, resume on its `drain`); `end: false` leaves it open at our
   * end.
   */
  pipe<T extends PipeDestination>(destination: T, options?: { end?: boolean }): T {
    const onData = (chunk: unknown) => {
      if (destination.write(chunk) === false) this.pause();
    };
    const onDrain = () => this.resume();
    const onEnd = () => destination.end();
    const cleanup = () => {
      this.removeListener("data", onData);
      this.removeListener("end", onEnd);
      this.removeListener("close", cleanup);
      destination.removeListener?.("drain", onDrain);
      destination.removeListener?.("close", unpipeOnClose);
    };
    const unpipeOnClose = () => this.unpipe(destination);
    this.#pipes.push({ destination, cleanup });
    this.on("data", onData);
    destination.on("drain", onDrain);
    destination.on?.("close", unpipeOnClose);
    if (options?.end !== false) this.on("end", onEnd);
    this.on("close", cleanup);
    destination.emit?.("pipe", this);
    this.resume();
    return destination;
  }

  #pipes: Array<{ destination: PipeDestination; cleanup: () => void }> = [];

  /** Stop piping into `destination` (every destination when omitted). */
  unpipe(destination?: PipeDestination): this {
    const matching = this.#pipes.filter((p) => destination === undefined || p.destination === destination);
    for (const p of matching) {
      p.cleanup();
      this.#pipes.splice(this.#pipes.indexOf(p), 1);
      p.destination.emit?.("unpipe", this);
    }
    if (this.#pipes.length === 0 && matching.length > 0) this.pause();
    return this;
  }

  // ---------------------------------------------------------------- extras

  /** Resolves with both ends' addresses once connected; rejects if the connect fails. */
  get opened(): Promise<OpenedInfo> {
    this.#opened ??= new Promise<OpenedInfo>((resolve, reject) => {
      if (this.#everConnected && !this.connecting && this.#conn !== null) {
        return resolve(this.#openedInfo());
      }
      const onConnect = () => {
        this.removeListener("close", onClose);
        resolve(this.#openedInfo());
      };
      const onClose = () => {
        this.removeListener("connect", onConnect);
        reject(this.#lastError ?? plainError("ERR_SOCKET_CLOSED_BEFORE_CONNECTION"));
      };
      this.once("connect", onConnect);
      this.once("close", onClose);
    });
    this.#opened.catch(() => {});
    return this.#opened;
  }

  get #lastError(): Error | undefined {
    return this.#capturedError;
  }

  #capturedError: Error | undefined;

  #openedInfo(): OpenedInfo {
    // Destroyed but not yet closed: only what was already asked.
    const i = this.#hasEnds() ? this.#ends() : this.#info ?? {};
    return {
      localAddress: i.localAddress,
      localPort: i.localPort,
      localFamily: i.localFamily,
      remoteAddress: i.remoteAddress,
      remotePort: i.remotePort,
      remoteFamily: i.remoteFamily,
    };
  }

  /** Resolves once the socket is closed; rejects with the error if it closed on one. */
  get closed(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve, reject) => {
      if (this.#closeEmitted) {
        return this.#hadError ? reject(this.#capturedError) : resolve();
      }
      this.once("close", (hadError: boolean) => hadError ? reject(this.#capturedError) : resolve());
    });
    this.#closed.catch(() => {});
    return this.#closed;
  }

  /** The received bytes as a Web `ReadableStream` (consuming it makes the socket flow). */
  get readableStream(): ReadableStream<Uint8Array> {
    this.#streams ??= new ByteStreams(this);
    return this.#streams.readable;
  }

  /** A Web `WritableStream` writing to this socket, with backpressure; closing it ends ours. */
  get writableStream(): WritableStream<Uint8Array | string> {
    this.#streams ??= new ByteStreams(this);
    return this.#streams.writable;
  }

  /** Iterate over received chunks; ends at the peer's FIN, throws on error. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array | string> {
    const queue: Array<Uint8Array | string> = [];
    let done = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const onData = (chunk: Uint8Array | string) => {
      queue.push(chunk);
      this.pause();
      notify();
    };
    const onEnd = () => {
      done = true;
      notify();
    };
    const onError = (err: Error) => {
      failure = err;
      notify();
    };
    this.on("data", onData);
    this.once("end", onEnd);
    this.once("close", onEnd);
    this.once("error", onError);
    const detach = () => {
      this.removeListener("data", onData);
      this.removeListener("end", onEnd);
      this.removeListener("close", onEnd);
      this.removeListener("error", onError);
    };
    return {
      next: async (): Promise<IteratorResult<Uint8Array | string>> => {
        while (true) {
          if (queue.length > 0) return { value: queue.shift()!, done: false };
          if (failure) {
            detach();
            throw failure;
          }
          if (done) {
            detach();
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            this.resume();
          });
        }
      },
      return: async (): Promise<IteratorResult<Uint8Array | string>> => {
        detach();
        this.destroy();
        return { value: undefined, done: true };
      },
    };
  }

  // ---------------------------------------------------------------- the driver's sink

  // The socket is its own ConnectionSink: the driver calls these directly, with no object
  // between (with 500 connections, that object was one more cold cache line per read).

  /** @internal The driver's sink: bytes arrived. */
  _data(chunk: Uint8Array): void {
    this.#onData(chunk);
  }

  /** @internal The driver's sink: the peer's FIN. */
  _eof(): void {
    this.#onEof();
  }

  /** @internal The driver's sink: the connection failed. */
  _error(err: DriverError): void {
    if (this.#driverPaused) this.#readFailure ??= err;
    else this.#onDriverError(err, "read");
  }

  /** @internal The driver's sink: with `onread`, the user's buffer to read straight into. */
  _target(): Uint8Array | undefined {
    return this.#onread === null ? undefined : this.#lendOnreadBuffer();
  }

  /** @internal The driver's sink: `n` bytes were read into the buffer `_target` gave. */
  _filled(n: number): void {
    this.#onFilled(n);
  }

  /** `await using socket = connect(...)`: destroyed at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#closeEmitted) {
      const closed = new Promise<void>((resolve) => this.once("close", () => resolve()));
      this.destroy();
      await closed;
    }
  }
}

// Out of line on purpose: a closure over write()'s own `cb` would make every write()
// call allocate a context for it (V8 and JSC both), errors or not.
function callLater(cb: Callback, err: Error): void {
  queueMicrotask(() => cb(err));
}

function hasCallback(batch: readonly QueuedWrite[]): boolean {
  for (let i = 0; i < batch.length; i++) if (batch[i]!.cb !== undefined) return true;
  return false;
}

/** Anything `pipe` can write to: a crossnet socket, a Node stream, a test double. */
export interface PipeDestination {
  /** Take one chunk; `false` asks the source to pause until `drain`. */
  write(chunk: unknown): boolean | void;
  /** The source ended (not called with `pipe(dest, { end: false })`). */
  end(): unknown;
  /** Listen for `drain` (resumes the source) and `close` (unpipes). */
  on(event: string, listener: Callback): unknown;
  /** Remove those listeners when unpiped, when present. */
  removeListener?(event: string, listener: Callback): unknown;
  /** When present, told `pipe` and `unpipe` with the source socket. */
  emit?(event: string, ...args: unknown[]): unknown;
}
