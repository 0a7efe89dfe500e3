// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { defineCase, delay, once, readAll, recordEvents } from "../harness.ts";
import { closed, connected, pair, until } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

// `socket.push(chunk)` and `socket.push(null)`: node:net's sockets are Readable streams, and
// tutorials call push() on them: one of the seeds' HTTP servers ends the request side with
// `socket.push(null)` once it has the headers, then answers from its `end` listener.

/** Every socket event these cases log. */
const EVENTS = ["data", "end", "finish", "error", "close"];

/** `data:<chunk>`, `close:<hadError>`, `error:<code>`, else the event name. */
function fmt(event: string, args: any[]): string {
  if (event === "data") return `data:${args[0]}`;
  if (event === "close") return `close:${args[0]}`;
  if (event === "error") return `error:${args[0]?.code ?? args[0]?.message}`;
  return event;
}

/**
 * The client sends `request` once connected and reads until the server's end; resolves
 * with what it read and both sockets' `hadError` once both closed.
 */
async function exchange(
  client: any,
  accepted: Promise<any>,
  request: string,
): Promise<{ answer: string; hadErrors: boolean[] }> {
  client.on("connect", () => client.write(request));
  const answer = readAll(client);
  const clientClosed = closed(client);
  const peer = await accepted;
  const peerClosed = closed(peer);
  const bytes = await answer;
  return { answer: new TextDecoder().decode(bytes), hadErrors: await Promise.all([clientClosed, peerClosed]) };
}

/**
 * A pair whose server socket (allowHalfOpen: it does not end by itself) decodes UTF-8 and
 * logs its events in `server.log`; `setup` adds the case's own listeners.
 */
async function halfOpenPair(ctx: Ctx, setup: (socket: any) => void) {
  const server = { log: [] as string[] };
  const { client, accepted } = await pair(ctx, {
    server: { allowHalfOpen: true },
    onServer: (s) => {
      s.setEncoding("utf8");
      server.log = recordEvents(s, EVENTS, fmt);
      setup(s);
    },
  });
  return { client, accepted, server };
}

const cases: Case[] = [
  defineCase("half-close", "push(null) once the request is in: `end`, then the answer and our FIN (a seed's HTTP server)", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, {
      onServer: (s) => {
        serverLog = recordEvents(s, EVENTS, (event, args) => event === "data" ? "data" : fmt(event, args));
        let message = "";
        s.on("data", (data: Uint8Array) => {
          message += String(data);
          if (message.includes("\r\n\r\n")) s.push(null);
        });
        s.on("end", () => {
          s.write("HTTP/1.1 200 OK\r\n");
          s.write("content-length: 13\r\n\r\n");
          s.end("response data");
        });
      },
    });
    const { answer, hadErrors } = await exchange(client, accepted, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.equal(answer, "HTTP/1.1 200 OK\r\ncontent-length: 13\r\n\r\nresponse data");
    assert.deepEqual(hadErrors, [false, false]);
    assert.deepEqual(serverLog, ["data", "end", "finish", "close:false"]);
  }),

  defineCase("half-close", "push(null) with allowHalfOpen false: our side ends by itself after `end`", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, {
      onServer: (s) => {
        s.setEncoding("utf8");
        serverLog = recordEvents(s, EVENTS, fmt);
        s.once("data", () => s.push(null));
        s.on("end", () => {
          serverLog.push(`in end: ${s.readyState}`);
          s.write("bye");
        });
      },
    });
    const { answer, hadErrors } = await exchange(client, accepted, "hi");
    assert.equal(answer, "bye");
    assert.deepEqual(hadErrors, [false, false]);
    assert.deepEqual(serverLog, ["data:hi", "end", "in end: writeOnly", "finish", "close:false"]);
  }),

  defineCase("half-close", "push(null) from a `data` listener: nothing more is read, neither bytes nor FIN", async (ctx) => {
    const { client, accepted, server } = await halfOpenPair(ctx, (s) => {
      s.once("data", () => {
        s.push(null);
        // Tell the client to go on once `end` came: what it sends next is after EOF.
        s.once("end", () => s.write("go on"));
      });
    });
    client.on("error", () => {}); // Closing with its bytes unread may reset the connection.
    client.on("connect", () => client.write("first"));
    const sentMore = once(client, "data").then(() => client.end("second"));
    const peer = await accepted;
    const peerClosed = closed(peer);
    await sentMore;
    await delay(50);
    assert.deepEqual(server.log, ["data:first", "end"]);
    assert.equal(peer.bytesRead, "first".length);
    peer.end();
    assert.equal(await peerClosed, false);
    assert.deepEqual(server.log, ["data:first", "end", "finish", "close:false"]);
  }),

  defineCase("half-close", "push(null) outside a `data` listener, then bytes from the peer: ERR_STREAM_PUSH_AFTER_EOF", async (ctx) => {
    const { client, accepted, server } = await halfOpenPair(ctx, (s) => {
      s.once("data", () => {
        setTimeout(() => s.push(null), 0);
        s.once("end", () => s.write("go on"));
      });
    });
    client.on("error", () => {}); // The server's destroy may reset the connection.
    client.on("connect", () => client.write("first"));
    client.once("data", () => client.write("second"));
    const peer = await accepted;
    const peerClosed = closed(peer);
    const [err] = await once(peer, "error");
    assert.equal(err.code, "ERR_STREAM_PUSH_AFTER_EOF");
    assert.equal(err.message, "stream.push() after EOF");
    assert.equal(await peerClosed, true);
    assert.deepEqual(server.log, ["data:first", "end", "error:ERR_STREAM_PUSH_AFTER_EOF", "close:true"]);
  }),

  defineCase("half-close", "push(null) while connecting: `end`, and nothing is ever read, neither the peer's bytes nor its FIN", async (ctx) => {
    let peer: any;
    let peerEnded!: () => void;
    const peerDone = new Promise<void>((resolve) => (peerEnded = resolve));
    const server = await ctx.server((s: any) => {
      peer = s;
      s.on("error", () => {});
      s.resume();
      // Bytes and a FIN the client will not read.
      s.end("hello", peerEnded);
    });
    const client = ctx.track(ctx.net.connect({ port: server.address().port, host: "127.0.0.1", allowHalfOpen: true }));
    const log = recordEvents(client, [...EVENTS, "connect"], fmt);
    client.push(null);
    await peerDone;
    // The peer's bytes and FIN are out: read by now if the client were reading.
    client.write("ping");
    await delay(50);
    // Node's first read(0) (at `connect`, or from resume()) finds the stream ended and never
    // starts reading: no ERR_STREAM_PUSH_AFTER_EOF, no second `end`.
    assert.deepEqual(log, ["end", "connect"]);
    assert.equal(client.bytesRead, 0);
    assert.equal(client.destroyed, false);
    assert.equal(client.errored, null);
    assert.equal(peer.bytesRead, 4);
    client.resume();
    await delay(20);
    assert.equal(client.bytesRead, 0);
    client.destroy();
    assert.equal(await closed(client), false);
  }),

  defineCase("half-close", "push(null) while connecting with no consumer: `end` right after `connect` (Node's read(0) there finds the stream ended), paused not; with onread, node:net's read() starts the handle all the same: the peer's bytes reach the callback", async (ctx) => {
    const server = await ctx.server((s: any) => {
      s.on("error", () => {});
      s.end("bye");
    });
    for (const [onread, paused] of [[false, false], [true, false], [false, true], [true, true]]) {
      const what = `${onread ? "onread" : "data"}${paused ? ", paused" : ""}`;
      let got = "";
      const options: any = { port: server.address().port, host: "127.0.0.1", allowHalfOpen: true };
      if (onread) {
        options.onread = {
          buffer: new Uint8Array(1000),
          callback: (n: number, buffer: Uint8Array) => void (got += new TextDecoder().decode(buffer.subarray(0, n))),
        };
      }
      const client = ctx.track(ctx.net.connect(options));
      const log: string[] = [];
      for (const event of ["connect", "end"]) client.on(event, () => log.push(event));
      client.push(null);
      if (paused) client.pause();
      await once(client, "connect");
      if (onread && !paused) await until(() => got === "bye", `${what}: the bytes at the callback`);
      await delay(50);
      assert.deepEqual(log, paused ? ["connect"] : ["connect", "end"], what);
      assert.equal(client.bytesRead, onread && !paused ? 3 : 0, what);
      assert.equal(client.destroyed, false, what);
      client.destroy();
    }
  }),

  defineCase("half-close", "push(null) twice, or after the peer's FIN: nothing more happens", async (ctx) => {
    let serverLog: string[] = [];
    const { client, accepted } = await pair(ctx, {
      server: { allowHalfOpen: true },
      onServer: (s) => {
        serverLog = recordEvents(s, EVENTS, fmt);
        s.on("end", () => {
          s.push(null);
          s.push(null);
          s.end();
        });
      },
    });
    client.on("connect", () => {
      client.end();
    });
    client.resume();
    const peer = await accepted;
    peer.push(null);
    assert.equal(peer.push(null), false);
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(serverLog, ["end", "finish", "close:false"]);
  }),

  defineCase("half-close", "push(null) then destroy() at once: `end` still comes, before `close`; destroy(err) takes it back", async (ctx) => {
    for (const error of [undefined, Object.assign(new Error("boom"), { code: "EBOOM" })]) {
      const { client, peer } = await connected(ctx);
      client.on("error", () => {});
      const log = recordEvents(peer, EVENTS, fmt);
      const peerClosed = closed(peer);
      peer.push(null);
      peer.destroy(error);
      await peerClosed;
      assert.deepEqual(log, error ? ["error:EBOOM", "close:true"] : ["end", "close:false"]);
    }
  }),

  defineCase("half-close", "push(null) while connecting, before anything was read, then destroy() at once: no `end`; a chunk pushed before it still comes", async (ctx) => {
    const server = await ctx.server((s: any) => s.resume());
    for (const chunk of [false, true]) {
      const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
      const log = recordEvents(client, EVENTS, fmt); // flowing, by its `data` listener
      if (chunk) client.push("P");
      client.push(null);
      client.destroy();
      await closed(client);
      // Node's stream is still `sync` (never read): the end goes through emitReadable a tick
      // later, which finds the stream destroyed (connected, it would come: the case above);
      // the chunk waits for the flow resume() scheduled, which emits it all the same.
      assert.deepEqual(log, chunk ? ["data:P", "close:false"] : ["close:false"]);
    }
  }),

  defineCase("half-close", "push(null) while paused: no `end` until resume(), even paused again at once", async (ctx) => {
    const { client, peer } = await connected(ctx, { server: { allowHalfOpen: true } });
    const log = recordEvents(peer, EVENTS, fmt);
    await delay(10); // The `data` listener's resume() has run: the socket flows.
    peer.pause();
    peer.push(null);
    await delay(20);
    assert.deepEqual(log, []);
    const ended = once(peer, "end");
    // Node's resume() reads a tick later whatever comes meanwhile: the end is read.
    peer.resume();
    peer.pause();
    await ended;
    assert.deepEqual(log, ["end"]);
    peer.end();
    client.resume();
    await closed(peer);
  }),

  defineCase("half-close", "resume() paused again at once: `resume` still comes a turn later, and reads a push(null) end unless destroyed by then", async (ctx) => {
    for (const destroy of [false, true]) {
      const { client, peer } = await connected(ctx, { server: { allowHalfOpen: true } });
      await delay(10); // The `data` listener's resume() has run: the socket flows.
      peer.pause();
      const log = recordEvents(peer, [...EVENTS, "resume", "pause"], fmt);
      peer.push(null);
      peer.resume();
      peer.pause();
      if (destroy) {
        peer.destroy();
        await closed(peer);
        assert.deepEqual(log, ["pause", "resume", "close:false"]);
      } else {
        await once(peer, "end");
        assert.deepEqual(log, ["pause", "resume", "end"]);
        peer.end();
        client.resume();
        await closed(peer);
      }
    }
  }),

  defineCase("half-close", "push(null) while paused, then the peer's FIN: `end` comes, paused or not", async (ctx) => {
    const { client, peer } = await connected(ctx, { server: { allowHalfOpen: true } });
    const log = recordEvents(peer, EVENTS, fmt);
    await delay(10); // The `data` listener's resume() has run: the socket flows.
    peer.pause();
    peer.push(null);
    const ended = once(peer, "end");
    client.end(); // The FIN is read as 0 bytes, which ends the readable side.
    await ended;
    assert.deepEqual(log, ["end"]);
    peer.end();
    client.resume();
    await closed(peer);
  }),

  defineCase("half-close", "end(data) then push(null): `end` before `finish`; end(more) after them is a write after end", async (ctx) => {
    for (const again of [false, true]) {
      const server = await ctx.server((s) => {
        s.resume();
        s.on("end", () => s.end());
      });
      const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
      client.on("error", () => {});
      const log = recordEvents(client, EVENTS, fmt);
      await once(client, "connect");
      client.end("a");
      client.push(null);
      if (again) client.end("b");
      await closed(client);
      assert.deepEqual(
        log,
        again ? ["error:ERR_STREAM_WRITE_AFTER_END", "close:true"] : ["end", "finish", "close:false"],
      );
    }
  }),

  defineCase("lifecycle", "push(chunk) while connecting waits a tick even while flowing: paused at once, it stays buffered until resume()", async (ctx) => {
    const server = await ctx.server((s: any) => s.resume());
    for (const pauseNow of [false, true]) {
      const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
      const log = recordEvents(client, EVENTS, fmt); // flowing, by its `data` listener
      client.push("P");
      // Node's stream has not asked to read yet (`sync`): the chunk is buffered, and the
      // flow resume() scheduled delivers it, unless paused by then.
      assert.deepEqual([...log], [], `pause: ${pauseNow}`);
      if (pauseNow) client.pause();
      await once(client, "connect");
      await delay(10);
      assert.deepEqual(log, pauseNow ? [] : ["data:P"], `pause: ${pauseNow}`);
      assert.equal(client.readableLength, pauseNow ? 1 : 0, `pause: ${pauseNow}`);
      client.resume();
      await delay(10);
      assert.deepEqual(log, ["data:P"], `pause: ${pauseNow}`);
      client.destroy();
      await closed(client);
    }
  }),

  defineCase("lifecycle", "push(chunk) is read as if it came from the peer, before the peer's later bytes", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.setEncoding("utf8");
    const log = recordEvents(peer, EVENTS, fmt);
    assert.equal(peer.push("local "), true);
    assert.equal(peer.push(new TextEncoder().encode("bytes")), true);
    assert.equal(peer.push(""), true);
    assert.deepEqual(log, ["data:local ", "data:bytes"]);
    client.write("from the peer");
    await once(peer, "data");
    // bytesRead counts what came from the peer only.
    assert.equal(peer.bytesRead, "from the peer".length);
    client.end();
    await closed(peer);
    assert.deepEqual(log, ["data:local ", "data:bytes", "data:from the peer", "end", "finish", "close:false"]);
  }),

  defineCase("lifecycle", "push(chunk) while paused waits for resume(); `end` after it", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const chunks: string[] = [];
    peer.on("data", (chunk: Uint8Array) => chunks.push(String(chunk)));
    peer.pause();
    assert.equal(peer.push("one"), true);
    peer.push(null);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(chunks, []);
    const ended = once(peer, "end");
    peer.resume();
    await ended;
    assert.deepEqual(chunks, ["one"]);
    client.resume();
    await Promise.all([closed(client), closed(peer)]);
  }),

  defineCase("lifecycle", "push() (even an empty one) or unshift() on a socket paused inside 'connect', before it ever read: a tick later Node's stream reads more, and the socket starts reading, paused: the peer's bytes are buffered (or reach the onread callback, and its FIN 'end'); without it nothing is read", async (ctx) => {
    const server = await ctx.server((s: any) => {
      s.on("error", () => {});
      s.end("bye");
    });
    for (const onread of [false, true]) {
      for (const op of ["push", "empty push", "unshift", "nothing"]) {
        const what = `${op}${onread ? ", onread" : ""}`;
        let got = "";
        const options: any = { port: server.address().port, host: "127.0.0.1" };
        if (onread) {
          options.onread = {
            buffer: new Uint8Array(1000),
            callback: (n: number, buffer: Uint8Array) => void (got += new TextDecoder().decode(buffer.subarray(0, n))),
          };
        }
        const client = ctx.track(ctx.net.connect(options));
        let ended = false;
        client.on("end", () => (ended = true));
        client.on("connect", () => {
          client.pause();
          if (op === "push") assert.equal(client.push("P"), true);
          if (op === "empty push") assert.equal(client.push(""), true);
          if (op === "unshift") assert.equal(client.unshift("U"), true);
        });
        await once(client, "connect");
        const own = op === "push" || op === "unshift" ? 1 : 0;
        if (op === "nothing") {
          await delay(50);
          assert.equal(client.bytesRead, 0, what);
        } else {
          await until(() => client.bytesRead === 3, `${what}: the peer's bytes read`);
          if (onread) {
            await until(() => got === "bye", `${what}: the bytes at the callback`);
            // 'end' once nothing is buffered: after an empty push only.
            if (own === 0) await until(() => ended, `${what}: 'end'`);
          } else await until(() => client.readableLength === own + 3, `${what}: buffered`);
        }
        await delay(20);
        assert.equal(client.readableLength, onread ? own : own + (op === "nothing" ? 0 : 3), what);
        assert.equal(ended, onread && op === "empty push", `${what}: 'end'`);
        assert.equal(client.isPaused(), true, what);
        client.destroy();
      }
    }
  }),

  defineCase("lifecycle", "push(chunk) after push(null): ERR_STREAM_PUSH_AFTER_EOF, the socket destroyed", async (ctx) => {
    const { client, peer } = await connected(ctx, { server: { allowHalfOpen: true } });
    client.on("error", () => {});
    const log = recordEvents(peer, EVENTS, fmt);
    peer.resume();
    peer.push(null);
    await once(peer, "end");
    const peerClosed = closed(peer);
    assert.equal(peer.push("late"), false);
    assert.equal(await peerClosed, true);
    assert.deepEqual(log, ["end", "error:ERR_STREAM_PUSH_AFTER_EOF", "close:true"]);
  }),

  defineCase("lifecycle", "push(chunk) whose `data` listener destroys the socket still answers by the buffer (true); on a socket destroyed before, push() and unshift() answer false", async (ctx) => {
    const { client } = await connected(ctx);
    const seen: string[] = [];
    client.once("data", (d: any) => {
      seen.push(String(d));
      client.destroy();
    });
    await delay(5); // flowing, and reading: the pushed chunk is emitted at once
    assert.equal(client.push("P"), true);
    assert.deepEqual(seen, ["P"]);
    assert.equal(client.destroyed, true);
    assert.equal(client.push("Q"), false);
    assert.equal(client.unshift("R"), false);
    await closed(client);
  }),

  defineCase("lifecycle", "resume() then pause() inside 'connect': a tick later Node's resume_ reads all the same, paused: the peer's bytes are buffered and its FIN read, no 'end'", async (ctx) => {
    const server = await ctx.server((s) => s.end("bye"));
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    const log: string[] = [];
    client.on("end", () => log.push("end"));
    client.on("connect", () => {
      client.resume();
      client.pause();
    });
    await until(() => client.readableLength === 3 && client._readableState.ended, "the peer's bytes and FIN are read");
    assert.equal(client.bytesRead, 3);
    assert.equal(client.isPaused(), true);
    assert.deepEqual(log, []);
  }),

  defineCase("half-close", "push(null), then a chunk put back: the `data` listener that takes it and pauses still gets `end` (the read that took the last chunk found the end)", async (ctx) => {
    const { client } = await connected(ctx);
    const log: string[] = [];
    client.on("end", () => log.push("end"));
    client.push(null);
    client.unshift("UV");
    client.once("data", (d: any) => {
      log.push(`data ${d}`);
      client.pause();
    });
    await until(() => log.length === 2, "the chunk, then the end");
    assert.deepEqual(log, ["data UV", "end"]);
    assert.equal(client.isPaused(), true);
  }),

  defineCase("bad-input", "push() of a number: ERR_INVALID_ARG_TYPE as an `error` event, not thrown", async (ctx) => {
    const { client, peer } = await connected(ctx);
    client.on("error", () => {});
    const log = recordEvents(peer, EVENTS, fmt);
    const peerClosed = closed(peer);
    const errored = once(peer, "error");
    assert.equal(peer.push(42), false);
    const [err] = await errored;
    assert.equal(err.code, "ERR_INVALID_ARG_TYPE");
    assert.equal(
      err.message,
      'The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received type number (42)',
    );
    assert.equal(await peerClosed, true);
    assert.deepEqual(log, ["error:ERR_INVALID_ARG_TYPE", "close:true"]);
  }),
  defineCase("lifecycle", "push(chunk) from a once('data') listener before the next 'data' listener is added: that listener gets it (a tick later), nothing is lost", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log: string[] = [];
    client.once("data", (d: any) => {
      log.push(`data:${d}`);
      log.push(`push->${client.push("P1")}`);
      client.push("P2");
      client.on("data", (e: any) => log.push(`data:${e}`));
      log.push("listener added");
    });
    peer.write("abc");
    await delay(20);
    peer.end();
    await closed(client);
    assert.deepEqual(log, ["data:abc", "push->true", "listener added", "data:P1", "data:P2"]);
  }),

  defineCase("encoding", "push() with an encoding set: a string in that encoding skips the decoder (which may hold part of a character); bytes and strings in another encoding go through it, as in Node", async (ctx) => {
    const { client, peer } = await connected(ctx);
    client.setEncoding("utf8");
    const log: string[] = [];
    client.once("data", (d: any) => {
      log.push(JSON.stringify(d));
      client.push("X"); // utf8, as the socket decodes: as it is
      client.on("data", (e: any) => log.push(JSON.stringify(e)));
      setTimeout(() => peer.end(new Uint8Array([0xac, 0x62])), 5); // the euro sign's last byte, "b"
    });
    peer.write(new Uint8Array([0x61, 0xe2, 0x82])); // "a", two of the euro sign's three bytes
    await closed(client);
    assert.deepEqual(log, [`"a"`, `"X"`, `"€b"`]);

    const { client: other, peer: otherPeer } = await connected(ctx);
    other.setEncoding("utf8");
    const got: string[] = [];
    other.once("data", (d: any) => {
      got.push(JSON.stringify(d));
      other.push(new TextEncoder().encode("Y")); // bytes: decoded after the held ones
      other.on("data", (e: any) => got.push(JSON.stringify(e)));
      setTimeout(() => otherPeer.end("b"), 5);
    });
    otherPeer.write(new Uint8Array([0x61, 0xe2, 0x82]));
    await closed(other);
    assert.deepEqual(got, [`"a"`, `"\ufffdY"`, `"b"`]);
  }),
];

export default cases;
