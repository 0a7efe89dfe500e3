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
  connect: (...args: any[]) => any;
  createConnection: (...args: any[]) => any;
  createServer: (...args: any[]) => any;
  Socket: new (options?: any) => any;
  Server: new (...args: any[]) => any;
  isIP: (input: any) => number;
  isIPv4: (input: any) => boolean;
  isIPv6: (input: any) => boolean;
  getDefaultAutoSelectFamily: () => boolean;
  setDefaultAutoSelectFamily: (value: boolean) => void;
  getDefaultAutoSelectFamilyAttemptTimeout: () => number;
  setDefaultAutoSelectFamilyAttemptTimeout: (value: number) => void;
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

/** What a target can do beyond `node:net`'s surface. */
export type Capability = "extras";

/** One API under test on one runtime. */
export interface Target {
  /** Row name in the matrix, e.g. `crossnet` or `node:net`. */
  name: string;
  net: NetApi;
  /** Extra surface this target has (crossnet's promises, streams...). */
  capabilities: readonly Capability[];
}

/** Per-case helpers. Everything tracked is closed when the case ends, pass or fail. */
export interface Ctx {
  net: NetApi;
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
  area: Area;
  name: string;
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
 * const log = recordEvents(socket, ["connect", "end", "close"]);
 * await once(socket, "close");
 * assert.deepEqual(log, ["connect", "end", "close"]);
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

/** Read everything a socket sends until its `end`, as one byte array. */
export function readAll(socket: any): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    socket.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    socket.once("end", () => resolve(concat(chunks)));
    socket.once("error", reject);
  });
}

/** Concatenate byte arrays. */
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

/** Resolve after `ms` milliseconds (for letting events settle, never for asserting time). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A closed TCP port on 127.0.0.1 (or `host`): a port that was just listened on and closed,
 * so a connection to it is refused.
 */
export async function closedPort(ctx: Ctx, host = "127.0.0.1"): Promise<number> {
  const server = ctx.net.createServer();
  await ctx.listen(server, { host, port: 0 });
  const port = server.address().port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

