// crossnet's extras on top of node:net's surface: promises, async iteration, Web Streams,
// AbortSignal, `await using`, binaryType. node:net lacks them, so these cases need the
// "extras" capability and do not run against it.

// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { closedPort, concat, defineCase, delay, once } from "../harness.ts";
import type { Case } from "../harness.ts";

const extras = { requires: ["extras"] as const };

const cases: Case[] = [
  defineCase("extras", "socket.opened resolves with both ends' addresses", async (ctx) => {
    const server = await ctx.server((s) => s.end());
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const info = await client.opened;
    assert.equal(info.remoteAddress, "127.0.0.1");
    assert.equal(info.remotePort, server.address().port);
    assert.equal(info.remoteFamily, "IPv4");
    assert.equal(info.localAddress, "127.0.0.1");
    assert.equal(typeof info.localPort, "number");
    // Already connected: resolves again with the same addresses.
    assert.deepEqual(await client.opened, info);
  }, extras),

  defineCase("extras", "socket.opened rejects with the connect error", async (ctx) => {
    const port = await closedPort(ctx);
    const client = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    client.on("error", () => {});
    await assert.rejects(client.opened, (err: any) => err.code === "ECONNREFUSED" && err.port === port);
  }, extras),

  defineCase("extras", "socket.closedPromise resolves on a clean close, rejects on an error", async (ctx) => {
    const server = await ctx.server((s) => s.end("x"));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    client.resume();
    await client.closedPromise;
    assert.equal(client.destroyed, true);
    assert.equal(client.closed, true);

    const port = await closedPort(ctx);
    const failing = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    failing.on("error", () => {});
    await assert.rejects(failing.closedPromise, (err: any) => err.code === "ECONNREFUSED");
  }, extras),

  defineCase("extras", "for await yields every chunk until the peer's FIN", async (ctx) => {
    const payload = new Uint8Array(256 * 1024).map((_, i) => i & 0xff);
    const server = await ctx.server((s) => s.end(payload));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const chunks: Uint8Array[] = [];
    for await (const chunk of client) chunks.push(chunk);
    assert.deepEqual(concat(chunks), payload);
  }, extras),

  defineCase("extras", "for await throws the socket's error", async (ctx) => {
    const server = await ctx.server((s) => s.resetAndDestroy());
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    await assert.rejects(async () => {
      for await (const _ of client) { /* nothing arrives */ }
    }, (err: any) => err.code === "ECONNRESET");
  }, extras),

  defineCase("extras", "breaking out of for await destroys the socket", async (ctx) => {
    const server = await ctx.server((s) => s.write("first"));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    for await (const chunk of client) {
      assert.equal(new TextDecoder().decode(chunk), "first");
      break;
    }
    assert.equal(client.destroyed, true);
  }, extras),

  defineCase("lifecycle", "for await over a socket destroyed before its end (no error): ERR_STREAM_PREMATURE_CLOSE, also when it was closed before the loop; after its end the loop just ends", async (ctx) => {
    const server = await ctx.server((s) => s.write("abc"));
    const port = server.address().port;
    const iterate = async (socket: any): Promise<string> => {
      const got: string[] = [];
      try {
        for await (const chunk of socket) got.push(String(chunk));
        return `${got.join("")} ended`;
      } catch (err: any) {
        return `${got.join("")} threw ${err.code} ${err.message}`;
      }
    };
    const cut = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    cut.once("data", () => setTimeout(() => cut.destroy(), 5));
    assert.equal(await iterate(cut), "abc threw ERR_STREAM_PREMATURE_CLOSE Premature close");

    const gone = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    gone.destroy();
    assert.equal(await iterate(gone), " threw ERR_STREAM_PREMATURE_CLOSE Premature close");

    const ending = await ctx.server((s) => s.end("xyz"));
    const done = ctx.track(ctx.net.connect(ending.address().port, "127.0.0.1"));
    done.resume();
    await once(done, "close");
    assert.equal(await iterate(done), " ended");
  }),

  defineCase("lifecycle", "socket.iterator({ destroyOnReturn: false }): leaving the loop keeps the socket, paused, then without a consumer a tick later; a 'data' listener reads the rest; options must be an object", async (ctx) => {
    const server = await ctx.server((s) => {
      s.write("hello\n");
      setTimeout(() => s.end("rest"), 20);
    });
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    client.setEncoding("utf8");
    const log: string[] = [];
    for await (const first of client.iterator({ destroyOnReturn: false })) {
      log.push(`first:${first}`);
      break;
    }
    log.push(`kept:${client.destroyed}:${client.readableFlowing}:${client.isPaused()}`);
    await delay(5);
    log.push(`later:${client.readableFlowing}:${client.isPaused()}`);
    let rest = "";
    client.on("data", (d: string) => (rest += d));
    await once(client, "end");
    assert.deepEqual(log, ["first:hello\n", "kept:false:false:true", "later:null:false"]);
    assert.equal(rest, "rest");
    assert.throws(() => client.iterator(null), (err: any) => err.code === "ERR_INVALID_ARG_TYPE");
  }),

  defineCase("extras", "readableStream errors with ERR_STREAM_PREMATURE_CLOSE when the socket is destroyed before its end, also when made after that; after the end it just closes", async (ctx) => {
    const server = await ctx.server((s) => s.write("abc"));
    const port = server.address().port;
    const drain = async (stream: ReadableStream<Uint8Array>): Promise<string> => {
      let got = "";
      const reader = stream.getReader();
      try {
        while (true) {
          const { value, done } = await reader.read();
          if (done) return `${got} closed`;
          got += new TextDecoder().decode(value);
        }
      } catch (err: any) {
        return `${got} errored ${err.code}`;
      }
    };
    const cut = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    cut.once("data", () => setTimeout(() => cut.destroy(), 5));
    assert.equal(await drain(cut.readableStream), "abc errored ERR_STREAM_PREMATURE_CLOSE");
    const gone = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    gone.destroy();
    await once(gone, "close");
    assert.equal(await drain(gone.readableStream), " errored ERR_STREAM_PREMATURE_CLOSE");
    const ending = await ctx.server((s) => s.end("xyz"));
    const done = ctx.track(ctx.net.connect(ending.address().port, "127.0.0.1"));
    done.resume();
    await once(done, "close");
    assert.equal(await drain(done.readableStream), " closed");
  }, extras),

  defineCase("extras", "socket.opened asked for only after the close: resolves if the socket had connected, else rejects with its error (never waits)", async (ctx) => {
    const server = await ctx.server((s) => s.end("bye"));
    const was = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    was.resume();
    await once(was, "close");
    assert.equal(typeof (await was.opened), "object");

    const port = await closedPort(ctx);
    const refused = ctx.track(ctx.net.connect(port, "127.0.0.1"));
    refused.on("error", () => {});
    await new Promise((resolve) => refused.on("close", resolve));
    await assert.rejects(refused.opened, (err: any) => err.code === "ECONNREFUSED");

    const never = ctx.track(new ctx.net.Socket());
    never.destroy();
    await once(never, "close");
    await assert.rejects(never.opened, (err: any) => err.code === "ERR_SOCKET_CLOSED_BEFORE_CONNECTION");
  }, extras),

  defineCase("extras", "writableStream: the socket's errors reject its writes instead of reaching the process (a write on a socket that never connected; abort(reason) destroys the socket with it)", async (ctx) => {
    const never = ctx.track(new ctx.net.Socket());
    const neverClosed = new Promise((resolve) => never.on("close", resolve));
    const writer = never.writableStream.getWriter();
    await assert.rejects(writer.write("x"), (err: any) => err.code === "ERR_SOCKET_CLOSED");
    await neverClosed;

    const server = await ctx.server((s) => s.resume());
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    await once(client, "connect");
    const hadError = new Promise((resolve) => client.on("close", resolve));
    await client.writableStream.getWriter().abort(new Error("stop"));
    assert.equal(await hadError, true);
    assert.equal(client.errored?.message, "stop");
  }, extras),

  defineCase("extras", "readableStream and writableStream carry bytes both ways", async (ctx) => {
    const server = await ctx.server((s) => s.pipe(s));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    await client.opened;
    const writer = client.writableStream.getWriter();
    await writer.write(new TextEncoder().encode("hello "));
    await writer.write("web streams");
    await writer.close();
    const chunks: Uint8Array[] = [];
    const reader = client.readableStream.getReader();
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    assert.equal(new TextDecoder().decode(concat(chunks)), "hello web streams");
  }, extras),

  defineCase("extras", "an AbortSignal aborts a pending connect with an AbortError", async (ctx) => {
    const controller = new AbortController();
    const server = await ctx.server();
    const client = ctx.track(ctx.net.connect({
      port: server.address().port,
      host: "127.0.0.1",
      signal: controller.signal,
    }));
    controller.abort();
    const [err] = await once(client, "error");
    assert.equal(err.name, "AbortError");
    assert.equal(err.code, "ABORT_ERR");
    await assert.rejects(client.opened, (e: any) => e.name === "AbortError");
  }, extras),

  defineCase("extras", "await using destroys a socket and closes a server at scope end", async (ctx) => {
    let server: any;
    let client: any;
    {
      await using s = await ctx.server((c) => c.resume());
      await using c = ctx.track(ctx.net.connect(s.address().port, "127.0.0.1"));
      server = s;
      client = c;
      await once(c, "connect");
    }
    assert.equal(client.destroyed, true);
    assert.equal(server.listening, false);
  }, extras),

  defineCase("extras", "binaryType 'uint8array' gives plain Uint8Arrays", async (ctx) => {
    const server = await ctx.server((s) => s.end("abc"));
    const client = ctx.track(ctx.net.connect({
      port: server.address().port,
      host: "127.0.0.1",
      binaryType: "uint8array",
    }));
    const [chunk] = await once(client, "data");
    assert.equal(Object.getPrototypeOf(chunk), Uint8Array.prototype);
    assert.deepEqual([...chunk], [97, 98, 99]);
  }, extras),
];

export default cases;
