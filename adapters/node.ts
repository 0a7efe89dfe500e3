/**
 * The Node.js driver: the core's {@link Driver} contract over `node:net` and `node:dns`.
 * Translation only: every rule about behaviour lives in the core.
 *
 * Sockets read through node:net's `onread` (libuv reads into one shared buffer, the bytes
 * are copied out once, node:net's Readable machinery is skipped: measured ~8% faster round
 * trips). node:net has no `onread` for accepted sockets: their handle moves into a socket
 * made with one (see {@link withOnread}).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import * as net from "node:net";
import { lookup as dnsLookup } from "node:dns";
import type {
  ConnectCallback,
  ConnectionInfo,
  ConnectionSink,
  Driver,
  DriverAttempt,
  DriverConnection,
  DriverConnectOptions,
  DriverError,
  DriverListener,
  PendingListener,
  DriverListenOptions,
  ListenerAddress,
  LookupCallback,
} from "../src/driver.ts";
import { failLater } from "./fail_later.ts";
import { END, releaseHeld, type HeldRead } from "./held_reads.ts";

// --- tuning ---

/** The write whose callback marks the end of the writes before it. */
const EMPTY = new Uint8Array(0);

/**
 * This node:net is Deno's, which takes `ipv6Only` and ignores it (Deno 2.9): the driver
 * says it cannot make an IPv6-only listener. Node's and Bun's set it. (Deno's
 * `process.versions`, not a `Deno` global, which shims define on Node too.)
 */
const IGNORES_IPV6_ONLY =
  (globalThis as { process?: { versions?: { deno?: string } } }).process?.versions?.deno !== undefined;

/** Up to this size a received chunk is copied into a slice of Buffer's pool (allocUnsafe). */
const POOLED_CHUNK = 4096;

/**
 * Where every client socket of this process reads into (node:net's `onread`). One buffer is
 * enough: libuv reads into it and node:net calls back at once, one read at a time, and the
 * callback copies the bytes out before it returns.
 */
let sharedReadBuffer: Buffer | undefined;

/** A node:net socket as one driver connection. */
class NodeConnection implements DriverConnection {
  private socket_: net.Socket;
  private closed_ = false;
  private sink_: ConnectionSink | undefined;
  /** Reads come through node:net's `onread`, not `data` events (see {@link withOnread}). */
  private readonly onread_: boolean;
  /** The core paused reading. */
  private paused_ = false;
  /**
   * `onread` chunks (and END) read while the core was not taking them: before start(), or
   * while paused. node:net's paused socket restarts reading on its own (its resume() ends in
   * a read(0), and read() starts the handle), so a read can still come after pause().
   */
  private held_: HeldRead[] | undefined;
  /** Held chunks are being delivered (re-entrancy guard). */
  private releasing_ = false;
  /** socket.write() calls made with a callback, and those callbacks run (in order). */
  private writes_ = 0;
  private written_ = 0;
  /** The callback of the last write when it did not reach the kernel at once. */
  private writeDone_: ((err?: DriverError) => void) | undefined;

  constructor(socket: net.Socket, onread: boolean) {
    this.socket_ = socket;
    this.onread_ = onread;
    // Errors before start() (or after close) are reported through the sink or dropped.
    socket.on("error", noop);
  }

  /**
   * node:net's options for a client socket whose reads go to `target()`'s connection
   * through `onread`: no Readable buffering, no `data` event, one copy out of the shared
   * buffer (node:net would allocate a buffer per read anyway).
   */
  static readOptions(target: () => NodeConnection): Pick<net.NetConnectOpts, "onread"> {
    sharedReadBuffer ??= Buffer.allocUnsafeSlow(64 * 1024);
    return {
      onread: {
        buffer: sharedReadBuffer,
        callback: (n: number, buffer: Uint8Array) => target().received_(n, buffer),
      },
    };
  }

  private received_(n: number, buffer: Uint8Array): boolean {
    const chunk = n <= POOLED_CHUNK ? Buffer.allocUnsafe(n) : Buffer.allocUnsafeSlow(n);
    chunk.set(n === buffer.byteLength ? buffer : buffer.subarray(0, n));
    const sink = this.sink_;
    if (sink !== undefined && !this.paused_ && this.held_ === undefined) {
      sink._data(chunk);
      return true;
    }
    if (this.closed_) return false;
    // Keep it, and stop reading until the core takes bytes again (false: readStop).
    (this.held_ ??= []).push(chunk);
    return false;
  }

  private onEnd_(): void {
    const sink = this.sink_;
    if (sink === undefined || this.closed_) return;
    // After the chunks still held, if any (node:net may end a paused socket: no buffer).
    if (this.held_ === undefined) sink._eof();
    else this.held_.push(END);
  }

  /** Deliver held chunks (and END) while started and not paused. */
  private release_(): void {
    const held = this.held_;
    const sink = this.sink_;
    if (held === undefined || sink === undefined) return;
    this.releasing_ = true;
    try {
      releaseHeld(held, sink, () => !this.paused_ && !this.closed_);
    } finally {
      this.releasing_ = false;
      if (this.held_ === held && held.length === 0) this.held_ = undefined;
    }
  }

  info(): ConnectionInfo {
    const s = this.socket_;
    return {
      localAddress: s.localAddress,
      localPort: s.localPort,
      localFamily: s.localFamily,
      remoteAddress: s.remoteAddress,
      remotePort: s.remotePort,
      remoteFamily: s.remoteFamily,
    };
  }

  start(sink: ConnectionSink): void {
    const s = this.socket_;
    this.sink_ = sink;
    if (!this.onread_) s.on("data", (chunk: Uint8Array) => sink._data(chunk));
    s.on("end", () => this.onEnd_());
    s.on("error", (err: Error) => {
      if (!this.closed_) sink._error(fromNode(err));
    });
    this.readAgain_();
  }

  pause(): void {
    this.paused_ = true;
    this.socket_.pause();
  }

  resume(): void {
    this.paused_ = false;
    this.readAgain_();
  }

  /** Started and not paused: held chunks first, then node:net reads again. */
  private readAgain_(): void {
    if (this.sink_ === undefined || this.releasing_ || this.closed_) return;
    this.release_();
    if (!this.paused_ && this.held_ === undefined) this.socket_.resume();
  }

  write(data: Uint8Array, done: (err?: DriverError) => void): boolean {
    const s = this.socket_;
    if (s.writableLength === 0) {
      // Nothing pending: write without a callback. node:net runs a write's callback a tick
      // later (process.nextTick, one per write here); a write without one schedules nothing.
      s.write(data);
      // node:net hands the bytes to the kernel synchronously when it can: say so at once.
      // (A write the kernel refused leaves nothing pending either, but `errored` set.)
      if (s.writableLength === 0 && s.errored === null && !s.destroyed) return true;
      // Refused by the kernel at once (the peer reset): node:net knows now, and so does the
      // core (its callback would come a tick later, after node:net's own destroy).
      if (s.errored !== null) {
        done(posixError(fromNode(s.errored)));
        return false;
      }
      // Left pending or failed: node:net runs write callbacks in order, and gives those
      // queued behind a failed write its error, so an empty write's callback says when
      // these bytes are written, or why they were not.
      data = EMPTY;
    }
    this.writes_++;
    // One callback for every write (no closure per write; node:net also batches the
    // callbacks of writes made in one tick when they are the same function).
    s.write(data, this.onWritten_);
    this.writeDone_ = done;
    return false;
  }

  /** Runs once per socket.write(), in order: only the last write's may be waited for. */
  private readonly onWritten_ = (err?: Error | null): void => {
    if (++this.written_ !== this.writes_) return;
    const done = this.writeDone_;
    if (done === undefined) return; // Reported when written.
    this.writeDone_ = undefined;
    const error = err ? posixError(fromNode(err)) : undefined;
    // Inside close(): Deno's node:net fails the writes pending at destroy() within the call
    // (Node's a loop turn later); the contract has them reported after close() returned.
    if (this.closed_) queueMicrotask(() => done(error));
    else done(error);
  };

  writeQueueSize(): number {
    // libuv's count of the bytes not yet written, on node:net's handle: what node:net's own
    // idle timeout looks at.
    return (this.socket_ as unknown as { _handle?: { writeQueueSize?: number } })._handle?.writeQueueSize ?? 0;
  }

  shutdown(done: (err?: DriverError) => void): void {
    this.socket_.end(() => done());
  }

  close(): void {
    this.closed_ = true;
    this.held_ = undefined;
    this.socket_.destroy();
  }

  reset(): void {
    this.closed_ = true;
    this.held_ = undefined;
    if (this.socket_.destroyed) return;
    this.socket_.resetAndDestroy();
  }

  setNoDelay(noDelay: boolean): void {
    this.socket_.setNoDelay(noDelay);
  }

  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    this.socket_.setKeepAlive(enable, initialDelayMs);
  }

  setTypeOfService(tos: number): boolean {
    // node:net has it from Node 24 on (a pipe keeps the value, as the core does).
    const socket = this.socket_ as TypeOfService;
    if (typeof socket.setTypeOfService !== "function") return false;
    socket.setTypeOfService(tos);
    return true;
  }

  getTypeOfService(): number | undefined {
    const socket = this.socket_ as TypeOfService;
    return typeof socket.getTypeOfService === "function" ? socket.getTypeOfService() : undefined;
  }

  ref(): void {
    this.socket_.ref();
  }

  unref(): void {
    this.socket_.unref();
  }
}

/** A node:net server as one driver listener. */
class NodeListener implements DriverListener {
  private server_: net.Server;

  constructor(server: net.Server) {
    this.server_ = server;
    // An error once listening (a failed accept) leaves node:net listening: nothing to report.
    server.on("error", noop);
  }

  address(): ListenerAddress {
    const address = this.server_.address();
    if (typeof address === "string") return address;
    return { address: address!.address, family: address!.family, port: address!.port };
  }

  close(): void {
    // Releases the address at once (and unlinks a Unix socket file); node:net's `close`
    // would wait for the accepted connections, which the core counts itself.
    this.server_.close();
  }

  ref(): void {
    this.server_.ref();
  }

  unref(): void {
    this.server_.unref();
  }
}

/** Node 24's type-of-service methods of node:net's Socket (absent before; not in @types/node 20). */
interface TypeOfService {
  setTypeOfService?(tos: number): unknown;
  getTypeOfService?(): number;
}

function noop(): void {}

/**
 * An accepted socket reading through `onread`, as client sockets do (measured 5-8% more
 * round trips per second on an echo server, ping-pong or 500 connections at once, and 4-6%
 * more bytes per second on a bulk transfer, than reading its `data` events). node:net's
 * server makes accepted sockets without `onread`, so the handle (the accepted connection,
 * not reading yet: the server pauses on connect) moves into a socket made with it, and the
 * socket node:net made, left without a handle, is destroyed: that only takes it off the
 * server's count of connections. `_handle` is node:net's own property, the same from Node
 * 20 to 24 (the conformance suite runs every accepted socket through here on each of them),
 * and Deno's node:net has it too. Bun's node:net has no such handle (its `_handle` cannot
 * read into a buffer): there the answer is undefined and the socket reads through `data`
 * events. (node:net's `net.server.socket` diagnostics channel, if anyone subscribes, is
 * told of the socket node:net made.)
 */
function withOnread(accepted: net.Socket, reads: Pick<net.NetConnectOpts, "onread">): net.Socket | undefined {
  const internals = accepted as unknown as { _handle: { useUserBuffer?: unknown } | null };
  const handle = internals._handle;
  if (typeof handle?.useUserBuffer !== "function") return undefined;
  internals._handle = null;
  accepted.destroy();
  const socket = new net.Socket({ handle, allowHalfOpen: true, ...reads } as net.SocketConstructorOpts);
  // Created reading (read(0)); the core starts it (start(), resume()), as a client's.
  socket.pause();
  return socket;
}

/**
 * A node:net error as the driver contract has it: errno negative, as Node and Deno's
 * node:net report it (Bun's node:net gives the OS's positive number).
 */
function fromNode(err: unknown): DriverError {
  const e = err as DriverError;
  if (typeof e.errno === "number" && e.errno > 0) e.errno = -e.errno;
  return e;
}

/**
 * node:net reports a write on a socket it already tore down (the peer reset it) as
 * `ERR_STREAM_DESTROYED`; the OS said `EPIPE`, which is what the core expects.
 */
function posixError(err: DriverError): DriverError {
  if (typeof err.code === "string" && !err.code.startsWith("ERR_")) return err;
  const ex = new Error("broken pipe") as DriverError;
  ex.code = "EPIPE";
  ex.syscall = "write";
  return ex;
}

/**
 * The driver for Node.js (>= 20), over `node:net`.
 *
 * @returns A {@link Driver} for `createNet`.
 *
 * @example
 * ```ts
 * import { createNet } from "crossnet/core";
 * import { createNodeDriver } from "crossnet/node";
 * const net = createNet(createNodeDriver());
 * net.createServer((s) => s.end("hi")).listen(0, "127.0.0.1").close();
 * ```
 */
export function createNodeDriver(): Driver {
  return {
    name: "node",
    ipv6Only: !IGNORES_IPV6_ONLY,

    lookup(hostname: string, family: 0 | 4 | 6, done: LookupCallback): void {
      dnsLookup(hostname, { all: true, family }, (err, addresses) => {
        if (err) done(fromNode(err));
        else done(undefined, addresses.map((a) => ({ address: a.address, family: a.family as 4 | 6 })));
      });
    },

    connect(options: DriverConnectOptions, done: ConnectCallback): DriverAttempt {
      const reads = NodeConnection.readOptions(() => conn);
      let socket: net.Socket;
      try {
        socket = options.kind === "unix"
          ? net.connect({ path: options.path, allowHalfOpen: true, ...reads })
          : net.connect({
            host: options.host,
            port: options.port,
            family: options.family,
            localAddress: options.localAddress,
            localPort: options.localPort,
            allowHalfOpen: true,
            ...reads,
          });
      } catch (err) {
        return failLater(fromNode(err), done);
      }
      const conn = new NodeConnection(socket, true);
      let settled = false;
      const onError = (err: Error) => {
        settled = true;
        socket.removeListener("connect", onConnect);
        done(fromNode(err));
      };
      // node:net's own `connect` event: an I/O callback, where the core wants to be called.
      const onConnect = () => {
        settled = true;
        socket.removeListener("error", onError);
        socket.pause();
        done(undefined, conn);
      };
      socket.once("error", onError);
      socket.once("connect", onConnect);
      return {
        abort() {
          if (settled) return;
          settled = true;
          // Abandoned: nothing is called back, and the socket (connected or not) goes.
          socket.removeListener("connect", onConnect);
          socket.removeListener("error", onError);
          socket.on("error", noop);
          socket.destroy();
        },
      };
    },

    listen(
      options: DriverListenOptions,
      onConnection: (connection: DriverConnection) => void,
    ): DriverListener | PendingListener {
      const server = net.createServer(
        { allowHalfOpen: true, pauseOnConnect: true },
        (accepted) => {
          const socket = withOnread(accepted, NodeConnection.readOptions(() => conn));
          const conn: NodeConnection = new NodeConnection(socket ?? accepted, socket !== undefined);
          onConnection(conn);
        },
      );
      const anyIpv6 = options.kind === "tcp" && options.host === "::" && !options.ipv6Only && !options.reusePort;
      const listenOptions: net.ListenOptions = options.kind === "unix"
        ? {
          path: options.path,
          backlog: options.backlog,
          readableAll: options.readableAll,
          writableAll: options.writableAll,
        }
        : {
          // node:net looks every host up, IP addresses too, and binds a tick later; without
          // one it binds `::` at once (IPv4's `0.0.0.0` when that fails: see below), but
          // then ignores `ipv6Only`; with `reusePort` too the looked-up path is kept.
          ...(anyIpv6 ? {} : { host: options.host }),
          port: options.port,
          backlog: options.backlog,
          ipv6Only: options.ipv6Only,
          exclusive: true,
          ...(options.reusePort ? { reusePort: true } : {}),
        };
      server.listen(listenOptions);
      // node:net binds paths, and ports without a host, synchronously: report it that way.
      // (Not `address()`: for a path it answers even when the bind failed.)
      if (server.listening) {
        const address = server.address();
        if (anyIpv6 && typeof address === "object" && address?.family !== "IPv6") {
          // node:net fell back to IPv4 where `::` was asked: not this listener's to decide.
          server.close();
          throw Object.assign(new Error(`listen EAFNOSUPPORT: address family not supported ::`), {
            code: "EAFNOSUPPORT",
            syscall: "listen",
          });
        }
        return new NodeListener(server);
      }
      // Bound once node:net has looked the host up. Told from its own `listening` (or
      // `error`), not a microtask later as a promise would: the server's `listening` then
      // still comes before the promise jobs queued meanwhile, as node:net's does.
      return {
        then(onListening, onError): void {
          const failed = (err: Error): void => {
            server.removeListener("listening", listening);
            onError(fromNode(err));
          };
          const listening = (): void => {
            server.removeListener("error", failed);
            onListening(new NodeListener(server));
          };
          server.once("error", failed);
          server.once("listening", listening);
        },
      };
    },
  };
}
