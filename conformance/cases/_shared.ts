/**
 * Helpers the case files share: connecting a client to a fresh server, waiting for
 * `close`, deterministic bulk data. Internal to `conformance/cases/` (the public helpers
 * are in `../harness.ts`).
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import assert from "node:assert/strict";
import { delay, once } from "../harness.ts";
import type { Ctx } from "../harness.ts";

/** Poll `predicate` (bounded: about 3 s) until it holds. */
export async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; !predicate(); i++) {
    if (i > 3_000) assert.fail(`never happened: ${what}`);
    await delay(1);
  }
}

/** Options of {@link pair} and {@link connected}. */
export interface PairOptions {
  /** `createServer` options. */
  server?: any;
  /** Extra `connect` options for the client. */
  client?: any;
  /** Called synchronously in the server's `connection` event. */
  onServer?: (socket: any) => void;
}

/**
 * Whether the program installed a stack layout of its own (`Error.prepareStackTrace`, as
 * vitest and source-map-support do), in place of the runtime's: Node's own errors then
 * lose the code from their stack's first line, since Node adds it in its default layout
 * only (named `ErrorPrepareStackTrace`, on Node and Bun; Deno sets none).
 */
export function customStackLayout(): boolean {
  const format = (Error as any).prepareStackTrace;
  return typeof format === "function" && format.name !== "ErrorPrepareStackTrace";
}

/** `value instanceof cls`, without narrowing `value`'s static type. */
export function isA(value: unknown, cls: abstract new (...args: any[]) => unknown): boolean {
  return value instanceof cls;
}

/** Resolves with `hadError` on `close`, never rejects (for cases where an `error` is expected). */
export function closed(socket: any): Promise<boolean> {
  return new Promise((resolve) => socket.once("close", (hadError: boolean) => resolve(hadError)));
}

/**
 * A server on 127.0.0.1 whose accepted sockets go to `opts.onServer` (synchronously, in
 * the 'connection' event) and a client connecting to it. `accepted` resolves with the
 * server's socket.
 */
export async function pair(
  ctx: Ctx,
  opts: PairOptions = {},
): Promise<{ server: any; client: any; accepted: Promise<any> }> {
  let accept!: (s: any) => void;
  const accepted = new Promise<any>((resolve) => (accept = resolve));
  const server = await ctx.server((s) => {
    opts.onServer?.(s);
    accept(s);
  }, opts.server);
  const client = ctx.track(
    ctx.net.connect({ port: server.address().port, host: "127.0.0.1", ...opts.client }),
  );
  return { server, client, accepted };
}

/** {@link pair}, once the client is connected and the server has its socket (`peer`). */
export async function connected(
  ctx: Ctx,
  opts: PairOptions = {},
): Promise<{ server: any; client: any; peer: any }> {
  const { server, client, accepted } = await pair(ctx, opts);
  const [peer] = await Promise.all([accepted, once(client, "connect")]);
  return { server, client, peer };
}

/** Deterministic pseudo-random bytes (xorshift32). */
export function pseudoRandom(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, length >>> 2);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  for (let i = words.length * 4; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** SHA-256 of `bytes`, in hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A node:stream Writable that keeps what it is given as text: `sink.text()`. */
export function textSink(): Writable & { text(): string } {
  let got = "";
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      got += chunk;
      callback();
    },
  });
  return Object.assign(sink, { text: () => got });
}
