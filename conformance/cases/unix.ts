/**
 * unix: servers and clients on Unix domain sockets.
 *
 * Node facts (20, 22, 24):
 * - `server.address()` is the path string; on the sockets of a Unix connection
 *   `remoteAddress`, `remotePort`, `remoteFamily`, `localAddress`, `localPort` and
 *   `localFamily` are all undefined and `socket.address()` is `{}`.
 * - Connecting to a path emits 'connectionAttempt'(path, undefined, undefined), and no
 *   'lookup'; a failure emits 'connectionAttemptFailed'(path, undefined, undefined, err).
 * - A missing path: `connect ENOENT <path>`, code ENOENT, syscall "connect", address = path,
 *   no port. A socket file without a listener: ECONNREFUSED.
 * - Listening where a file already exists (a stale socket file or any file): EADDRINUSE,
 *   `listen EADDRINUSE: address already in use <path>`, syscall "listen", address = path,
 *   port -1.
 * - `server.close()` removes the socket file (it is gone when the close callback runs);
 *   `server.address()` still returns the path afterwards (a TCP server returns null).
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { existsSync, linkSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { defineCase, once, readAll } from "../harness.ts";
import { closed, isA } from "./_shared.ts";
import type { Case, Ctx, Env } from "../harness.ts";

const noUnixSockets = (env: Env): string | undefined =>
  env.platform === "win32" ? "no Unix domain sockets on Windows" : undefined;

const linuxOnly = (env: Env): string | undefined =>
  env.platform === "linux" ? undefined : "the abstract socket namespace exists only on Linux";

/** An echo server (or the given handler) on a fresh Unix socket path. */
async function unixServer(
  ctx: Ctx,
  onConnection: (s: any) => void = (s) => s.pipe(s),
  options?: any,
): Promise<{ server: any; path: string }> {
  const path = ctx.socketPath();
  const server = options ? ctx.net.createServer(options) : ctx.net.createServer();
  server.on("connection", (s: any) => {
    ctx.track(s);
    onConnection(s);
  });
  await ctx.listen(server, { path });
  return { server, path };
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Listen on `path` expecting an error; resolves with it. */
function listenError(ctx: Ctx, path: string): Promise<any> {
  const server = ctx.track(ctx.net.createServer());
  return new Promise((resolve, reject) => {
    server.once("error", resolve);
    server.listen(path, () => reject(new Error(`listening on ${path} succeeded`)));
  });
}

const cases: Case[] = [
  defineCase("unix", "listen on a path: address() is the path, the file is a socket", async (ctx) => {
    const { server, path } = await unixServer(ctx);
    assert.equal(server.address(), path);
    assert.equal(server.listening, true);
    assert.ok(statSync(path).isSocket(), "a socket file exists at the path");
  }, { skip: noUnixSockets }),

  defineCase("unix", "connect(path): data both ways", async (ctx) => {
    const { path } = await unixServer(ctx);
    const client = ctx.track(ctx.net.connect(path));
    await once(client, "connect");
    const received = readAll(client);
    client.end("hello over unix");
    assert.equal(text(await received), "hello over unix");
    assert.equal(client.bytesWritten, 15);
    assert.equal(client.bytesRead, 15);
  }, { skip: noUnixSockets }),

  defineCase("unix", "resetAndDestroy() on a Unix socket throws ERR_INVALID_HANDLE_TYPE (connecting, connected, accepted); the socket goes on", async (ctx) => {
    let accept!: (s: any) => void;
    const acceptedSocket = new Promise<any>((resolve) => (accept = resolve));
    const { path } = await unixServer(ctx, (s) => {
      accept(s);
      s.pipe(s);
    });
    const check = (socket: any, when: string) => {
      assert.throws(() => socket.resetAndDestroy(), (err: any) => {
        assert.ok(isA(err, TypeError), when);
        assert.equal(err.code, "ERR_INVALID_HANDLE_TYPE", when);
        assert.equal(err.message, "This handle type cannot be sent", when);
        return true;
      }, when);
      assert.equal(socket.destroyed, false, when);
    };
    const client = ctx.track(ctx.net.connect(path));
    check(client, "connecting");
    await once(client, "connect");
    check(client, "connected");
    const accepted = await acceptedSocket;
    check(accepted, "accepted");
    const received = readAll(client);
    client.end("still open");
    assert.equal(text(await received), "still open");
    // Destroyed, the handle is gone: nothing to throw about (Node's destroy(ERR_SOCKET_CLOSED)
    // of a destroyed socket does nothing).
    accepted.destroy();
    accepted.resetAndDestroy();
    // Never connected (no handle): Node destroys it with ERR_SOCKET_CLOSED, as for TCP.
    const idle = ctx.track(new ctx.net.Socket());
    const errors: any[] = [];
    idle.on("error", (e: any) => errors.push(e));
    idle.resetAndDestroy();
    await closed(idle);
    assert.deepEqual(errors.map((e) => e.code), ["ERR_SOCKET_CLOSED"]);
  }, { skip: noUnixSockets }),

  defineCase("unix", "connect({ path }) with a connect listener", async (ctx) => {
    const { path } = await unixServer(ctx, (s) => s.end("welcome"));
    let listened = false;
    const client = ctx.track(ctx.net.connect({ path }, () => (listened = true)));
    const got = await readAll(client);
    assert.equal(listened, true);
    assert.equal(text(got), "welcome");
  }, { skip: noUnixSockets }),

  defineCase("unix", "new Socket().connect(path): connectionAttempt(path), no lookup", async (ctx) => {
    const { path } = await unixServer(ctx);
    const client = ctx.track(new ctx.net.Socket());
    const log: string[] = [];
    let attemptArgs: any[] = [];
    client.on("lookup", () => log.push("lookup"));
    client.on("connectionAttempt", (...a: any[]) => {
      attemptArgs = a;
      log.push("connectionAttempt");
    });
    client.on("connect", () => log.push("connect"));
    client.on("ready", () => log.push("ready"));
    assert.equal(client.connect(path), client, "connect returns the socket");
    assert.equal(client.connecting, true);
    await once(client, "ready");
    assert.deepEqual(log, ["connectionAttempt", "connect", "ready"]);
    assert.deepEqual(attemptArgs, [path, undefined, undefined]);
  }, { skip: noUnixSockets }),

  defineCase("unix", "address properties of a Unix connection are undefined, address() is {}", async (ctx) => {
    let onPeer!: (s: any) => void;
    const peerPromise = new Promise<any>((resolve) => (onPeer = resolve));
    const { path } = await unixServer(ctx, (s) => onPeer(s));
    const client = ctx.track(ctx.net.connect(path));
    const [peer] = await Promise.all([peerPromise, once(client, "connect")]);
    for (const socket of [client, peer]) {
      assert.equal(socket.remoteAddress, undefined);
      assert.equal(socket.remotePort, undefined);
      assert.equal(socket.remoteFamily, undefined);
      assert.equal(socket.localAddress, undefined);
      assert.equal(socket.localPort, undefined);
      assert.equal(socket.localFamily, undefined);
      assert.deepEqual(socket.address(), {});
    }
  }, { skip: noUnixSockets }),

  defineCase("unix", "half-close over a Unix socket: the reply after FIN arrives", async (ctx) => {
    const { path } = await unixServer(ctx, (s) => {
      let got = "";
      s.setEncoding("utf8");
      s.on("data", (d: string) => (got += d));
      s.on("end", () => s.end(`got:${got}`));
    }, { allowHalfOpen: true });
    const client = ctx.track(ctx.net.connect({ path, allowHalfOpen: true }));
    await once(client, "connect");
    const received = readAll(client);
    client.end("ping");
    assert.equal(text(await received), "got:ping");
    const [hadError] = await once(client, "close");
    assert.equal(hadError, false);
  }, { skip: noUnixSockets }),

  defineCase("unix", "a missing path: ENOENT with Node's message and fields", async (ctx) => {
    const path = ctx.socketPath("missing");
    const client = ctx.track(ctx.net.connect(path));
    let failed: any[] = [];
    client.on("connectionAttemptFailed", (...a: any[]) => (failed = a));
    const closing = closed(client);
    const [err] = await once(client, "error");
    const hadError = await closing;
    assert.equal(err instanceof Error, true);
    assert.equal(err.message, `connect ENOENT ${path}`);
    assert.equal(err.code, "ENOENT");
    assert.equal(typeof err.errno, "number");
    assert.ok(err.errno < 0);
    assert.equal(err.syscall, "connect");
    assert.equal(err.address, path);
    assert.equal(err.port, undefined);
    assert.deepEqual(failed, [path, undefined, undefined, err]);
    assert.equal(hadError, true);
  }, { skip: noUnixSockets }),

  defineCase("unix", "after server.close() the socket file is removed", async (ctx) => {
    const { server, path } = await unixServer(ctx);
    assert.ok(existsSync(path));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.equal(existsSync(path), false);
    // Unlike a TCP server (null once closed), a Unix server keeps reporting its path.
    assert.equal(server.address(), path);
    assert.equal(server.listening, false);
  }, { skip: noUnixSockets }),

  defineCase("unix", "a stale socket file: connect is refused, listen is EADDRINUSE", async (ctx) => {
    // A second name for the socket file outlives the server: Node unlinks only its own path.
    const { server, path } = await unixServer(ctx);
    const stale = ctx.socketPath("stale");
    linkSync(path, stale);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.ok(statSync(stale).isSocket());

    const client = ctx.track(ctx.net.connect(stale));
    const [err] = await once(client, "error");
    assert.equal(err.code, "ECONNREFUSED");
    assert.equal(err.message, `connect ECONNREFUSED ${stale}`);
    assert.equal(err.syscall, "connect");
    assert.equal(err.address, stale);

    const listenErr = await listenError(ctx, stale);
    assert.equal(listenErr.code, "EADDRINUSE");
    assert.equal(listenErr.syscall, "listen");
    assert.equal(listenErr.address, stale);
    assert.equal(listenErr.message, `listen EADDRINUSE: address already in use ${stale}`);

    // Removing the stale file is the cure.
    unlinkSync(stale);
    const again = await ctx.listen(ctx.net.createServer(), { path: stale });
    assert.equal(again.address(), stale);
  }, { skip: noUnixSockets }),

  defineCase("unix", "listening where a plain file exists: EADDRINUSE, port -1", async (ctx) => {
    const path = ctx.socketPath("plain");
    writeFileSync(path, "not a socket");
    const err = await listenError(ctx, path);
    assert.equal(err instanceof Error, true);
    assert.equal(err.code, "EADDRINUSE");
    assert.equal(err.syscall, "listen");
    assert.equal(err.address, path);
    assert.equal(err.port, -1);
    assert.equal(typeof err.errno, "number");
    assert.equal(err.message, `listen EADDRINUSE: address already in use ${path}`);
    assert.equal(existsSync(path), true, "the file is left alone");
  }, { skip: noUnixSockets }),

  defineCase("unix", "listening twice on the same path: EADDRINUSE", async (ctx) => {
    const { path } = await unixServer(ctx);
    const err = await listenError(ctx, path);
    assert.equal(err.code, "EADDRINUSE");
    assert.equal(err.address, path);
  }, { skip: noUnixSockets }),

  defineCase("unix", "the abstract namespace ('\\0name'): no file, address() keeps the NUL", async (ctx) => {
    const name = `\0crossnet-${Math.random().toString(36).slice(2)}`;
    const server = ctx.net.createServer((s: any) => {
      ctx.track(s);
      s.pipe(s);
    });
    await ctx.listen(server, { path: name });
    assert.equal(server.address(), name);
    const client = ctx.track(ctx.net.connect(name));
    await once(client, "connect");
    const received = readAll(client);
    client.end("abstract");
    assert.equal(text(await received), "abstract");
  }, { skip: linuxOnly }),

  defineCase("unix", "many clients on one Unix server, each gets its own echo", async (ctx) => {
    const { path } = await unixServer(ctx);
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const client = ctx.track(ctx.net.connect(path));
        const received = readAll(client);
        client.end(`client ${i} `.repeat(100));
        return text(await received);
      }),
    );
    results.forEach((r, i) => assert.equal(r, `client ${i} `.repeat(100)));
  }, { skip: noUnixSockets }),
];

export default cases;
