/**
 * node:events' `captureRejections` on sockets and servers: an `async` listener that throws
 * (a rejected promise returned by a listener) goes to the emitter instead of the process,
 * when asked for (the socket option, or node:events' global `captureRejections`); and
 * node:events' `defaultMaxListeners` as the limit of an emitter that set none.
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import events, { EventEmitter } from "node:events";
import process from "node:process";
import type { Case } from "../harness.ts";
import { defineCase, delay } from "../harness.ts";
import { closed, connected } from "./_shared.ts";

/** Run `fn` with node:events' global `captureRejections` on, then put it back. */
async function withGlobalCapture<T>(fn: () => Promise<T>): Promise<T> {
  const before = events.captureRejections;
  events.captureRejections = true;
  try {
    return await fn();
  } finally {
    events.captureRejections = before;
  }
}

const cases: Case[] = [
  defineCase("lifecycle", "new Socket({ captureRejections: true }): an async listener's rejection destroys the socket with it, a tick later ('error', then 'close')", async (ctx) => {
    const boom = new Error("boom");
    const socket = ctx.track(new ctx.net.Socket({ captureRejections: true }));
    const seen: unknown[] = [];
    socket.on("error", (err: unknown) => seen.push(["error", err]));
    socket.on("close", () => seen.push(["close"]));
    socket.on("job", async (a: number, b: number) => {
      seen.push(["job", a, b]);
      throw boom;
    });
    assert.equal(socket.emit("job", 1, 2), true);
    assert.deepEqual(seen, [["job", 1, 2]]);
    assert.equal(socket.destroyed, false);
    await closed(socket);
    assert.deepEqual(seen, [["job", 1, 2], ["error", boom], ["close"]]);
    assert.equal(socket.errored, boom);

    // Any thenable counts, rejected with anything; other results are nobody's business.
    const other = ctx.track(new ctx.net.Socket({ captureRejections: true }));
    const errors: unknown[] = [];
    other.on("error", (err: unknown) => errors.push(err));
    other.on("sync", () => 42);
    other.on("sync", () => ({ then: 1 }));
    other.emit("sync");
    await delay(5);
    assert.equal(other.destroyed, false);
    other.once("job", () => ({ then: (_ok: unknown, fail: (e: unknown) => void) => fail("no") }));
    other.emit("job");
    await closed(other);
    assert.deepEqual(errors, ["no"]);
  }),

  defineCase("lifecycle", "captureRejections: an async 'data' listener's rejection destroys the connection with it; a rejection from an 'error' listener of a destroyed socket changes nothing", async (ctx) => {
    const { client, peer } = await connected(ctx, { client: { captureRejections: true } });
    const errors: string[] = [];
    client.on("error", async (err: Error) => {
      errors.push(err.message);
      throw new Error("from the error listener");
    });
    client.on("data", async (chunk: Uint8Array) => {
      throw new Error(`bad ${String(chunk)}`);
    });
    peer.write("hi");
    assert.equal(await closed(client), true);
    await delay(5);
    assert.deepEqual(errors, ["bad hi"]);
    assert.equal(client.errored.message, "bad hi");
  }),

  defineCase("lifecycle", "captureRejections: a socket's [Symbol.for('nodejs.rejection')] gets the rejection, the event and its arguments, in place of destroying it", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket({ captureRejections: true }));
    const got: unknown[] = [];
    const boom = new Error("boom");
    socket[Symbol.for("nodejs.rejection")] = function (this: unknown, ...args: unknown[]) {
      got.push(this === socket, ...args);
    };
    socket.on("job", async () => {
      throw boom;
    });
    socket.emit("job", 7, "x");
    await delay(5);
    assert.deepEqual(got, [true, boom, "job", 7, "x"]);
    assert.equal(socket.destroyed, false);
  }),

  defineCase("bad-input", "new Socket({ captureRejections }) takes a boolean: any other truthy value is ERR_INVALID_ARG_TYPE; false, 0 and null leave it to node:events' default", async (ctx) => {
    const expected: Array<[unknown, string]> = [
      ["yes", "Received type string ('yes')"],
      [1, "Received type number (1)"],
      [{}, "Received an instance of Object"],
    ];
    for (const [value, received] of expected) {
      assert.throws(() => new ctx.net.Socket({ captureRejections: value } as any), (err: any) => {
        assert.equal(err.code, "ERR_INVALID_ARG_TYPE");
        assert.equal(err.name, "TypeError");
        assert.equal(err.message, `The "options.captureRejections" property must be of type boolean. ${received}`);
        return true;
      });
    }
    for (const value of [false, 0, null]) {
      ctx.track(new ctx.net.Socket({ captureRejections: value } as any)).destroy();
    }
  }),

  defineCase("server", "node:events' global captureRejections: a rejected async 'connection' listener destroys that socket with the rejection and the server goes on; another event's rejection is the server's 'error'", async (ctx) => {
    await withGlobalCapture(async () => {
      const server = ctx.track(ctx.net.createServer());
      const serverErrors: string[] = [];
      server.on("error", (err: Error) => serverErrors.push(err.message));
      server.on("job", async () => {
        throw new Error("job failed");
      });
      server.emit("job");
      await delay(5);
      assert.deepEqual(serverErrors, ["job failed"]);

      const acceptedErrors: string[] = [];
      let acceptedClosed!: Promise<boolean>;
      server.on("connection", async (socket: any) => {
        acceptedClosed = closed(socket);
        socket.on("error", (err: Error) => acceptedErrors.push(err.message));
        throw new Error("no handler");
      });
      await ctx.listen(server);
      const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
      client.on("error", () => {}); // the reset or the end, as the OS has it
      await closed(client);
      assert.equal(await acceptedClosed, true);
      assert.deepEqual(acceptedErrors, ["no handler"]);
      assert.equal(server.listening, true);
      assert.deepEqual(serverErrors, ["job failed"]);

      // A socket made while it is on captures too.
      const socket = ctx.track(new ctx.net.Socket());
      const socketErrors: string[] = [];
      socket.on("error", (err: Error) => socketErrors.push(err.message));
      socket.on("job", async () => {
        throw new Error("socket job failed");
      });
      socket.emit("job");
      await closed(socket);
      assert.deepEqual(socketErrors, ["socket job failed"]);
    });
  }),

  defineCase("lifecycle", "node:events' defaultMaxListeners is the limit of a socket that set none: getMaxListeners() and the MaxListenersExceededWarning follow it", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const own = ctx.track(new ctx.net.Socket());
    own.setMaxListeners(5);
    const warnings: any[] = [];
    const onWarning = (w: any) => {
      if (w.name === "MaxListenersExceededWarning" && (w.emitter === socket || w.emitter === own)) warnings.push(w);
    };
    process.on("warning", onWarning);
    const before = EventEmitter.defaultMaxListeners;
    try {
      EventEmitter.defaultMaxListeners = 2;
      try {
        assert.equal(socket.getMaxListeners(), 2);
        assert.equal(own.getMaxListeners(), 5);
        for (let i = 0; i < 3; i++) socket.on("tick", () => {});
        for (let i = 0; i < 3; i++) own.on("tick", () => {});
      } finally {
        EventEmitter.defaultMaxListeners = before;
      }
      assert.equal(socket.getMaxListeners(), before);
      await delay(5);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0].emitter, socket);
      assert.equal(
        warnings[0].message,
        "Possible EventEmitter memory leak detected. 3 tick listeners added to [Socket]. " +
          "MaxListeners is 2. Use emitter.setMaxListeners() to increase limit",
      );
    } finally {
      process.off("warning", onWarning);
    }
  }),
];

export default cases;
