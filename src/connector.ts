/**
 * Connecting one socket: name resolution, Happy Eyeballs (Node's variant: addresses tried
 * one after the other, families interleaved, each attempt but the last cut short after
 * `autoSelectFamilyAttemptTimeout`), per-attempt events and error aggregation.
 *
 * @module
 */

import type { AddressFamily, Driver, DriverAttempt, DriverConnection, DriverError, LookupAddress } from "./driver.ts";
import { aggregateError, plainError, systemError, type CodedError } from "./errors.ts";
import { lookupHints } from "./dns_flags.ts";
import { errnoOf } from "./errno.ts";
import { isIP } from "./ip.ts";
import { nextTick, reportUncaught } from "./turn.ts";
import type { BlockList } from "./block_list.ts";

/** `dns.lookup`'s signature, as the `lookup` connect option takes it. */
export type LookupFunction = (
  hostname: string,
  options: { family?: number; hints?: number; all?: boolean },
  callback: (
    err: Error | null,
    address: string | ReadonlyArray<{ address: string; family: number }>,
    family?: number,
  ) => void,
) => void;

/** What {@link Connector} needs from its socket. */
export interface ConnectorHost {
  emit(event: string, ...args: unknown[]): boolean;
  /** Still connecting (not destroyed meanwhile). */
  readonly connecting: boolean;
  /** Addresses tried so far, as `ip:port` (multi-address connects only). */
  autoSelectFamilyAttemptedAddresses?: string[];
}

/** A TCP connect, validated. */
export interface TcpTarget {
  host: string;
  port: number;
  family: number | undefined;
  hints: number;
  localAddress: string | undefined;
  localPort: number | undefined;
  lookup: LookupFunction | undefined;
  autoSelectFamily: boolean;
  attemptTimeout: number;
  /** Addresses not to connect to (`ERR_IP_BLOCKED`), from the socket's `blockList`. */
  blockList?: BlockList | undefined;
}

/**
 * What the connector reports back: a connection, or the error to destroy the socket with.
 * (The socket itself: no object and closures of their own per connect.)
 */
export interface ConnectorCallbacks {
  /** A connection came. */
  _connected(conn: DriverConnection): void;
  /** Connecting failed with `err`. */
  _connectFailed(err: Error): void;
  /**
   * The only attempt failed: no longer connecting, though not yet destroyed, as Node's
   * afterConnect leaves the socket while `connectionAttemptFailed` is emitted.
   */
  _attemptFailed(): void;
}

/** Runs one connect; `cancel()` abandons it (the socket was destroyed). */
export class Connector {
  private driver_: Driver;
  private host_: ConnectorHost;
  private callbacks_: ConnectorCallbacks;
  private attempt_: DriverAttempt | undefined;
  private timer_: ReturnType<typeof setTimeout> | undefined;
  private canceled_ = false;

  constructor(driver: Driver, host: ConnectorHost, callbacks: ConnectorCallbacks) {
    this.driver_ = driver;
    this.host_ = host;
    this.callbacks_ = callbacks;
  }

  /** Stop: abandon the pending attempt and its timer. */
  cancel(): void {
    this.canceled_ = true;
    clearTimeout(this.timer_);
    this.attempt_?.abort();
  }

  /** Connect to a Unix-domain socket. */
  connectPath(path: string): void {
    this.host_.emit("connectionAttempt", path, undefined, undefined);
    this.open_({ kind: "unix", path }, (conn, err) => {
      if (conn) return this.callbacks_._connected(conn);
      const ex = connectError(err!, path, undefined);
      this.callbacks_._attemptFailed();
      this.host_.emit("connectionAttemptFailed", path, undefined, undefined, ex);
      this.callbacks_._connectFailed(ex);
    });
  }

  /** Resolve `target.host` when needed, then connect as Node does. */
  connectTcp(target: TcpTarget): void {
    const literal = isIP(target.host);
    if (literal) {
      nextTick(() => {
        if (this.live_()) this.single_(target.host, target.port, literal, target);
      });
      return;
    }
    const family = target.family;
    const hints = lookupHints(family, target.hints);
    const multiple = family !== 4 && family !== 6 && !target.localAddress &&
      target.autoSelectFamily;
    const options = multiple ? { family, hints, all: true } : { family, hints };
    const done: Parameters<LookupFunction>[2] = (err, result, resultFamily) => {
      if (multiple) this.afterLookupAll_(target, err, result);
      else this.afterLookupOne_(target, err, result as string, resultFamily);
    };
    // A lookup option is called as Node calls it: a plain function, no `this`.
    const lookup = target.lookup;
    if (lookup === undefined) this.defaultLookup_(target.host, options, done);
    else lookup(target.host, options, done);
  }

  /** The driver's resolver, with `dns.lookup`'s signature (a method: no closure per connect). */
  private defaultLookup_(
    hostname: string,
    options: Parameters<LookupFunction>[1],
    callback: Parameters<LookupFunction>[2],
  ): void {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    // What the `lookup` and attempt listeners throw is reported as uncaught, as from Node's
    // dns.lookup callback (a driver may answer from a promise's reaction, where a throw
    // would be lost).
    this.driver_.lookup(hostname, family, (err: DriverError | undefined, addresses?: LookupAddress[]): void => {
      try {
        if (err !== undefined || addresses === undefined || addresses.length === 0) {
          return callback(lookupError(err ?? ({ code: "ENOTFOUND" } as DriverError), hostname), "");
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      } catch (thrown) {
        reportUncaught(thrown);
      }
    });
  }

  private afterLookupOne_(target: TcpTarget, err: Error | null, ip: string, family: number | undefined) {
    this.host_.emit("lookup", err, ip, family, target.host);
    if (!this.live_()) return;
    if (err) return this.failSoon_(err);
    if (!isIP(ip)) return this.failSoon_(plainError("ERR_INVALID_IP_ADDRESS", String(ip)));
    if (family !== 4 && family !== 6) {
      return this.failSoon_(invalidFamily(family, target.host, target.port));
    }
    this.single_(ip, target.port, family, target);
  }

  private afterLookupAll_(
    target: TcpTarget,
    err: Error | null,
    result: string | ReadonlyArray<{ address: string; family: number }>,
  ) {
    if (!this.live_()) return;
    if (err) {
      this.host_.emit("lookup", err, undefined, undefined, target.host);
      return this.failSoon_(err);
    }
    const addresses = Array.isArray(result) ? result : [];
    // Keep IPv4/IPv6 addresses once each; the first one's family goes first.
    const groups: Array<Array<{ address: string; family: AddressFamily }>> = [[], []];
    let firstFamily: number | undefined;
    for (const { address, family } of addresses) {
      this.host_.emit("lookup", err, address, family, target.host);
      if (!this.live_()) return;
      if (isIP(address) && (family === 4 || family === 6)) {
        firstFamily ??= family;
        const group = groups[family === firstFamily ? 0 : 1]!;
        if (!group.some((a) => a.address === address)) group.push({ address, family });
      }
    }
    if (groups[0]!.length === 0 && groups[1]!.length === 0) {
      const first = addresses[0];
      if (first === undefined) return;
      if (!isIP(first.address)) {
        return this.failSoon_(plainError("ERR_INVALID_IP_ADDRESS", String(first.address)));
      }
      return this.failSoon_(invalidFamily(first.family, target.host, target.port));
    }
    const toAttempt: Array<{ address: string; family: AddressFamily }> = [];
    const longest = Math.max(groups[0]!.length, groups[1]!.length);
    for (let i = 0; i < longest; i++) {
      if (i < groups[0]!.length) toAttempt.push(groups[0]![i]!);
      if (i < groups[1]!.length) toAttempt.push(groups[1]![i]!);
    }
    if (toAttempt.length === 1) {
      const only = toAttempt[0]!;
      return this.single_(only.address, target.port, only.family, target);
    }
    this.host_.autoSelectFamilyAttemptedAddresses = [];
    this.multiple_(toAttempt, target, 0, []);
  }

  /**
   * One address, no attempt timeout (Node's `internalConnect`). With a local end to bind,
   * Node binds before announcing the attempt and a failed bind is no attempt at all: the
   * `connectionAttempt` event then waits for the driver's answer.
   */
  private single_(ip: string, port: number, family: AddressFamily, target: TcpTarget) {
    const binds = !!target.localAddress || !!target.localPort;
    // A local port alone binds the family's wildcard address (Node).
    const localAddress = binds ? target.localAddress || wildcard(family) : undefined;
    const localPort = target.localPort;
    const announce = () => this.host_.emit("connectionAttempt", ip, port, family);
    if (!binds) announce();
    if (target.blockList?.check(ip, `ipv${family}`)) {
      // Node: the attempt is announced, then refused (no connectionAttemptFailed).
      if (binds) announce();
      if (this.live_()) this.callbacks_._connectFailed(plainError("ERR_IP_BLOCKED", ip));
      return;
    }
    this.open_(
      { kind: "tcp", host: ip, port, family, localAddress, localPort },
      (conn, err) => {
        if (binds && isBindError(err)) {
          return this.callbacks_._connectFailed(bindError(err!, localAddress!, localPort));
        }
        if (binds) announce();
        if (!this.live_()) return conn?.close();
        if (conn) return this.callbacks_._connected(conn);
        const ex = connectError(err!, ip, port, localAddress, localPort);
        this.callbacks_._attemptFailed();
        this.host_.emit("connectionAttemptFailed", ip, port, family, ex);
        this.callbacks_._connectFailed(ex);
      },
    );
  }

  /** Several addresses, one after the other (Node's `internalConnectMultiple`). */
  private multiple_(
    addresses: ReadonlyArray<{ address: string; family: AddressFamily }>,
    target: TcpTarget,
    current: number,
    errors: Error[],
  ): void {
    clearTimeout(this.timer_);
    if (!this.live_()) return;
    if (current === addresses.length) {
      const err = errors.length === 0
        ? plainError("ERR_SOCKET_CONNECTION_TIMEOUT")
        : aggregateError(errors);
      return this.callbacks_._connectFailed(err);
    }
    const { address, family } = addresses[current]!;
    const port = target.port;
    if (target.blockList?.check(address, `ipv${family}`)) {
      // Node: no attempt, a failed one, and on to the next address.
      const ex = plainError("ERR_IP_BLOCKED", address);
      errors.push(ex);
      this.host_.emit("connectionAttemptFailed", address, port, family, ex);
      return this.multiple_(addresses, target, current + 1, errors);
    }
    const localPort = target.localPort;
    const localAddress = localPort ? wildcard(family) : undefined;
    // With a local port, Node binds first and announces the attempt only once bound.
    let announced = false;
    const announce = () => {
      announced = true;
      this.host_.emit("connectionAttempt", address, port, family);
      this.host_.autoSelectFamilyAttemptedAddresses?.push(`${address}:${port}`);
    };
    if (!localPort) announce();
    let settled = false;
    const attempt = this.open_(
      { kind: "tcp", host: address, port, family, localAddress, localPort },
      (conn, err) => {
        // (A driver calls nothing back once aborted; should one still, the timer moved on.)
        if (settled) return conn?.close();
        settled = true;
        clearTimeout(this.timer_);
        if (localPort && isBindError(err)) {
          errors.push(bindError(err!, localAddress!, localPort));
          return this.multiple_(addresses, target, current + 1, errors);
        }
        if (!announced) announce();
        if (!this.live_()) return conn?.close();
        if (conn) return this.callbacks_._connected(conn);
        const ex = connectError(err!, address, port, localAddress, localPort);
        errors.push(ex);
        this.host_.emit("connectionAttemptFailed", address, port, family, ex);
        this.multiple_(addresses, target, current + 1, errors);
      },
    );
    if (current < addresses.length - 1) {
      this.timer_ = setTimeout(() => {
        if (settled || !this.live_()) return;
        settled = true;
        attempt.abort();
        if (!announced) announce();
        if (!this.live_()) return;
        this.host_.emit("connectionAttemptTimeout", address, port, family);
        errors.push(connectError(timedOut(), address, port, localAddress, localPort));
        this.multiple_(addresses, target, current + 1, errors);
      }, target.attemptTimeout);
    }
  }

  private open_(
    options: Parameters<Driver["connect"]>[0],
    done: (conn: DriverConnection | undefined, err?: DriverError) => void,
  ): DriverAttempt {
    // Called back from where the runtime reports the connect (Node's I/O callback, Bun's
    // `open` handler, Deno's promise): what the `connect`, `ready` and attempt listeners
    // throw is reported as uncaught, as from Node's afterConnect, and never reaches the
    // driver (a throw inside Bun's handler would close the socket).
    return this.attempt_ = this.driver_.connect(options, (err, conn) => {
      if (!this.live_()) return conn?.close();
      try {
        done(conn, err);
      } catch (thrown) {
        reportUncaught(thrown);
      }
    });
  }

  private failSoon_(err: Error) {
    nextTick(() => {
      if (this.live_()) this.callbacks_._connectFailed(err);
    });
  }

  private live_(): boolean {
    return !this.canceled_ && this.host_.connecting;
  }
}

/** The driver says binding the local end failed (`EADDRINUSE`, `EADDRNOTAVAIL`...). */
function isBindError(err: DriverError | undefined): boolean {
  return err !== undefined && err.syscall === "bind";
}

/** The wildcard address of a family: what a local port without a local address binds. */
function wildcard(family: AddressFamily): string {
  return family === 4 ? "0.0.0.0" : "::";
}

/** Node's bind error: `bind EADDRINUSE 0.0.0.0:5000`, address and port the local end's. */
function bindError(err: DriverError, localAddress: string, localPort: number | undefined): CodedError {
  if (typeof err?.code !== "string") return err as CodedError;
  return systemError(err.code, "bind", "host-port", localAddress, localPort ?? 0, err.errno);
}

function timedOut(): DriverError {
  const err = new Error("connection attempt timed out") as DriverError;
  err.code = "ETIMEDOUT";
  return err;
}

/** Node's connect error: `connect ECONNREFUSED 127.0.0.1:80`, with ` - Local (ip:port)`. */
function connectError(
  err: DriverError,
  address: string,
  port: number | undefined,
  localAddress?: string,
  localPort?: number,
): CodedError {
  if (typeof err?.code !== "string") return err as CodedError;
  const ex = systemError(err.code, "connect", "host-port", address, port, err.errno);
  if (localAddress && localPort) {
    ex.message += ` - Local (${localAddress}:${localPort})`;
    (ex as CodedError & { localAddress?: string }).localAddress = localAddress;
    (ex as CodedError & { localPort?: number }).localPort = localPort;
  }
  return ex;
}

/** `dns.lookup`'s error: `getaddrinfo ENOTFOUND example.invalid`. */
function lookupError(err: DriverError, hostname: string): CodedError {
  const code = err?.code ?? "ENOTFOUND";
  const ex = new Error(`getaddrinfo ${code} ${hostname}`) as CodedError & { hostname: string };
  ex.errno = err?.errno ?? errnoOf(code === "ENOTFOUND" ? "EAI_NONAME" : code);
  ex.code = code;
  ex.syscall = "getaddrinfo";
  ex.hostname = hostname;
  return ex;
}

function invalidFamily(family: unknown, host: string, port: number): CodedError {
  const err = new RangeError(`Invalid address family: ${family} ${host}:${port}`) as
    & CodedError
    & { host: string };
  err.code = "ERR_INVALID_ADDRESS_FAMILY";
  err.host = host;
  err.port = port;
  return err;
}
