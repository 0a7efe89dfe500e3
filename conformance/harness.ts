/**
 * The conformance harness: how cases are written and how a runner registers them.
 *
 * A case is a function of a {@link Ctx}: it gets the API under test (`ctx.net`, which is
 * crossnet or real `node:net`) and helpers that clean up after it. Cases use only
 * `node:assert/strict` and `ctx`, so one case runs unchanged on Node, Deno and Bun, against
 * every target. Cases never assert on timing.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

/**
 * The API under test: `node:net`'s surface. Typed loosely on purpose: the same case runs
 * against `node:net` and against crossnet, whose static types differ in details.
 */
export interface NetApi {
  /** `net.connect`: open a connection, returns the socket. */
  connect: (...args: any[]) => any;
  /** `net.createConnection`: same as `connect`. */
  createConnection: (...args: any[]) => any;
  /** `net.createServer`: make a server. */
  createServer: (...args: any[]) => any;
  /** `net.Socket`: the socket class. */
  Socket: new (options?: any) => any;
  /** `net.Stream`: the old name of `Socket`, the same class (node:net keeps it). */
  Stream?: new (options?: any) => any;
  /** `net.Server`: the server class. */
  Server: new (...args: any[]) => any;
  /** `net.isIP`: 4, 6 or 0. */
  isIP: (input: any) => number;
  /** `net.isIPv4`: whether the input is an IPv4 address. */
  isIPv4: (input: any) => boolean;
  /** `net.isIPv6`: whether the input is an IPv6 address. */
  isIPv6: (input: any) => boolean;
  /** `net.getDefaultAutoSelectFamily`: the default of `autoSelectFamily`. */
  getDefaultAutoSelectFamily: () => boolean;
  /** `net.setDefaultAutoSelectFamily`: set the default of `autoSelectFamily`. */
  setDefaultAutoSelectFamily: (value: boolean) => void;
  /** `net.getDefaultAutoSelectFamilyAttemptTimeout`: the default per-attempt timeout, in ms. */
  getDefaultAutoSelectFamilyAttemptTimeout: () => number;
  /** `net.setDefaultAutoSelectFamilyAttemptTimeout`: set the default per-attempt timeout, in ms. */
  setDefaultAutoSelectFamilyAttemptTimeout: (value: number) => void;
  /** `net.BlockList`: rules refusing IP addresses. */
  BlockList: any;
  /** `net.SocketAddress`: an IP socket address (with static `isSocketAddress`, `parse`). */
  SocketAddress: any;
}

/** The areas of the suite; the matrix has one row per area. */
export type Area =
  | "lifecycle"
  | "half-close"
  | "encoding"
  | "errors"
  | "connect"
  | "server"
  | "backpressure"
  | "timeouts"
  | "addresses"
  | "unix"
  | "bad-input"
  | "integrity"
  | "onread"
  | "extras";

/** Facts about where the suite runs, for the few cases the OS itself rules out. */
export interface Env {
  /** `"node"`, `"deno"` or `"bun"`. */
  runtime: string;
  /** `process.platform`-style: `"linux"`, `"darwin"`, `"win32"`. */
  platform: string;
  /** Whether ::1 can be bound on this machine. */
  ipv6: boolean;
}

/**
 * What a target can do beyond `node:net`'s surface as Node 20 has it: `"extras"` (crossnet's
 * promises, Web Streams, `binaryType`...) and `"node22"` (what node:net gained in Node 22.13:
 * `BlockList.isBlockList`, `toJSON`/`fromJSON`, `SocketAddress.parse`, the `blockList`
 * options of servers and sockets; and what changed with Node 22: a write in flight at
 * destroy() fails with ECANCELED, where Node 20 reported it done; end() on a socket that
 * never connected finishes, where Node 20's waits for a connect) and `"node24"` (Node 24's
 * `setTypeOfService`/`getTypeOfService`) and `"node24.21"` (what came up to Node 24.21: the
 * `typeOfService` option of sockets, and `BlockList`'s CIDR strings, rule removal, `clear()`,
 * `size`, `PRIVATE_RANGES`, its one rule per address and `check()` reading any family but
 * `"ipv4"` as IPv6). crossnet has them all on every runtime.
 */
export type Capability = "extras" | "node22" | "node24" | "node24.21";

/** One API under test on one runtime. */
export interface Target {
  /** Row name in the matrix, e.g. `crossnet` or `node:net`. */
  name: string;
  /** The API under test. */
  net: NetApi;
  /** Extra surface this target has (crossnet's promises, streams...). */
  capabilities: readonly Capability[];
}

/** Per-case helpers. Everything tracked is closed when the case ends, pass or fail. */
export interface Ctx {
  /** The API under test: crossnet or `node:net`. */
  net: NetApi;
  /** Where the case runs (runtime, platform, IPv6). */
  env: Env;
  /** Close this socket or server when the case ends. Returns it. */
  track<T>(handle: T): T;
  /** Run `fn` when the case ends (after tracked handles are closed). */
  defer(fn: () => void | Promise<void>): void;
  /** A fresh path for a Unix socket in a temporary folder removed after the case. */
  socketPath(name?: string): string;
  /** A server listening on 127.0.0.1 (or `host`), tracked; resolves once listening. */
  listen(
    server: any,
    options?: { host?: string; port?: number; path?: string },
  ): Promise<any>;
  /** A server from `createServer(options, onConnection)`, listening on 127.0.0.1, tracked. */
  server(onConnection?: (socket: any) => void, options?: any): Promise<any>;
}

/** One case of the suite. */
export interface Case {
  /** The area (matrix row) this case belongs to. */
  area: Area;
  /** What the case checks; test titles read `target > area > name`. */
  name: string;
  /** The case itself: throws (or rejects) to fail. */
  run: (ctx: Ctx) => Promise<void>;
  /** Capabilities the target must have; the case is not run (not counted) otherwise. */
  requires?: readonly Capability[];
  /** Why this case cannot run here (the OS rules it out), or `undefined` to run it. */
  skip?: (env: Env) => string | undefined;
  /** Upper bound for the case, in ms (a hang fails instead of blocking). Default 10 s. */
  timeoutMs?: number;
}

/**
 * Declare a case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineCase, once } from "crossnet/conformance";
 * export default [
 *   defineCase("lifecycle", "connect event fires", async (ctx) => {
 *     const server = await ctx.server((s) => s.end());
 *     const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
 *     await once(client, "connect");
 *     assert.equal(client.readyState, "open");
 *   }),
 * ];
 * ```
 */
export function defineCase(
  area: Area,
  name: string,
  run: (ctx: Ctx) => Promise<void>,
  options: Omit<Case, "area" | "name" | "run"> = {},
): Case {
  return { area, name, run, ...options };
}

/**
 * Resolve with the arguments of the next `event` on `emitter`; reject if `error` comes
 * first (unless `event` is `"error"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineCase, once } from "crossnet/conformance";
 * export default [
 *   defineCase("server", "listening event fires", async (ctx) => {
 *     const server = ctx.track(ctx.net.createServer());
 *     server.listen(0, "127.0.0.1");
 *     await once(server, "listening");
 *     assert.equal(server.listening, true);
 *   }),
 * ];
 * ```
 */
export function once(emitter: any, event: string): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const onEvent = (...args: any[]) => {
      if (event !== "error") emitter.removeListener("error", onError);
      resolve(args);
    };
    const onError = (err: unknown) => {
      emitter.removeListener(event, onEvent);
      reject(err);
    };
    emitter.once(event, onEvent);
    if (event !== "error") emitter.once("error", onError);
  });
}

/**
 * Record the names (and chosen arguments) of events as they fire, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineCase, once, recordEvents } from "crossnet/conformance";
 * export default [
 *   defineCase("lifecycle", "events in order when the server ends", async (ctx) => {
 *     const server = await ctx.server((s) => s.end("bye"));
 *     const socket = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
 *     const log = recordEvents(socket, ["connect", "data", "end", "close"]);
 *     await once(socket, "close");
 *     assert.deepEqual(log, ["connect", "data", "end", "close"]);
 *   }),
 * ];
 * ```
 */
export function recordEvents(
  emitter: any,
  events: readonly string[],
  format: (event: string, args: any[]) => string = (event) => event,
): string[] {
  const log: string[] = [];
  for (const event of events) {
    emitter.on(event, (...args: any[]) => log.push(format(event, args)));
  }
  return log;
}

/**
 * Read everything a socket sends until its `end`, as one byte array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineCase, readAll } from "crossnet/conformance";
 * export default [
 *   defineCase("integrity", "greeting arrives whole", async (ctx) => {
 *     const server = await ctx.server((s) => s.end("hello"));
 *     const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
 *     assert.equal(new TextDecoder().decode(await readAll(client)), "hello");
 *   }),
 * ];
 * ```
 */
export function readAll(socket: any): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    socket.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    socket.once("end", () => resolve(concat(chunks)));
    socket.once("error", reject);
  });
}

/**
 * Concatenate byte arrays.
 *
 * @example
 * ```ts
 * import { concat } from "crossnet/conformance";
 * concat([new Uint8Array([1, 2]), new Uint8Array([3])]); // Uint8Array [1, 2, 3]
 * ```
 */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * Resolve after `ms` milliseconds (for letting events settle, never for asserting time).
 *
 * @example
 * ```ts
 * import { delay } from "crossnet/conformance";
 * await delay(20); // give a wrong late event the chance to fire before checking the log
 * ```
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A closed TCP port on 127.0.0.1 (or `host`): a port that was just listened on and closed,
 * so a connection to it is refused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closedPort, defineCase, once } from "crossnet/conformance";
 * export default [
 *   defineCase("errors", "refused connection", async (ctx) => {
 *     const client = ctx.track(ctx.net.connect(await closedPort(ctx), "127.0.0.1"));
 *     const [err] = await once(client, "error");
 *     assert.equal(err.code, "ECONNREFUSED");
 *   }),
 * ];
 * ```
 */
export async function closedPort(ctx: Ctx, host = "127.0.0.1"): Promise<number> {
  const server = ctx.net.createServer();
  await ctx.listen(server, { host, port: 0 });
  const port = server.address().port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

