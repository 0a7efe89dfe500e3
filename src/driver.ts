/**
 * The Driver contract: the few primitives an adapter translates to one runtime's sockets.
 *
 * Everything with meaning (event order, half-close rules, encodings, Happy Eyeballs, idle
 * timeouts, write queueing and backpressure, byte counters, validation, error shapes) lives
 * in the core. A driver only moves bytes and reports what the operating system said.
 *
 * Rules every driver follows:
 * - Hosts given to `connect` and `listen` are IP literals: names are resolved by the core
 *   through {@link Driver.lookup}.
 * - A connection delivers nothing to its sink before {@link DriverConnection.start}.
 * - Chunks passed to {@link ConnectionSink._data} belong to the core: never reuse them.
 * - At most one write is outstanding: the core waits for it to complete (`write` returned
 *   `true`, or `done` was called) before the next `write`. `done` may be called
 *   synchronously.
 * - Failures are reported as {@link DriverError}s: an `Error` with the POSIX `code`
 *   (`ECONNREFUSED`, `EADDRINUSE`...), and `errno` when the runtime knows it.
 * - Calls into the sink and into `onConnection` run the user's listeners, which may throw.
 *   Where the runtime calls the driver back from a promise's reaction (Deno's reads and
 *   accepts), catch what they throw, hand it to `reportUncaught` (exported next to
 *   `createNet`: Node reports it as an uncaught exception) and go on reading or accepting;
 *   a runtime callback that throws may close the socket (Bun's `open`). (What the
 *   callbacks of `connect` and `lookup` throw, the core catches and reports itself.)
 *
 * @module
 */

/** An address family as a number, the way `dns.lookup` reports it. */
export type AddressFamily = 4 | 6;

/**
 * An error as an adapter reports it: at least a POSIX `code`; the core adds `errno` (when
 * missing), `syscall`, `address`, `port` and Node's message format.
 */
export interface DriverError extends Error {
  /** POSIX error name, e.g. `ECONNREFUSED`. */
  code: string;
  /** Negative errno as Node reports it, when the runtime knows it. */
  errno?: number;
  /** The failing system call (`read`, `write`...), when the runtime says. */
  syscall?: string;
}

/** One resolved address. */
export interface LookupAddress {
  /** The IP literal. */
  address: string;
  /** 4 or 6. */
  family: AddressFamily;
}

/** Addresses of both ends of a connection, as known once connected. */
export interface ConnectionInfo {
  /** Our IP address (absent for a Unix-domain socket). */
  localAddress?: string;
  /** Our port. */
  localPort?: number;
  /** Our address family: `"IPv4"` or `"IPv6"`. */
  localFamily?: string;
  /** The peer's IP address (absent for a Unix-domain socket). */
  remoteAddress?: string;
  /** The peer's port. */
  remotePort?: number;
  /** The peer's address family: `"IPv4"` or `"IPv6"`. */
  remoteFamily?: string;
}

/** Where a TCP connection goes. `host` is an IP literal. */
export interface TcpConnectOptions {
  /** Tells TCP from Unix-domain options. */
  kind: "tcp";
  /** The IP literal to connect to. */
  host: string;
  /** The port to connect to. */
  port: number;
  /** The family of `host`. */
  family: AddressFamily;
  /**
   * The local IP address to bind to before connecting. Always given with `localPort` (the
   * core fills in the family's wildcard address when the user gave a port alone).
   */
  localAddress?: string;
  /** The local port to bind to before connecting. */
  localPort?: number;
}

/** Where a Unix-domain connection goes. A path starting with `\0` is abstract (Linux). */
export interface UnixConnectOptions {
  /** Tells Unix-domain from TCP options. */
  kind: "unix";
  /** The socket's file system path (or abstract name). */
  path: string;
}

/** What {@link Driver.connect} takes. */
export type DriverConnectOptions = TcpConnectOptions | UnixConnectOptions;

/** A TCP listening address. `host` is an IP literal. */
export interface TcpListenOptions {
  /** Tells TCP from Unix-domain options. */
  kind: "tcp";
  /** The IP literal to bind to (`::` or `0.0.0.0` for every interface). */
  host: string;
  /** The port to bind to; 0 for one the OS picks. */
  port: number;
  /** The maximum length of the queue of pending connections. */
  backlog: number;
  /** Bound to `::`, accept IPv6 only (no IPv4-mapped addresses). */
  ipv6Only: boolean;
  /** Let other sockets bind the same port (`SO_REUSEPORT`). */
  reusePort: boolean;
}

/** A Unix-domain listening path. A path starting with `\0` is abstract (Linux). */
export interface UnixListenOptions {
  /** Tells Unix-domain from TCP options. */
  kind: "unix";
  /** The socket's file system path (or abstract name). */
  path: string;
  /** The maximum length of the queue of pending connections. */
  backlog: number;
  /** Make the socket file readable by every user. */
  readableAll: boolean;
  /** Make the socket file writable by every user. */
  writableAll: boolean;
}

/** What {@link Driver.listen} takes. */
export type DriverListenOptions = TcpListenOptions | UnixListenOptions;

/**
 * Receives what happens on a connection, once {@link DriverConnection.start} was called.
 *
 * The core's sink is the socket itself (no object between the driver and the socket: with
 * many connections, one memory access less per read). Its methods are named with a leading
 * underscore so that they stay apart from node:net's own `Socket` API.
 */
export interface ConnectionSink {
  /** Bytes arrived. The chunk is the core's to keep. */
  _data(chunk: Uint8Array): void;
  /** The peer sent its FIN: no more data will arrive. */
  _eof(): void;
  /** The connection failed (reset, broken pipe...). Nothing more will be delivered. */
  _error(err: DriverError): void;
  /**
   * Optional: when the user reads into a buffer of their own (node:net's `onread`), the
   * buffer to read the next bytes straight into; otherwise `undefined`, and the chunk goes
   * through {@link _data} as usual. A driver that reads into it reports the bytes with
   * {@link _filled}, saving a copy; a driver that never asks is correct too (the core then
   * copies chunks into the user's buffer).
   */
  _target?(): Uint8Array | undefined;
  /** `n` bytes (more than 0) were read into the start of the buffer {@link _target} gave last. */
  _filled?(n: number): void;
}

/** One open connection, as an adapter exposes it to the core. */
export interface DriverConnection {
  /**
   * Addresses of both ends. Called at most once per connection, and only while it is
   * open: the first time the user asks for an address (Node too looks them up on first
   * use), or when a server drops the connection (`maxConnections`).
   */
  info(): ConnectionInfo;
  /**
   * Begin delivering data, end and error to `sink`, reading as fast as the peer sends;
   * after a {@link pause} (a connecting client's connection is paused before it starts),
   * read nothing until {@link resume}.
   */
  start(sink: ConnectionSink): void;
  /**
   * Stop reading from the OS until {@link resume}: the peer feels TCP backpressure. May come
   * before {@link start}.
   */
  pause(): void;
  /** Read again after {@link pause}. */
  resume(): void;
  /**
   * Hand `data` to the OS, all of it. Returns `true` when every byte went to the OS before
   * `write` returned: `done` is then never called (no callback per write in the common
   * case). Otherwise returns `false` and calls `done` once the bytes are written, with an
   * error if that failed (synchronously is allowed). The core never calls `write` again
   * before the write completed.
   */
  write(data: Uint8Array, done: (err?: DriverError) => void): boolean;
  /**
   * Bytes of the write in flight that the OS has not taken yet (0 with none). Optional: when
   * the idle timeout comes due during a write, the core asks, and a write the OS kept taking
   * since the last look postpones `timeout` by a period (Node's `_onTimeout` does so with
   * libuv's write queue size). Without it a write in flight never postpones `timeout`.
   */
  writeQueueSize?(): number;
  /** Send our FIN (after every written byte), keep reading; `done` once the FIN is queued. */
  shutdown(done: (err?: DriverError) => void): void;
  /**
   * Release the connection at once (a FIN if it was not sent yet). Idempotent. A write or
   * shutdown still pending is called back afterwards, not inside this call (libuv's
   * `ECANCELED`, or the error it already had): the core settles it itself at destroy().
   */
  close(): void;
  /** Close with a TCP RST instead of a FIN, where the runtime can. Idempotent; as {@link close}. */
  reset(): void;
  /** Nagle's algorithm off (`true`) or on. */
  setNoDelay(noDelay: boolean): void;
  /** TCP keep-alive on or off; `initialDelayMs` 0 leaves the system default. */
  setKeepAlive(enable: boolean, initialDelayMs: number): void;
  /**
   * Set the connection's IP type-of-service byte (0-255, checked by the core). Returns
   * `false` where the runtime cannot set it on this connection: the core then keeps the
   * value and reports it back, as Node does for a handle that cannot (a pipe). May throw a
   * {@link DriverError} (the core throws it on as Node's `setTypeOfService` error).
   * Optional: without it, every connection keeps the value only.
   */
  setTypeOfService?(tos: number): boolean;
  /**
   * The connection's type-of-service byte as the OS has it, or `undefined` where the
   * runtime cannot tell (the core then reports the value kept). May throw a
   * {@link DriverError}. Optional.
   */
  getTypeOfService?(): number | undefined;
  /** Let this connection keep the process alive (the default). */
  ref(): void;
  /** Let the process exit while this connection is open. */
  unref(): void;
}

/** The address a listener is bound to: a TCP address, or a Unix path. */
export type ListenerAddress =
  | { address: string; family: string; port: number }
  | string;

/**
 * A listener still binding, as {@link Driver.listen} may return it: a
 * `Promise<DriverListener>`, or any object whose `then` calls back once, with the listener
 * or with the error (the core calls `then` at once, as `listen` returns, before the runtime
 * can report anything). One that calls back from the runtime's own callback keeps
 * Node's order (the Node driver's, from node:net's `listening`): a promise calls back a
 * microtask later, after the promise jobs queued by then, where Node emits `listening`
 * before them.
 *
 * @example
 * ```ts
 * const pending: PendingListener = Promise.resolve({
 *   address: () => ({ address: "127.0.0.1", family: "IPv4", port: 8000 }),
 *   close: () => {},
 *   ref: () => {},
 *   unref: () => {},
 * });
 * pending.then((listener) => listener.address(), (err) => console.error(err));
 * ```
 */
export interface PendingListener {
  /** Call `onListening` once bound, or `onError` with the {@link DriverError}. */
  then(onListening: (listener: DriverListener) => void, onError: (err: DriverError) => void): unknown;
}

/** One listening socket. */
export interface DriverListener {
  /** The bound address (the real port when 0 was asked). */
  address(): ListenerAddress;
  /**
   * Stop accepting; a Unix socket file is removed. Returns nothing when the address is
   * released at once (the server's `close` then comes a tick later, as Node's), else a
   * promise that resolves once it is (`close` waits for it).
   */
  close(): void | Promise<void>;
  /** Let the listener keep the process alive (the default). */
  ref(): void;
  /** Let the process exit while listening. */
  unref(): void;
}

/** What {@link Driver.lookup} calls with the addresses, or with a {@link DriverError}. */
export type LookupCallback = (err: DriverError | undefined, addresses?: LookupAddress[]) => void;

/** What {@link Driver.connect} calls with the connection, or with a {@link DriverError}. */
export type ConnectCallback = (err: DriverError | undefined, connection?: DriverConnection) => void;

/**
 * A connect in progress, as {@link Driver.connect} returns it. (An `AbortController` is
 * one.)
 */
export interface DriverAttempt {
  /**
   * Abandon the attempt: its callback is not called, and a connection that still opens
   * is closed by the driver. Does nothing once the callback was called.
   */
  abort(): void;
}

/** The runtime primitives the core is built on. One per runtime, in `adapters/`. */
export interface Driver {
  /** The runtime this driver runs on, for messages: `"node"`, `"deno"`, `"bun"`... */
  readonly name: string;
  /**
   * `false` when the runtime cannot make an IPv6-only listener (`IPV6_V6ONLY`): the core
   * then fails a listen with `ipv6Only` on the IPv6 wildcard (`::`) with `ENOTSUP`, rather
   * than let `listen()` take IPv4 clients after all. Absent: it can.
   */
  readonly ipv6Only?: boolean;
  /**
   * Resolve `hostname` with the system resolver (`/etc/hosts` respected), every address,
   * in the resolver's order. `family` 0 means both. `done` gets the addresses or a
   * {@link DriverError}, once, never before `lookup` returned.
   */
  lookup(hostname: string, family: 0 | AddressFamily, done: LookupCallback): void;
  /**
   * Open one connection to one address. `done` gets the connection or a
   * {@link DriverError}, once, never before `connect` returned; call it from where the
   * runtime reports the connect (Node: the socket's `connect` event, Bun: the `open`
   * handler), not from a promise's reaction made for it: Node emits a socket's `connect`
   * from an I/O callback, and what its listeners defer with `process.nextTick` runs
   * before their code after an `await`. After {@link DriverAttempt.abort}, `done` is not
   * called, and a connection that still opens is closed by the driver.
   */
  connect(options: DriverConnectOptions, done: ConnectCallback): DriverAttempt;
  /**
   * Bind and listen; every accepted connection goes to `onConnection`, not yet started.
   * Fails with a {@link DriverError} (`EADDRINUSE`, `EACCES`...), thrown or as a rejection.
   * Return the listener synchronously when the runtime binds synchronously (Deno and Bun do
   * for IP literals and paths, node:net for paths and no host), so that `server.address()`
   * works right after `listen()`, as in Node; else a {@link PendingListener} (a promise
   * will do).
   */
  listen(
    options: DriverListenOptions,
    onConnection: (connection: DriverConnection) => void,
  ): DriverListener | PendingListener;
  /**
   * Optional: make a timer returned by `setTimeout` not keep the process alive, for
   * runtimes whose timers have no `unref()` method (Deno: `Deno.unrefTimer`).
   */
  unrefTimer?(timer: unknown): void;
}
