/**
 * `Server`: node:net's server, runtime-neutral: every `listen` form, `listening` and
 * `close` events, a `close(cb)` that waits for open connections, `getConnections`,
 * `maxConnections` with `drop`, and the per-connection options.
 *
 * @module
 */

import type { ConnectionInfo, Driver, DriverConnection, DriverError, DriverListener, DriverListenOptions, PendingListener } from "./driver.ts";
import { captureRejectionSymbol, Emitter, emitNone, emitOne, type Listener as Callback } from "./emitter.ts";
import {
  invalidArgType,
  invalidArgValue,
  plainError,
  systemError,
} from "./errors.ts";
import { isIP } from "./ip.ts";
import { DEFAULT_HIGH_WATER_MARK } from "./defaults.ts";
import { blockListOption, type BlockList } from "./block_list.ts";
import type { Socket, SocketOptions, SocketOwner } from "./socket.ts";
import { isPipeName, validatePort } from "./socket_args.ts";
import { nextTick } from "./turn.ts";

/** Options of `createServer` / `new Server`. */
export interface ServerOptions {
  /** Accepted sockets stay writable after the peer's FIN. */
  allowHalfOpen?: boolean;
  /** Accepted sockets start paused: no data until `resume()`. */
  pauseOnConnect?: boolean;
  /** Disable Nagle's algorithm on accepted sockets. */
  noDelay?: boolean;
  /** Enable TCP keep-alive on accepted sockets. */
  keepAlive?: boolean;
  /** Keep-alive initial delay in ms. */
  keepAliveInitialDelay?: number;
  /** High-water mark of accepted sockets. */
  highWaterMark?: number;
  /**
   * Connections from an address this list blocks are closed as soon as they are accepted:
   * no `connection` event, no count in the server's connections.
   */
  blockList?: BlockList;
}

/** Options of `server.listen(options)`. */
export interface ListenOptions {
  /** TCP port to listen on; 0 or `null` for a random one. */
  port?: number | string | null;
  /** Host name or IP address to bind (default: every interface). */
  host?: string;
  /** Unix-domain socket path to listen on, instead of a TCP port. */
  path?: string;
  /** Maximum length of the queue of pending connections (default 511). */
  backlog?: number;
  /** Node's cluster handle-sharing flag: accepted and ignored (crossnet has no cluster). */
  exclusive?: boolean;
  /** With host `::`, accept IPv6 only (no IPv4-mapped connections). */
  ipv6Only?: boolean;
  /** Let several listeners bind the same port (`SO_REUSEPORT`), where the OS allows. */
  reusePort?: boolean;
  /** Unix-domain: make the socket file readable by every user. */
  readableAll?: boolean;
  /** Unix-domain: make the socket file writable by every user. */
  writableAll?: boolean;
  /** Closes the server when aborted. */
  signal?: AbortSignal;
}

/** What `server.address()` returns for TCP. */
export interface ServerAddress {
  /** The bound IP address (`::`, or `0.0.0.0` without IPv6, on every interface). */
  address: string;
  /** `"IPv4"` or `"IPv6"`. */
  family: string;
  /** The bound port (the real one when 0 was asked). */
  port: number;
}

/**
 * Where `drop` says a refused connection came from: the server's end (`local*`) and the
 * refused peer's (`remote*`).
 */
export type DropInfo = ConnectionInfo;

type SocketFactory = (options: SocketOptions) => Socket;

const DEFAULT_BACKLOG = 511;

/**
 * A TCP or Unix-domain server with `net.Server`'s API and behaviour.
 *
 * @example
 * ```ts
 * import { createServer } from "crossnet";
 * const server = createServer((socket) => socket.pipe(socket)); // echo
 * server.listen(7000, "127.0.0.1", () => console.log("listening", server.address()));
 * ```
 */
export class Server extends Emitter implements SocketOwner {
  /** Refuse connections beyond this many (emitting `drop`); unlimited when unset. */
  maxConnections: number | undefined = undefined;
  /** Accepted sockets stay writable after the peer's FIN. */
  allowHalfOpen: boolean;
  /** Accepted sockets start paused. */
  pauseOnConnect: boolean;
  /** Nagle off on accepted sockets. */
  noDelay: boolean;
  /** Keep-alive on accepted sockets. */
  keepAlive: boolean;
  /** Keep-alive initial delay for accepted sockets, in whole seconds (as Node keeps it). */
  keepAliveInitialDelay: number;
  /** High-water mark of accepted sockets, both ways (the default one unless given). */
  highWaterMark: number;
  /** Peers this list blocks are disconnected at once (the `blockList` option). */
  blockList: BlockList | undefined = undefined;

  private driver_: Driver;
  private newSocket_: SocketFactory;
  private listener_: DriverListener | null = null;
  private binding_ = false;
  private listenId_ = 0;
  private connections_ = 0;
  /**
   * A listen() with a host is at its lookup (Node's, even for an IP address, answers a tick
   * later): Node has no handle yet, and a second listen() is no error.
   */
  private hostPending_ = false;
  private unref_ = false;

  /** @internal Use `createServer` or `new Server` from `crossnet`, bound to a driver. */
  constructor(
    driver: Driver,
    newSocket: SocketFactory,
    options?: ServerOptions | Callback,
    connectionListener?: Callback,
  ) {
    super();
    this.driver_ = driver;
    this.newSocket_ = newSocket;
    let opts: ServerOptions = {};
    if (typeof options === "function") {
      this.on("connection", options);
    } else if (options === undefined || options === null || typeof options === "object") {
      opts = { ...options };
      if (typeof connectionListener === "function") this.on("connection", connectionListener);
    } else {
      throw invalidArgType("options", "object", options);
    }
    if (opts.keepAliveInitialDelay !== undefined) {
      if (typeof opts.keepAliveInitialDelay !== "number") {
        throw invalidArgType("options.keepAliveInitialDelay", "number", opts.keepAliveInitialDelay);
      }
      if (opts.keepAliveInitialDelay < 0) opts.keepAliveInitialDelay = 0;
    }
    if (opts.highWaterMark !== undefined) {
      const hwm: unknown = opts.highWaterMark;
      if (typeof hwm !== "number") throw invalidArgType("options.highWaterMark", "number", hwm);
      // Node takes any number here (a negative one is the default) and fails only when it
      // makes its first accepted socket: ERR_INVALID_ARG_VALUE thrown from its accept
      // callback ends the process. Refused at once instead, with that code.
      if (!(hwm < 0) && !Number.isInteger(hwm)) throw invalidArgValue("options.highWaterMark", hwm);
    }
    this.blockList = blockListOption(opts.blockList);
    this.allowHalfOpen = opts.allowHalfOpen ?? false;
    this.pauseOnConnect = Boolean(opts.pauseOnConnect);
    this.noDelay = Boolean(opts.noDelay);
    this.keepAlive = Boolean(opts.keepAlive);
    this.keepAliveInitialDelay = Math.trunc((opts.keepAliveInitialDelay ?? 0) / 1000);
    this.highWaterMark = opts.highWaterMark !== undefined && opts.highWaterMark >= 0
      ? opts.highWaterMark
      : DEFAULT_HIGH_WATER_MARK;
  }

  /** `true` while bound and accepting. */
  get listening(): boolean {
    return this.listener_ !== null;
  }

  /**
   * Start listening: `listen(port[, host][, backlog][, cb])`, `listen(path[, backlog][, cb])`,
   * `listen(options[, cb])` or `listen([cb])` (a random port on every interface).
   */
  listen(port?: number | string | null, host?: string, backlog?: number, listener?: Callback): this;
  /** Listen on TCP `port` (0 or `null`: a random one) of `host`; `listener` on `listening`. */
  listen(port?: number | string | null, host?: string, listener?: Callback): this;
  /** Listen on TCP `port` of every interface, with a queue of `backlog` pending connections. */
  listen(port?: number | string | null, backlog?: number, listener?: Callback): this;
  /** Listen on TCP `port` of every interface (IPv6 dual-stack when available, else IPv4). */
  listen(port?: number | string | null, listener?: Callback): this;
  /** Listen on the Unix-domain socket `path`, with a queue of `backlog` pending connections. */
  listen(path: string, backlog?: number, listener?: Callback): this;
  /** Listen on the Unix-domain socket `path`. */
  listen(path: string, listener?: Callback): this;
  /** Listen as `options` say: `port` and `host`, or `path`, plus `backlog`, `signal`... */
  listen(options: ListenOptions, listener?: Callback): this;
  /** Listen on a random TCP port of every interface. */
  listen(listener?: Callback): this;
  // deno-lint-ignore no-explicit-any
  listen(...args: any[]): this {
    const [given, cb] = normalizeListenArgs(args);
    if (this.listener_ !== null || this.binding_) {
      if (!this.hostPending_) throw plainError("ERR_SERVER_ALREADY_LISTEN");
      // Node has no handle yet (the earlier listen()'s host is being looked up): no error,
      // and this listen() is the one that binds (the earlier lookup's answer is dropped);
      // the earlier callback still comes with its `listening`.
      this.binding_ = false;
      this.hostPending_ = false;
    }
    // Node adopts a listening descriptor or handle (`{ fd }`, `{ handle }`, a server's
    // `_handle`); neither Deno's nor Bun's listen API can.
    const handle = (given as { _handle?: unknown; handle?: unknown })._handle ??
      (given as { handle?: unknown }).handle ?? given;
    const fd = (handle as { fd?: unknown } | null)?.fd;
    if (typeof fd === "number" && fd >= 0) {
      throw invalidArgValue("options.fd", fd, "is not supported by crossnet (a server listens on a port or a path)");
    }
    const options: ListenOptions = { ...given };
    if (cb) this.once("listening", cb);
    const backlogFromArgs = toNumber(args.length > 1 && args[1]) || toNumber(args.length > 2 && args[2]);
    const id = ++this.listenId_;
    if (options.signal !== undefined) this.watchSignal_(options.signal);
    if (
      args.length === 0 || typeof args[0] === "function" ||
      (options.port === undefined && "port" in given) || options.port === null
    ) {
      options.port = 0;
    }
    if (typeof options.port === "number" || typeof options.port === "string") {
      const port = validatePort(options.port, "options.port");
      const backlog = options.backlog || backlogFromArgs || DEFAULT_BACKLOG;
      const tcp = (host: string): DriverListenOptions => ({
        kind: "tcp",
        host,
        port,
        backlog,
        ipv6Only: options.ipv6Only === true,
        reusePort: options.reusePort === true,
      });
      if (options.host) {
        const host = options.host;
        // (dns.lookup's check, in Node: its message names `hostname`.)
        if (typeof host !== "string") throw invalidArgType("hostname", "string", host);
        this.hostPending_ = true;
        if (isIP(host)) {
          // Node looks even an IP address up, and binds when the lookup answers, a tick
          // later: until then `listening` is false and address() null.
          this.binding_ = true;
          nextTick(() => {
            if (id !== this.listenId_) return;
            this.hostPending_ = false;
            this.bind_(id, [tcp(host)]);
          });
        } else this.lookupAndBind_(id, host, (ip) => tcp(ip));
      } else {
        // No host: every interface, IPv6 (dual-stack) first, IPv4 when that fails.
        this.bind_(id, [tcp("::"), tcp("0.0.0.0")]);
      }
      return this;
    }
    if (options.path && isPipeName(options.path)) {
      const backlog = options.backlog || backlogFromArgs || DEFAULT_BACKLOG;
      this.pipeName_ = String(options.path);
      this.bind_(id, [{
        kind: "unix",
        path: String(options.path),
        backlog,
        readableAll: options.readableAll === true,
        writableAll: options.writableAll === true,
      }]);
      return this;
    }
    if (!("port" in given || "path" in given)) {
      throw invalidArgValue("options", given, 'must have the property "port" or "path"');
    }
    throw invalidArgValue("options", given);
  }

  /** Check listen()'s `signal` option. */
  private watchSignal_(signal: AbortSignal) {
    if (signal === null || typeof signal !== "object" || !("aborted" in signal)) {
      throw invalidArgType("options.signal", "AbortSignal", signal);
    }
    const onAbort = () => this.close();
    if (signal.aborted) nextTick(onAbort);
    else {
      signal.addEventListener("abort", onAbort, { once: true });
      this.once("close", () => signal.removeEventListener("abort", onAbort));
    }
  }

  /** Resolve `host`, then bind the first address (listen() with a name). */
  private lookupAndBind_(id: number, host: string, make: (ip: string) => DriverListenOptions) {
    this.binding_ = true;
    this.driver_.lookup(host, 0, (err, addresses) => {
      if (id !== this.listenId_) return;
      this.binding_ = false;
      this.hostPending_ = false;
      const first = addresses?.[0];
      if (err !== undefined || first === undefined) {
        return this.emitError_(lookupFailure(err ?? ({ code: "ENOTFOUND" } as DriverError), host));
      }
      this.bind_(id, [make(first.address)]);
    });
  }

  /** Try each candidate in order; the first that binds wins, the last error is reported. */
  private bind_(id: number, candidates: DriverListenOptions[]) {
    const onConnection = (conn: DriverConnection) => this.onConnection_(conn);
    const attempt = (i: number): void => {
      const options = candidates[i]!;
      const fail = (err: DriverError, last = i + 1 === candidates.length) => {
        if (id !== this.listenId_) return;
        if (!last) return attempt(i + 1);
        this.binding_ = false;
        this.emitError_(listenError(err, options));
      };
      // A runtime without IPV6_V6ONLY: its `::` listener would take IPv4 clients too.
      // Refused, and not by falling back to IPv4's `0.0.0.0` (IPv4 clients only) either.
      if (
        options.kind === "tcp" && options.ipv6Only && this.driver_.ipv6Only === false &&
        isIPv6Wildcard(options.host)
      ) {
        return fail({ code: "ENOTSUP" } as DriverError, true);
      }
      let result: DriverListener | PendingListener;
      try {
        result = this.driver_.listen(options, onConnection);
      } catch (err) {
        return fail(err as DriverError);
      }
      if (typeof (result as Partial<PendingListener>).then === "function") {
        this.binding_ = true;
        (result as PendingListener).then((listener) => this.bound_(id, listener), fail);
      } else {
        this.bound_(id, result as DriverListener);
      }
    };
    attempt(0);
  }

  /** The driver is listening: `listening`, unless a later listen() or close() superseded this one. */
  private bound_(id: number, listener: DriverListener) {
    if (id !== this.listenId_) {
      void listener.close();
      return;
    }
    this.binding_ = false;
    this.listener_ = listener;
    if (this.unref_) listener.unref();
    // As Node's emitListeningNT: emitted if the server listens by then, on this listener or
    // on the one of a listen() made after a close() meanwhile (then twice).
    nextTick(() => {
      if (this.listener_ !== null) emitNone(this, "listening");
    });
  }

  /** `error`, a tick later (as Node emits listen errors). */
  private emitError_(err: Error) {
    nextTick(() => emitOne(this, "error", err));
  }

  /** An accepted connection: a Socket for `connection`, or closed (closed server, maxConnections). */
  private onConnection_(conn: DriverConnection) {
    if (this.listener_ === null) {
      conn.close();
      return;
    }
    if (this.maxConnections !== undefined && this.maxConnections !== null && this.connections_ >= this.maxConnections) {
      const info = conn.info();
      const data: DropInfo = Object.create(null);
      data.localAddress = info.localAddress;
      data.localPort = info.localPort;
      data.localFamily = info.localFamily;
      data.remoteAddress = info.remoteAddress;
      data.remotePort = info.remotePort;
      data.remoteFamily = info.remoteFamily;
      emitOne(this, "drop", data);
      conn.close();
      return;
    }
    // (The driver is asked for the ends once per connection: the socket keeps them.)
    let info: ConnectionInfo | undefined;
    if (this.blockList !== undefined) {
      info = conn.info();
      const remote = info.remoteAddress;
      const type = remote === undefined ? 0 : isIP(remote);
      if (type !== 0 && this.blockList.check(remote!, `ipv${type}`)) {
        conn.close();
        return;
      }
    }
    const socket = this.newSocket_({
      allowHalfOpen: this.allowHalfOpen,
      highWaterMark: this.highWaterMark,
      ...(this.noDelay ? { noDelay: true } : {}),
      ...(this.keepAlive ? { keepAlive: true, keepAliveInitialDelay: this.keepAliveInitialDelay * 1000 } : {}),
    });
    this.connections_++;
    socket.server = this;
    socket._adopt(conn, this, this.pauseOnConnect, info, this.pipeName_ !== undefined);
    emitOne(this, "connection", socket);
  }

  /** @internal A socket of ours was destroyed. */
  socketClosed(_socket: Socket): void {
    this.connections_--;
    this.emitCloseIfDrained_();
  }

  /**
   * `close` once the server is closed and its last connection gone. As Node's
   * _emitCloseIfDrained, each call that finds it so schedules one: close() called twice
   * emits `close` twice. `ownClose`: called once close()'s listener was released, which a
   * later listen() does not undo.
   */
  private emitCloseIfDrained_(ownClose = false) {
    if ((this.listener_ !== null && !ownClose) || this.connections_ > 0) return;
    if (!this.closing_) return;
    nextTick(() => {
      this.closing_ = false;
      emitNone(this, "close");
    });
  }

  private closing_ = false;

  /**
   * Stop accepting; `close` is emitted (and `callback` called) once every open connection
   * has ended. The callback gets `ERR_SERVER_NOT_RUNNING` if the server was not listening.
   */
  close(callback?: (err?: Error) => void): this {
    if (typeof callback === "function") {
      if (this.listener_ === null) {
        this.once("close", () => callback(plainError("ERR_SERVER_NOT_RUNNING")));
      } else {
        this.once("close", callback);
      }
    }
    this.listenId_++;
    this.binding_ = false;
    this.hostPending_ = false;
    const listener = this.listener_;
    this.listener_ = null;
    this.closing_ = true;
    if (listener !== null) {
      // Node decides now (no handle, no connection: `close` a tick later). A driver that
      // releases the address later is waited for, and a listen() made meanwhile does not
      // take this `close` back.
      const released = listener.close();
      if (released === undefined) this.emitCloseIfDrained_();
      else {
        const closed = () => this.emitCloseIfDrained_(true);
        released.then(closed, closed);
      }
    } else {
      this.emitCloseIfDrained_();
    }
    return this;
  }

  /**
   * The bound address: `{ address, family, port }` while listening on TCP, `null` before
   * and after. A Unix server answers with its path from `listen()` on, also once closed
   * (as Node does).
   */
  address(): ServerAddress | string | null {
    if (this.listener_ === null) return this.pipeName_ ?? null;
    return this.listener_.address();
  }

  private pipeName_: string | undefined;

  /** Call back with the number of open connections. */
  getConnections(callback: (err: Error | null, count: number) => void): this {
    if (typeof callback !== "function") throw invalidArgType("callback", "function", callback);
    const count = this.connections_;
    nextTick(() => callback(null, count));
    return this;
  }

  /** Let the server keep the process alive (the default). */
  ref(): this {
    this.unref_ = false;
    this.listener_?.ref();
    return this;
  }

  /** Let the process exit while the server listens. */
  unref(): this {
    this.unref_ = true;
    this.listener_?.unref();
    return this;
  }

  /** `await using server = createServer(...)`: closed at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.listener_ === null) return;
    await new Promise<void>((resolve) => this.close(() => resolve()));
  }
}

// node:events' `captureRejectionSymbol` method, as node:net's Server has it, for when
// node:events' global `captureRejections` is on (a server takes no option for it, as
// node:net's): a `connection` listener's rejection destroys that socket with it, any
// other becomes the server's `error`. (Set here: isolated declarations cannot name the
// symbol's key in the class.)
(Server.prototype as unknown as Record<symbol, unknown>)[captureRejectionSymbol] = function (
  this: Server,
  err: unknown,
  event: string | symbol,
  socket?: { destroy(err?: unknown): unknown },
): void {
  if (event === "connection") socket!.destroy(err);
  else this.emit("error", err);
};

// deno-lint-ignore no-explicit-any
function normalizeListenArgs(args: any[]): [ListenOptions, Callback | undefined] {
  const last = args[args.length - 1];
  const cb = typeof last === "function" ? last : undefined;
  if (args.length === 0 || typeof args[0] === "function") return [{}, cb];
  const first = args[0];
  const options: ListenOptions = {};
  if (typeof first === "object" && first !== null) {
    return [first, cb];
  } else if (isPipeName(first)) {
    options.path = first;
  } else {
    options.port = first;
    if (args.length > 1 && typeof args[1] === "string") options.host = args[1];
  }
  return [options, cb];
}

function toNumber(value: unknown): number | false {
  const n = Number(value);
  return n >= 0 ? n : false;
}


/** `::` or another spelling of the unspecified IPv6 address (`0:0::0`...). */
function isIPv6Wildcard(host: string): boolean {
  return /^[0:]+$/.test(host) && isIP(host) === 6;
}

function listenError(err: DriverError, options: DriverListenOptions): Error {
  if (typeof err?.code !== "string") return err;
  if (options.kind === "unix") {
    return systemError(err.code, "listen", "described", options.path, -1, err.errno);
  }
  return systemError(err.code, "listen", "described", options.host, options.port, err.errno);
}

function lookupFailure(err: DriverError, host: string): Error {
  const code = err?.code ?? "ENOTFOUND";
  const ex = systemError(code, "getaddrinfo", "plain", undefined, undefined, err?.errno);
  ex.message = `getaddrinfo ${code} ${host}`;
  (ex as Error & { hostname?: string }).hostname = host;
  return ex;
}
