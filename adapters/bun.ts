/**
 * The Bun driver: crossnet's {@link Driver} on Bun's own sockets (`Bun.connect`,
 * `Bun.listen`), not on Bun's `node:net` compatibility layer.
 *
 * Bun calls one handler object per listener (here: one object for every client socket and
 * one for every accepted socket) and keeps per-socket state in `socket.data`. A connect is
 * reported from the `open` and `connectError` handlers, not from the promise
 * `Bun.connect()` returns (the core then emits `connect` from Bun's I/O callback, as
 * Node). Chunks from the `data` handler are fresh buffers, handed to the core as they are.
 * `socket.write()` takes what the kernel accepts and drops the rest: the rest is kept here
 * and re-sent from the `drain` handler. Half-close is `socket.shutdown()`;
 * `allowHalfOpen: true` keeps a socket writable after the peer's FIN (the core decides
 * whether to end). Names are resolved with `Bun.dns.lookup()` on the system resolver
 * (getaddrinfo: `/etc/hosts` and the system's address order count).
 *
 * Gaps, all of them Bun's public API having no way:
 * - A pending `Bun.connect()` cannot be cancelled: on abort the core hears nothing more, the
 *   attempt goes on in the background (keeping the process alive until the OS gives up on
 *   an unanswered SYN) and a connection that still opens is closed.
 * - The listen backlog is Bun's own (`Bun.listen` takes no backlog).
 *
 * @example
 * ```ts
 * import { createNet } from "../src/net.ts";
 * import { createBunDriver } from "./bun.ts";
 *
 * const net = createNet(createBunDriver());
 * const server = net.createServer((socket) => socket.pipe(socket));
 * server.listen(0, "127.0.0.1");
 * ```
 *
 * @module
 */

import type {
  AddressFamily,
  ConnectCallback,
  ConnectionInfo,
  ConnectionSink,
  Driver,
  DriverAttempt,
  DriverConnection,
  DriverConnectOptions,
  DriverError,
  DriverListener,
  DriverListenOptions,
  ListenerAddress,
  LookupAddress,
  LookupCallback,
} from "../src/driver.ts";

import type {
  BunApi,
  BunListener,
  BunSocket,
  BunSocketHandler,
  BunTcpConnectOptions,
} from "./bun_api.ts";
import { nextTurn, reportUncaught } from "../src/turn.ts";
import { failLater } from "./fail_later.ts";
import { END, heldBytes, releaseHeld, type HeldRead } from "./held_reads.ts";

// --- tuning ---

// Bytes kept for a connection not yet started (or paused) before Bun stops reading it.
const HOLD_LIMIT = 64 * 1024;

// --- driver ---

/**
 * Create the {@link Driver} for Bun, on `Bun.connect` and `Bun.listen` (TCP and Unix
 * sockets, Linux's abstract namespace included).
 *
 * @returns The driver, to give to the core's `createNet`.
 * @throws {Error} When not running on Bun.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBunDriver } from "./bun.ts";
 *
 * const driver = createBunDriver();
 * assert.equal(driver.name, "bun");
 * driver.lookup("localhost", 4, (err, addresses) => {
 *   assert.equal(err, undefined);
 *   assert.equal(addresses?.[0]?.address, "127.0.0.1");
 * });
 * ```
 */
export function createBunDriver(): Driver {
  const bun = (globalThis as unknown as { Bun?: BunApi }).Bun;
  if (typeof bun?.connect !== "function" || typeof bun.listen !== "function") {
    throw new Error(
      "crossnet's Bun driver needs the Bun runtime (globalThis.Bun is missing): " +
        "use crossnet/node or crossnet/deno on other runtimes",
    );
  }
  return new BunDriver(bun);
}

class BunDriver implements Driver {
  readonly name = "bun";
  private readonly bun_: BunApi;

  constructor(bun: BunApi) {
    this.bun_ = bun;
  }

  lookup(hostname: string, family: 0 | AddressFamily, done: LookupCallback): void {
    // Bun's default backend on Linux is c-ares, which skips nsswitch.conf (mDNS,
    // myhostname...) and gai.conf; "system" is getaddrinfo, as Node's dns.lookup().
    // https://bun.sh/reference/bun/dns/lookup
    this.bun_.dns.lookup(hostname, { family, backend: "system" }).then(
      (found) => {
        const out: LookupAddress[] = new Array(found.length);
        for (let i = 0; i < found.length; i++) {
          out[i] = { address: found[i]!.address, family: found[i]!.family };
        }
        done(undefined, out);
      },
      (err) => done(toDnsError(err)),
    );
  }

  connect(options: DriverConnectOptions, done: ConnectCallback): DriverAttempt {
    // The connection is its own attempt: its `open` or `connectError` handler calls `done`,
    // from Bun's I/O callback, not from the promise Bun.connect() returns.
    const conn = new BunConnection(
      done,
      options.kind === "tcp" && (options.localAddress !== undefined || !!options.localPort),
    );
    // Bun may fail a connect inside the call (a Unix path that does not exist): the core
    // hears of it once connect() returned, as the contract says.
    conn.calling_ = true;
    try {
      if (options.kind === "unix") {
        void this.bun_.connect({
          unix: options.path,
          socket: CLIENT_HANDLERS,
          data: conn,
          allowHalfOpen: true,
        });
      } else {
        const tcp: BunTcpConnectOptions<BunConnection> = {
          hostname: options.host,
          port: options.port,
          socket: CLIENT_HANDLERS,
          data: conn,
          allowHalfOpen: true,
        };
        if (options.localAddress !== undefined) tcp.localAddress = options.localAddress;
        if (options.localPort) tcp.localPort = options.localPort;
        // (With a `connectError` handler, the promise's rejection is not reported.)
        void this.bun_.connect(tcp);
      }
    } catch (err) {
      conn.abort(); // (No socket: nothing to close, the callback dropped.)
      return failLater(toDriverError(err), done);
    } finally {
      conn.calling_ = false;
    }
    return conn;
  }

  listen(
    options: DriverListenOptions,
    onConnection: (connection: DriverConnection) => void,
  ): DriverListener {
    const acceptor: Acceptor = { onConnection, closed: false };
    let listener: BunListener;
    try {
      listener = options.kind === "unix"
        ? this.bun_.listen({
          unix: options.path,
          socket: SERVER_HANDLERS,
          data: acceptor,
          allowHalfOpen: true,
        })
        : this.bun_.listen({
          hostname: options.host,
          port: options.port,
          // Bun's sockets library used to set SO_REUSEPORT unless told `exclusive`.
          exclusive: !options.reusePort,
          reusePort: options.reusePort,
          ipv6Only: options.ipv6Only,
          socket: SERVER_HANDLERS,
          data: acceptor,
          allowHalfOpen: true,
        });
    } catch (err) {
      throw toDriverError(err);
    }
    if (options.kind === "unix" && (options.readableAll || options.writableAll)) {
      try {
        chmodSocket(options.path, options.readableAll, options.writableAll);
      } catch (err) {
        listener.stop(true);
        throw toDriverError(err);
      }
    }
    return new BunServerListener(listener, acceptor, listenerAddress(listener, options));
  }
}

/** The two functions of `node:fs` that {@link chmodSocket} needs. */
interface FileModes {
  statSync(path: string): { mode: number };
  chmodSync(path: string, mode: number): void;
}

// node:net's readableAll/writableAll, as libuv's uv_pipe_chmod() does them. `node:fs` is
// loaded here, on first use, not imported: loading it costs Bun ~5 MiB of RSS in every
// process, and only Unix listeners with these options need it.
function chmodSocket(path: string, readable: boolean, writable: boolean): void {
  if (path.startsWith("\0")) return; // Abstract socket: no file.
  const fs = (globalThis as unknown as {
    process: { getBuiltinModule(id: "node:fs"): FileModes };
  }).process.getBuiltinModule("node:fs");
  const current = fs.statSync(path).mode & 0o7777;
  const wanted = (readable ? 0o444 : 0) | (writable ? 0o222 : 0);
  if ((current & wanted) !== wanted) fs.chmodSync(path, current | wanted);
}

function listenerAddress(listener: BunListener, options: DriverListenOptions): ListenerAddress {
  if (options.kind === "unix") return options.path;
  const bound: { address?: string; family?: string; port?: number } = {};
  try {
    listener.getsockname?.(bound);
  } catch { /* older Bun: fall back to what the listener reports */ }
  const address = bound.address ?? listener.hostname ?? options.host;
  return {
    address,
    family: bound.family ?? (address.includes(":") ? "IPv6" : "IPv4"),
    port: bound.port ?? listener.port ?? options.port,
  };
}

// --- connection ---

/** What an accepted socket's `data` holds until its `open` handler replaces it. */
interface Acceptor {
  onConnection: (connection: DriverConnection) => void;
  closed: boolean;
}

class BunConnection implements DriverConnection, DriverAttempt {
  private socket_: BunSocket<BunConnection> | undefined;
  /** A client connection's connect callback, until it is called (or the attempt aborted). */
  private connectDone_: ConnectCallback | undefined;
  /** A client connection binds its local end (its failures then are the bind's). */
  private readonly binds_: boolean;
  /** Inside the Bun.connect() call (its handlers may run before it returns). */
  calling_ = false;
  private sink_: ConnectionSink | undefined;
  /** Chunks (and END) that arrived before start(), or while paused. */
  private held_: HeldRead[] | undefined;
  private heldBytes_ = 0;
  /** A failure that came before start(), delivered after the held chunks. */
  private heldError_: DriverError | undefined;
  /** Held chunks are being delivered (re-entrancy guard). */
  private releasing_ = false;
  /** The core paused reading. */
  private paused_ = false;
  /** Bun's socket is paused (the core asked, or too much was held before start()). */
  private bunPaused_ = false;
  /** The peer's FIN was seen. */
  private eof_ = false;
  /** close() or reset() was called. */
  private closed_ = false;
  /** Bun closed the socket (its `close` handler ran). */
  private gone_ = false;
  /** Why the connection failed, for later writes. */
  private failure_: DriverError | undefined;
  /** The write in progress: its bytes, how many Bun took, its callback. */
  private writeData_: Uint8Array | undefined;
  private writeOffset_ = 0;
  private writeDone_: ((err?: DriverError) => void) | undefined;
  /** Both ends as they were when we shut down, for the turn after it (see shutdownNow_). */
  private endsAtShutdown_: ConnectionInfo | undefined;
  /** A shutdown asked while a write was still going out. */
  private shutdownDone_: ((err?: DriverError) => void) | undefined;
  /** ref()/unref() as the core asked. */
  private userRef_ = true;
  /** Whether Bun's socket is ref'd now (see updateRef_). */
  private refed_ = true;

  /**
   * Both handler objects' `data` (an accepted socket's `data` is its connection by then:
   * `open` came first). The usual chunk goes to the core from here, one function less per
   * message for the JIT compilers; the rest is held.
   */
  private static onData_(socket: BunSocket<BunConnection | Acceptor>, chunk: Uint8Array): void {
    const conn = socket.data as BunConnection;
    const sink = conn.sink_;
    if (sink !== undefined && conn.held_ === undefined && !conn.paused_) sink._data(chunk);
    else conn.hold_(chunk);
  }

  /** Handlers of client sockets: `data` is the connection from `Bun.connect({ data })`. */
  static readonly clientHandlers: BunSocketHandler<BunConnection> = {
    open(socket) {
      const conn = socket.data;
      conn.socket_ = socket;
      // Abandoned (aborted) while connecting: close the late connection.
      if (conn.closed_) return socket.close();
      if (conn.calling_) return queueMicrotask(() => conn.connected_());
      conn.connected_();
    },
    connectError(socket, error) {
      socket.data.onConnectError_(error);
    },
    data: BunConnection.onData_,
    drain(socket) {
      socket.data.onDrain_();
    },
    end(socket) {
      socket.data.onEnd_();
    },
    close(socket, error) {
      socket.data.onClose_(error);
    },
  };

  /**
   * Handlers of accepted sockets: `data` starts as the listener's {@link Acceptor} (the
   * listener's `data`), and `open` replaces it with the connection.
   */
  static readonly serverHandlers: BunSocketHandler<BunConnection | Acceptor> = {
    open(socket) {
      const acceptor = socket.data as Acceptor;
      // Bun arms a 120 s idle timeout on every accepted socket: idle timers are the core's.
      socket.timeout(0);
      if (acceptor.closed) return socket.close();
      const conn = new BunConnection();
      conn.socket_ = socket as BunSocket<BunConnection>;
      socket.data = conn;
      try {
        acceptor.onConnection(conn);
      } catch (err) {
        // A `connection` listener threw: Bun would close the socket it is opening; Node
        // reports the exception as uncaught and the socket goes on.
        reportUncaught(err);
      }
    },
    data: BunConnection.onData_,
    drain(socket) {
      (socket.data as BunConnection).onDrain_();
    },
    end(socket) {
      (socket.data as BunConnection).onEnd_();
    },
    close(socket, error) {
      const conn = socket.data;
      if (conn instanceof BunConnection) conn.onClose_(error);
    },
  };

  constructor(connectDone?: ConnectCallback, binds = false) {
    this.connectDone_ = connectDone;
    this.binds_ = binds;
  }

  /** The connect succeeded: tell the core (unless abandoned meanwhile). */
  private connected_(): void {
    const done = this.connectDone_;
    if (done === undefined) return;
    this.connectDone_ = undefined;
    done(undefined, this);
  }

  /** The connect failed (Bun's `connectError` handler). */
  private onConnectError_(error: unknown): void {
    if (this.calling_) return queueMicrotask(() => this.onConnectError_(error));
    const done = this.connectDone_;
    if (done === undefined) return;
    this.connectDone_ = undefined;
    this.gone_ = true;
    const failure = toDriverError(error);
    // Bun says `connect` for every failure; binding the asked local end is what fails
    // with these codes (Node: `bind EADDRINUSE 127.0.0.1:5000`).
    if ((failure.code === "EADDRINUSE" || failure.code === "EADDRNOTAVAIL") && this.binds_) {
      failure.syscall = "bind";
    }
    done(failure);
  }

  /** Abandon the connect: no callback, and a connection that still opens is closed. */
  abort(): void {
    // (Nothing once connected or failed: the callback was called.)
    if (this.connectDone_ === undefined) return;
    this.connectDone_ = undefined;
    this.close();
  }

  info(): ConnectionInfo {
    if (this.endsAtShutdown_ !== undefined) return this.endsAtShutdown_;
    const s = this.socket_;
    const localPort = s?.localPort;
    // Unix sockets: node:net reports no address, port or family on either end.
    if (s === undefined || localPort === undefined) return {};
    const local = { localAddress: s.localAddress, localPort, localFamily: s.localFamily };
    // A peer that reset the connection has no address any more (getpeername: ENOTCONN);
    // the local end still has one.
    const remoteAddress = s.remoteAddress;
    if (remoteAddress === undefined) return local;
    return { ...local, remoteAddress, remotePort: s.remotePort, remoteFamily: s.remoteFamily };
  }

  start(sink: ConnectionSink): void {
    if (this.sink_ !== undefined || this.closed_) return;
    this.sink_ = sink;
    this.release_();
    this.readAgain_();
  }

  pause(): void {
    if (this.paused_) return;
    this.paused_ = true;
    if (!this.bunPaused_ && !this.gone_) {
      this.bunPaused_ = true;
      this.socket_?.pause();
      this.updateRef_();
    }
  }

  /**
   * Bun keeps the process alive while a socket is open, libuv (Node) only while its
   * handle is active: reading (not paused, before the peer's FIN) or with bytes going out.
   * Bun's socket is unref'd while it is neither, so a program whose sockets all wait
   * paused exits as it does on Node (Deno's connections, idle without a pending op, do).
   */
  private updateRef_(): void {
    const active = (!this.bunPaused_ && !this.eof_) || this.writeData_ !== undefined;
    const want = this.userRef_ && active;
    if (want === this.refed_ || this.socket_ === undefined || this.gone_ || this.closed_) return;
    this.refed_ = want;
    if (want) this.socket_.ref();
    else this.socket_.unref();
  }

  resume(): void {
    if (!this.paused_) return;
    this.paused_ = false;
    if (this.sink_ === undefined || this.releasing_) return; // start() / release_() go on.
    this.release_();
    this.readAgain_();
  }

  /** Let Bun read again once started, not paused, and nothing is held. */
  private readAgain_(): void {
    if (
      this.bunPaused_ && !this.paused_ && this.held_ === undefined && !this.closed_ &&
      !this.gone_ && this.sink_ !== undefined
    ) {
      this.bunPaused_ = false;
      this.socket_?.resume();
      this.updateRef_();
    }
  }

  // Bun delivers while the core is not reading (not started, paused, or older chunks still
  // held): keep it, in order, until it is. (The data handlers deliver the rest.)
  private hold_(chunk: Uint8Array): void {
    if (this.closed_) return;
    (this.held_ ??= []).push(chunk);
    this.heldBytes_ += chunk.byteLength;
    if (this.heldBytes_ >= HOLD_LIMIT && !this.bunPaused_ && !this.gone_) {
      this.bunPaused_ = true;
      this.socket_?.pause();
      this.updateRef_();
    }
  }

  private onEnd_(): void {
    if (this.eof_) return;
    this.eof_ = true;
    this.updateRef_();
    const sink = this.sink_;
    if (sink !== undefined && this.held_ === undefined && !this.paused_) return sink._eof();
    if (!this.closed_) (this.held_ ??= []).push(END);
  }

  /** Deliver held chunks (and a held failure) while started and not paused. */
  private release_(): void {
    const held = this.held_;
    const sink = this.sink_;
    if (held !== undefined && sink !== undefined) {
      this.releasing_ = true;
      try {
        releaseHeld(held, sink, () => !this.paused_ && this.sink_ !== undefined);
      } finally {
        this.releasing_ = false;
        if (this.held_ === held) {
          this.heldBytes_ = heldBytes(held);
          if (held.length === 0) this.held_ = undefined;
        }
      }
      if (this.held_ !== undefined) return;
    }
    const failure = this.heldError_;
    if (failure !== undefined && sink !== undefined) {
      this.heldError_ = undefined;
      sink._error(failure);
    }
  }

  private onClose_(error: unknown): void {
    if (this.gone_) return;
    this.gone_ = true;
    if (this.closed_) return;
    const failure = error === undefined || error === null ? undefined : toDriverError(error);
    // Bun labels every error of a closed socket `read`; a broken pipe comes from a write.
    if (failure?.code === "EPIPE") failure.syscall = "write";
    this.failure_ = failure;
    let writeDone = this.writeDone_;
    const shutdownDone = this.shutdownDone_;
    this.writeData_ = this.writeDone_ = this.shutdownDone_ = undefined;
    // A broken pipe is the failure of the write going out (libuv's write request fails
    // with it): that write learns it first, as on Node, and the error event follows.
    if (failure?.syscall === "write" && writeDone !== undefined) {
      writeDone(failure);
      writeDone = undefined;
    }
    if (failure !== undefined) {
      // A failure ends the connection at once: data not yet read is dropped (Node too).
      const sink = this.sink_;
      if (sink !== undefined && !this.releasing_) {
        this.held_ = undefined;
        sink._error(failure);
      } else this.heldError_ = failure;
    } else if (!this.eof_) {
      // The peer's FIN after our own: Bun closes the socket without calling `end`.
      // https://github.com/oven-sh/bun/pull/35947 (review: uSockets' EOF path on SHUT_WR)
      this.onEnd_();
    }
    writeDone?.(failure ?? brokenPipe());
    shutdownDone?.(failure ?? notConnected());
  }

  write(data: Uint8Array, done: (err?: DriverError) => void): boolean {
    const socket = this.socket_;
    if (socket === undefined || this.closed_ || this.gone_) {
      done(this.closed_ ? canceled() : this.failure_ ?? brokenPipe());
      return false;
    }
    const length = data.byteLength;
    // write() takes what the kernel accepts and drops the rest: keep it for `drain`.
    let taken = length === 0 ? 0 : socket.write(data);
    if (taken === length) return true;
    // What the kernel left is tried once more at once, as libuv's uv_write does after its
    // uv_try_write: a peer that is gone answers the first part with a reset, and this try
    // sees it, so the write fails now (as Node's), not after a `drain` and the peer's FIN.
    if (taken > 0 && !this.gone_ && !this.closed_) {
      const more = socket.write(data, taken, length - taken);
      if (more < 0) taken = more;
      else if ((taken += more) === length) return true;
    }
    // -1: shut down or closed. Bun may also have closed it during the call.
    if (taken < 0 || this.gone_ || this.closed_) {
      done(this.closed_ ? canceled() : this.failure_ ?? brokenPipe());
      return false;
    }
    this.writeData_ = data;
    this.writeOffset_ = taken;
    this.writeDone_ = done;
    if (!this.refed_) this.updateRef_();
    return false;
  }

  private onDrain_(): void {
    const data = this.writeData_;
    // Bun also calls `drain` when nothing is waiting (after connect, after resume).
    if (data === undefined) return;
    const offset = this.writeOffset_;
    // Give the length too: Bun's default is the whole view's, a RangeError past an offset.
    const taken = this.socket_!.write(data, offset, data.byteLength - offset);
    if (taken >= 0 && offset + taken < data.byteLength) {
      this.writeOffset_ = offset + taken;
      return;
    }
    const done = this.writeDone_!;
    const shutdownDone = this.shutdownDone_;
    this.writeData_ = this.writeDone_ = this.shutdownDone_ = undefined;
    if (this.bunPaused_ || this.eof_) this.updateRef_();
    if (taken < 0) {
      const failure = this.failure_ ?? brokenPipe();
      done(failure);
      shutdownDone?.(failure);
      return;
    }
    if (shutdownDone !== undefined) this.shutdownNow_(shutdownDone);
    done();
  }

  writeQueueSize(): number {
    const data = this.writeData_;
    return data === undefined ? 0 : data.byteLength - this.writeOffset_;
  }

  shutdown(done: (err?: DriverError) => void): void {
    if (this.socket_ === undefined || this.closed_ || this.gone_) {
      return done(this.closed_ ? canceled() : this.failure_ ?? notConnected());
    }
    // The FIN goes after every byte: wait for a write still going out.
    if (this.writeData_ !== undefined) this.shutdownDone_ = done;
    else this.shutdownNow_(done);
  }

  private shutdownNow_(done: (err?: DriverError) => void): void {
    // Bun shuts down at once, where libuv does it a turn later: until then Node's socket
    // still answers for both ends, even when the peer's FIN is already in and our own
    // closes the connection (getpeername fails after that). Keep the ends for that turn.
    this.endsAtShutdown_ = this.info();
    nextTurn(() => (this.endsAtShutdown_ = undefined));
    // shutdown(SHUT_WR); Bun's end() would close the whole socket.
    this.socket_!.shutdown();
    done();
  }

  close(): void {
    if (this.closed_) return;
    this.closeWith_(false);
  }

  reset(): void {
    if (this.closed_) return;
    this.closeWith_(true);
  }

  private closeWith_(reset: boolean): void {
    this.closed_ = true;
    this.sink_ = undefined;
    this.held_ = undefined;
    this.heldError_ = undefined;
    const writeDone = this.writeDone_;
    const shutdownDone = this.shutdownDone_;
    this.writeData_ = this.writeDone_ = this.shutdownDone_ = undefined;
    const socket = this.socket_;
    if (socket !== undefined && !this.gone_) {
      // terminate(): SO_LINGER 0 then close, so the peer gets a RST (ECONNRESET).
      if (reset) socket.terminate();
      // close(): close(2); bytes Bun already took still go out, then the FIN.
      else socket.close();
    }
    // Like libuv, operations cut short by the close report ECANCELED (after this call).
    if (writeDone !== undefined || shutdownDone !== undefined) {
      queueMicrotask(() => {
        writeDone?.(canceled());
        shutdownDone?.(canceled());
      });
    }
  }

  setNoDelay(noDelay: boolean): void {
    if (this.gone_ || this.closed_) return;
    this.socket_?.setNoDelay(noDelay);
  }

  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    if (this.gone_ || this.closed_) return;
    try {
      // Milliseconds, as Node's (TCP_KEEPIDLE gets whole seconds); 0 keeps the default.
      this.socket_?.setKeepAlive(enable, Math.max(0, Math.floor(initialDelayMs)));
    } catch { /* a delay beyond Bun's int32 range: keep-alive stays as it was */ }
  }

  ref(): void {
    this.userRef_ = true;
    this.updateRef_();
  }

  unref(): void {
    this.userRef_ = false;
    this.updateRef_();
  }
}

const CLIENT_HANDLERS = BunConnection.clientHandlers;
const SERVER_HANDLERS = BunConnection.serverHandlers;

// --- listener ---

class BunServerListener implements DriverListener {
  private readonly listener_: BunListener;
  private readonly acceptor_: Acceptor;
  private readonly address_: ListenerAddress;

  constructor(listener: BunListener, acceptor: Acceptor, address: ListenerAddress) {
    this.listener_ = listener;
    this.acceptor_ = acceptor;
    this.address_ = address;
  }

  address(): ListenerAddress {
    return this.address_;
  }

  close(): void {
    if (!this.acceptor_.closed) {
      this.acceptor_.closed = true;
      // Closes the listening socket at once (and unlinks a Unix socket file); accepted
      // connections stay open: the core closes them.
      this.listener_.stop(false);
    }
  }

  ref(): void {
    this.listener_.ref();
  }

  unref(): void {
    this.listener_.unref();
  }
}

// --- errors ---

// Errors this file makes up itself: the core adds Node's errno for the code.
function driverError(code: string, message: string): DriverError {
  const err = new Error(message) as DriverError;
  err.code = code;
  return err;
}

function brokenPipe(): DriverError {
  return driverError("EPIPE", "The connection is closed");
}

function notConnected(): DriverError {
  return driverError("ENOTCONN", "The connection is closed");
}

function canceled(): DriverError {
  return driverError("ECANCELED", "The connection was closed before the operation ended");
}

// Bun's socket errors carry `code`, `errno` and `syscall`; listen errors carry a positive
// errno (connect and read errors a negative one): give them the core's shape, errno as Node.
function toDriverError(err: unknown): DriverError {
  const e = (err ?? {}) as { code?: unknown; errno?: unknown; syscall?: unknown; message?: unknown };
  const code = typeof e.code === "string" && e.code !== "" ? e.code : "EIO";
  const mapped = new Error(typeof e.message === "string" ? e.message : String(err), {
    cause: err,
  }) as DriverError;
  mapped.code = code;
  if (typeof e.errno === "number" && e.errno !== 0) mapped.errno = -Math.abs(e.errno);
  if (typeof e.syscall === "string") mapped.syscall = e.syscall;
  return mapped;
}

// Bun's DNS errors name c-ares codes (`DNS_ENOTFOUND`, errno 4): Node's lookup reports
// getaddrinfo's (`ENOTFOUND`, `EAI_AGAIN`...). The core fills Node's errno from the code.
function toDnsError(err: unknown): DriverError {
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  const raw = typeof e.code === "string" ? e.code.replace(/^DNS_/, "") : "";
  const code = DNS_CODES[raw] ?? (raw || "ENOTFOUND");
  const mapped = new Error(typeof e.message === "string" ? e.message : String(err), {
    cause: err,
  }) as DriverError;
  mapped.code = code;
  mapped.syscall = "getaddrinfo";
  return mapped;
}

const DNS_CODES: Record<string, string> = {
  ENOTFOUND: "ENOTFOUND",
  ENODATA: "ENOTFOUND",
  ENONAME: "ENOTFOUND",
  ETIMEOUT: "EAI_AGAIN",
  ESERVFAIL: "EAI_AGAIN",
  ECONNREFUSED: "EAI_AGAIN",
  EREFUSED: "EAI_AGAIN",
  EBADFAMILY: "EAI_FAMILY",
  ENOMEM: "EAI_MEMORY",
};
