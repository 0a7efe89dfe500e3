// Listener bookkeeping on a socket (node:events' rules, which every net.Socket follows):
// order, prepend, once, removal (also from inside an emit), the copies listeners() and
// rawListeners() return, and the newListener/removeListener events. No connection needed:
// the sockets here are never connected, but for the case on `once("data")`.

// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { errorMonitor } from "node:events";
import process from "node:process";
import { defineCase, delay, once } from "../harness.ts";
import type { Case } from "../harness.ts";
import { closed, connected } from "./_shared.ts";

const cases: Case[] = [
  defineCase("lifecycle", "listeners run in order; prepend goes first; emit() says if any ran", async (ctx) => {
    const socket = new ctx.net.Socket();
    const calls: string[] = [];
    assert.equal(socket.emit("ping", 1), false);
    socket.on("ping", (n: number) => calls.push(`a${n}`));
    assert.equal(socket.emit("ping", 1), true);
    socket.on("ping", (n: number) => calls.push(`b${n}`));
    socket.prependListener("ping", (n: number) => calls.push(`p${n}`));
    socket.emit("ping", 2);
    assert.deepEqual(calls, ["a1", "p2", "a2", "b2"]);
    assert.equal(socket.listenerCount("ping"), 3);
  }),

  defineCase("lifecycle", "removing one of two listeners leaves the other; removing the last leaves none", async (ctx) => {
    const socket = new ctx.net.Socket();
    const calls: string[] = [];
    const a = () => calls.push("a");
    const b = () => calls.push("b");
    socket.on("ping", a);
    socket.on("ping", b);
    socket.removeListener("ping", a);
    socket.emit("ping");
    assert.deepEqual(socket.listeners("ping"), [b]);
    socket.on("ping", a);
    socket.emit("ping");
    assert.deepEqual(calls, ["b", "b", "a"]);
    socket.off("ping", b);
    socket.off("ping", a);
    assert.equal(socket.listenerCount("ping"), 0);
    assert.equal(socket.eventNames().includes("ping"), false);
    assert.equal(socket.emit("ping"), false);
    // Removing a listener that is not there changes nothing.
    socket.on("ping", a);
    socket.removeListener("ping", b);
    assert.deepEqual(socket.listeners("ping"), [a]);
  }),

  defineCase("lifecycle", "the same listener added twice runs twice; removeListener takes the last one", async (ctx) => {
    const socket = new ctx.net.Socket();
    let count = 0;
    const a = () => count++;
    socket.on("ping", a);
    socket.on("ping", a);
    socket.emit("ping");
    assert.equal(count, 2);
    socket.removeListener("ping", a);
    socket.emit("ping");
    assert.equal(count, 3);
    assert.equal(socket.listenerCount("ping", a), 1);
  }),

  defineCase("lifecycle", "listeners removed or added during an emit do not change that emit", async (ctx) => {
    const socket = new ctx.net.Socket();
    const calls: string[] = [];
    const b = () => calls.push("b");
    const c = () => calls.push("c");
    const a = () => {
      calls.push("a");
      socket.removeListener("ping", b);
      socket.on("ping", c);
    };
    socket.on("ping", a);
    socket.on("ping", b);
    socket.emit("ping");
    assert.deepEqual(calls, ["a", "b"]);
    calls.length = 0;
    // A single listener that removes itself and adds another: the new one waits too.
    const solo = new ctx.net.Socket();
    const self = () => {
      calls.push("self");
      solo.removeListener("ping", self);
      solo.on("ping", c);
    };
    solo.on("ping", self);
    solo.emit("ping");
    assert.deepEqual(calls, ["self"]);
    solo.emit("ping");
    assert.deepEqual(calls, ["self", "c"]);
  }),

  defineCase("lifecycle", "once() runs a listener once; listeners() unwraps it, rawListeners() does not", async (ctx) => {
    const socket = new ctx.net.Socket();
    const seen: unknown[] = [];
    const listener = (...args: unknown[]) => seen.push(args);
    socket.once("ping", listener);
    assert.deepEqual(socket.listeners("ping"), [listener]);
    const [raw] = socket.rawListeners("ping");
    assert.notEqual(raw, listener);
    assert.equal((raw as any).listener, listener);
    socket.emit("ping", 1, 2);
    socket.emit("ping", 3);
    assert.deepEqual(seen, [[1, 2]]);
    assert.equal(socket.listenerCount("ping"), 0);
    // A once listener can be removed by the function given to once().
    socket.once("ping", listener);
    socket.removeListener("ping", listener);
    socket.emit("ping", 4);
    assert.deepEqual(seen, [[1, 2]]);
  }),

  defineCase("lifecycle", "listeners() and rawListeners() return copies", async (ctx) => {
    const socket = new ctx.net.Socket();
    const a = () => {};
    socket.on("ping", a);
    const copy = socket.listeners("ping");
    copy.push(() => {});
    socket.rawListeners("ping").length = 0;
    assert.deepEqual(socket.listeners("ping"), [a]);
    assert.deepEqual(socket.listeners("nothing"), []);
    assert.equal(socket.listenerCount("nothing"), 0);
  }),

  defineCase("lifecycle", "newListener and removeListener events name the event and the listener", async (ctx) => {
    const socket = new ctx.net.Socket();
    const log: Array<[string, unknown, unknown]> = [];
    // In this order, so that neither sees the other added.
    socket.on("removeListener", (event: unknown, fn: unknown) => log.push(["remove", event, fn]));
    socket.on("newListener", (event: unknown, fn: unknown) => log.push(["new", event, fn]));
    const a = () => {};
    const b = () => {};
    const c = () => {};
    socket.on("ping", a);
    socket.once("ping", b);
    socket.on("ping", c);
    const wrapper = socket.rawListeners("ping")[1];
    // One of several listeners is reported as given: the once wrapper when
    // removeAllListeners() removes it (by what rawListeners() holds, last first)...
    socket.removeAllListeners("ping");
    // ...and the function given to once() when removeListener() is called with it.
    socket.on("ping", a);
    socket.once("ping", b);
    socket.removeListener("ping", b);
    assert.deepEqual(log.slice(0, 5), [
      ["new", "ping", a],
      ["new", "ping", b],
      ["new", "ping", c],
      ["remove", "ping", c],
      ["remove", "ping", wrapper],
    ]);
    // The removal of the event's last listener (`a`, in between) is not asserted: Node 20's
    // net.Socket reports none (its listener "shape mode"), Node 22 and later report it.
    assert.deepEqual(log.slice(-3), [
      ["new", "ping", a],
      ["new", "ping", b],
      ["remove", "ping", b],
    ]);
    assert.equal(socket.listenerCount("ping"), 1);
  }),

  defineCase("lifecycle", "once(): the wrapper rawListeners() returns fires it once; a firing is reported", async (ctx) => {
    const socket = new ctx.net.Socket();
    const seen: unknown[] = [];
    const removed: unknown[] = [];
    socket.on("removeListener", (event: unknown, fn: unknown) => removed.push([event, fn]));
    const listener = function (this: unknown, ...args: unknown[]) {
      seen.push([this === socket, ...args]);
    };
    // Called by hand, the wrapper runs the listener with the socket as `this` and removes it.
    socket.once("ping", listener);
    const [raw] = socket.rawListeners("ping");
    assert.deepEqual(socket.rawListeners("ping"), [raw], "the same wrapper each time");
    (raw as (...args: unknown[]) => void)(1);
    (raw as (...args: unknown[]) => void)(2);
    assert.deepEqual(seen, [[true, 1]]);
    assert.equal(socket.listenerCount("ping"), 0);
    // An event's only once listener, fired. (Its removal, which names the listener itself,
    // is not asserted: Node 20's net.Socket reports none, as in the case above.)
    socket.once("ping", listener);
    socket.emit("ping", 3);
    // One of several, fired: its removal names the wrapper (what rawListeners() holds).
    const other = () => {};
    socket.on("ping", other);
    socket.once("ping", listener);
    const wrapper = socket.rawListeners("ping")[1];
    socket.emit("ping", 4);
    assert.deepEqual(seen, [[true, 1], [true, 3], [true, 4]]);
    assert.deepEqual(socket.listeners("ping"), [other]);
    assert.deepEqual(removed.at(-1), ["ping", wrapper]);
    assert.equal((wrapper as any).listener, listener);
  }),

  defineCase("lifecycle", "once() listeners: removed during an emit still run in it; counted by the function given", async (ctx) => {
    const socket = new ctx.net.Socket();
    const calls: string[] = [];
    const b = () => calls.push("b");
    // `a` removes `b` (a once listener) in the middle of the emit that would run it: that
    // emit still runs it (emit() works on the list as it was), later ones do not.
    socket.on("ping", () => {
      calls.push("a");
      socket.removeListener("ping", b);
    });
    socket.once("ping", b);
    assert.equal(socket.listenerCount("ping", b), 1);
    socket.emit("ping");
    socket.emit("ping");
    assert.deepEqual(calls, ["a", "b", "a"]);
    // prependOnceListener goes first, once.
    socket.prependOnceListener("ping", () => calls.push("p"));
    socket.emit("ping");
    socket.emit("ping");
    assert.deepEqual(calls, ["a", "b", "a", "p", "a", "a"]);
  }),

  defineCase("lifecycle", "once() and on() refuse a listener that is not a function", async (ctx) => {
    const socket = new ctx.net.Socket();
    for (const add of ["on", "once", "prependListener", "prependOnceListener"] as const) {
      assert.throws(() => (socket as any)[add]("ping", 42), {
        code: "ERR_INVALID_ARG_TYPE",
        name: "TypeError",
        message: 'The "listener" argument must be of type function. Received type number (42)',
      }, add);
    }
    assert.equal(socket.listenerCount("ping"), 0);
  }),

  // `data` is emitted per chunk, so an implementation may keep its listeners apart: the
  // same rules must hold for it as for any event.
  defineCase("lifecycle", "'data' listeners follow the same rules: order, once, removal, removeAllListeners", async (ctx) => {
    const socket = new ctx.net.Socket();
    const calls: string[] = [];
    const a = (n: number) => {
      calls.push(`a${n}`);
      socket.removeListener("data", b);
    };
    const b = (n: number) => calls.push(`b${n}`);
    socket.on("data", a);
    socket.on("data", b);
    socket.prependListener("data", (n: number) => calls.push(`p${n}`));
    socket.once("data", (n: number) => calls.push(`o${n}`));
    assert.equal(socket.emit("data", 1), true);
    assert.equal(socket.emit("data", 2), true);
    assert.deepEqual(calls, ["p1", "a1", "b1", "o1", "p2", "a2"]);
    assert.equal(socket.listenerCount("data"), 2);
    socket.removeAllListeners("data");
    assert.equal(socket.emit("data", 3), false);
    assert.equal(socket.listenerCount("data"), 0);
    socket.on("data", b);
    assert.equal(socket.emit("data", 4), true);
    socket.removeAllListeners();
    assert.equal(socket.emit("data", 5), false);
    socket.once("data", b);
    assert.equal(socket.emit("data", 6), true);
    assert.equal(socket.emit("data", 7), false);
    assert.deepEqual(calls.slice(6), ["b4", "b6"]);
    assert.equal(socket.eventNames().includes("data"), false);
  }),

  defineCase("lifecycle", "once('data') starts the flow, as on('data') does", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const got = new Promise((resolve) => peer.once("data", (chunk: Uint8Array) => resolve(String(chunk))));
    client.end("hello");
    assert.equal(await got, "hello");
  }),

  defineCase("lifecycle", "a socket's own events go through its emit(): one replaced on a subclass or on the instance sees them, with their arguments", async (ctx) => {
    // What each tap saw: event and how many arguments, for the events every runtime emits
    // (node:net also emits stream-internal ones, such as 'prefinish').
    const watched = new Set(["connect", "ready", "data", "drain", "end", "finish", "close"]);
    const clientSaw: string[] = [];
    const peerSaw: string[] = [];
    class Tapped extends ctx.net.Socket {
      emit(event: string | symbol, ...args: unknown[]): boolean {
        if (typeof event === "string" && watched.has(event)) clientSaw.push(`${event}/${args.length}`);
        return super.emit(event, ...args);
      }
    }
    let accept!: (s: any) => void;
    const accepted = new Promise<any>((resolve) => (accept = resolve));
    const server = await ctx.server((peer) => {
      const emit = peer.emit;
      peer.emit = function (event: string | symbol, ...args: unknown[]): boolean {
        if (typeof event === "string" && watched.has(event)) peerSaw.push(`${event}/${args.length}`);
        return emit.apply(this, [event, ...args]);
      };
      accept(peer);
    });
    const client = ctx.track(new Tapped() as any);
    client.connect(server.address().port, "127.0.0.1");
    // (Either may come first: the server's 'connection' and the client's 'connect' are
    // events of two sockets.)
    const [peer] = await Promise.all([accepted, once(client, "connect")]);
    peer.on("data", () => {});
    peer.on("end", () => peer.end("bye"));
    // More than the OS takes in one go: write() returns false, and 'drain' follows.
    assert.equal(client.write(new Uint8Array(16 * 1024 * 1024)), false);
    await once(client, "drain");
    client.on("data", () => {});
    client.end();
    await Promise.all([closed(client), closed(peer)]);
    assert.deepEqual(clientSaw.slice(0, 2), ["connect/0", "ready/0"]);
    assert.equal(clientSaw.at(-1), "close/1");
    assert.equal(peerSaw.at(-1), "close/1");
    for (const e of ["connect/0", "ready/0", "drain/0", "data/1", "end/0", "finish/0", "close/1"]) {
      assert.ok(clientSaw.includes(e), `the client's emit() saw ${e}: ${clientSaw.join(" ")}`);
    }
    for (const e of ["data/1", "end/0", "finish/0", "close/1"]) {
      assert.ok(peerSaw.includes(e), `the peer's emit() saw ${e}: ${peerSaw.join(" ")}`);
    }
    assert.equal(peerSaw.includes("connect/0"), false);
  }),
  defineCase("lifecycle", "event names are property keys, as in node:events: 1 and '1' are one event; an object without a string form throws", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const got: unknown[] = [];
    socket.on(1 as any, (a: unknown) => got.push(a));
    assert.equal(socket.emit("1", "x"), true);
    assert.equal(socket.emit(1 as any, "y"), true);
    assert.deepEqual(got, ["x", "y"]);
    assert.equal(socket.listenerCount("1"), 1);
    assert.ok(socket.eventNames().includes("1"));
    socket.removeAllListeners(1 as any);
    assert.equal(socket.listenerCount("1"), 0);
    assert.throws(() => socket.emit(Object.create(null)), TypeError);
  }),

  defineCase("lifecycle", "events.errorMonitor listeners see an 'error' before its listeners, and also when there is none (it still throws)", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const seen: string[] = [];
    const boom = new Error("boom");
    socket.on("error", (err: Error) => seen.push(`error:${err.message}`));
    socket.on(errorMonitor, (err: Error) => seen.push(`monitor:${err.message}`));
    assert.equal(socket.emit("error", boom), true);
    assert.deepEqual(seen, ["monitor:boom", "error:boom"]);
    assert.equal(socket.listenerCount("error"), 1);

    const bare = ctx.track(new ctx.net.Socket());
    const monitored: unknown[] = [];
    bare.on(errorMonitor, (err: unknown) => monitored.push(err));
    assert.throws(() => bare.emit("error", boom), (err: unknown) => err === boom);
    assert.deepEqual(monitored, [boom]);
  }),

  defineCase("lifecycle", "an 'error' emitted with a value that is not an Error, and no listener: ERR_UNHANDLED_ERROR naming the value as util.inspect() shows it", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const expected: Array<[unknown, string]> = [
      ["oops", "Unhandled error. ('oops')"],
      ["it's", `Unhandled error. ("it's")`],
      [42, "Unhandled error. (42)"],
      [undefined, "Unhandled error. (undefined)"],
      [null, "Unhandled error. (null)"],
      [{ code: "E_X", at: [1, "a"] }, "Unhandled error. ({ code: 'E_X', at: [ 1, 'a' ] })"],
    ];
    for (const [value, message] of expected) {
      assert.throws(() => socket.emit("error", value), (err: any) => {
        assert.equal(err.code, "ERR_UNHANDLED_ERROR");
        assert.equal(err.message, message);
        assert.equal(err.context, value);
        return true;
      });
    }
  }),

  defineCase("lifecycle", "more listeners of one event than getMaxListeners(): one MaxListenersExceededWarning per event (emitter, type, count); none past setMaxListeners(0)", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const warnings: any[] = [];
    const onWarning = (w: any) => {
      if (w.name === "MaxListenersExceededWarning" && (w.emitter === socket || w.emitter === quiet)) warnings.push(w);
    };
    const quiet = ctx.track(new ctx.net.Socket());
    process.on("warning", onWarning);
    try {
      socket.setMaxListeners(2);
      socket.on("tick", () => {});
      socket.on("tick", () => {});
      await delay(5);
      assert.equal(warnings.length, 0); // two is the limit, not past it
      socket.on("tick", () => {});
      socket.once("tick", () => {});
      socket.on("tock", () => {});
      await delay(5);
      assert.equal(warnings.length, 1); // once per event
      const [w] = warnings;
      assert.equal(w.type, "tick");
      assert.equal(w.count, 3);
      assert.equal(
        w.message,
        "Possible EventEmitter memory leak detected. 3 tick listeners added to [Socket]. " +
          "MaxListeners is 2. Use emitter.setMaxListeners() to increase limit",
      );
      quiet.setMaxListeners(0);
      for (let i = 0; i < 12; i++) quiet.on("tick", () => {});
      await delay(5);
      assert.equal(warnings.length, 1);
      assert.equal(quiet.getMaxListeners(), 0);
    } finally {
      process.off("warning", onWarning);
    }
  }),
];

export default cases;
