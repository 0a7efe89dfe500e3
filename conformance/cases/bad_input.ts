// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { closedPort, defineCase, delay, once, recordEvents } from "../harness.ts";
import { closed, connected, isA } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

type ErrorClass = "TypeError" | "RangeError" | "Error";

/**
 * `fn()` must throw synchronously an error of class `cls` (also its `name`) with `code` and,
 * when given, exactly `message`.
 */
function throwsNode(
  label: string,
  fn: () => unknown,
  cls: ErrorClass,
  code: string,
  message?: string,
): void {
  let thrown = false;
  let err: any;
  try {
    fn();
  } catch (e) {
    thrown = true;
    err = e;
  }
  assert.ok(thrown, `${label}: expected a synchronous throw`);
  const ctor = cls === "TypeError" ? TypeError : cls === "RangeError" ? RangeError : Error;
  assert.ok(isA(err, ctor), `${label}: expected a ${cls}, got ${err?.constructor?.name}`);
  assert.equal(err.name, cls, `${label}: name`);
  assert.equal(err.code, code, `${label}: code`);
  if (message !== undefined) assert.equal(err.message, message, `${label}: message`);
}

/** How Node's ERR_SOCKET_BAD_PORT / ERR_INVALID_ARG_TYPE messages show a received value. */
function received(value: unknown): string {
  if (typeof value === "string") return `type string ('${value}')`;
  if (typeof value === "number") return `type number (${value})`;
  if (typeof value === "boolean") return `type boolean (${value})`;
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an instance of Array";
  return `an instance of ${(value as object).constructor.name}`;
}

const BAD_PORTS: unknown[] = [-1, 65536, 1.5, -0.5, NaN, Infinity, 1e10, "", " ", "-1", "65536", "abc", "1.5"];

const CHUNK_TYPE_MESSAGE =
  'The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ';

const MISSING_ARGS_MESSAGE = 'The "options" or "port" or "path" argument must be specified';

const cases: Case[] = [
  defineCase("bad-input", "connect() with a bad port: ERR_SOCKET_BAD_PORT (RangeError)", async (ctx) => {
    for (const port of BAD_PORTS) {
      throwsNode(
        `connect({ port: ${JSON.stringify(port)} })`,
        () => ctx.net.connect({ port, host: "127.0.0.1" }),
        "RangeError",
        "ERR_SOCKET_BAD_PORT",
        `Port should be >= 0 and < 65536. Received ${received(port)}.`,
      );
    }
    throwsNode("connect(-1, host)", () => ctx.net.connect(-1, "127.0.0.1"), "RangeError",
      "ERR_SOCKET_BAD_PORT", "Port should be >= 0 and < 65536. Received type number (-1).");
    throwsNode("connect(65536)", () => ctx.net.connect(65536), "RangeError", "ERR_SOCKET_BAD_PORT");
    throwsNode("createConnection(1.5, host)", () => ctx.net.createConnection(1.5, "127.0.0.1"),
      "RangeError", "ERR_SOCKET_BAD_PORT");
    const socket = ctx.track(new ctx.net.Socket());
    throwsNode("socket.connect(70000, host)", () => socket.connect(70000, "127.0.0.1"),
      "RangeError", "ERR_SOCKET_BAD_PORT");
  }),

  defineCase("bad-input", "connect() with a port of a wrong type: ERR_INVALID_ARG_TYPE", async (ctx) => {
    for (const port of [true, {}, [], null]) {
      throwsNode(
        `connect({ port: ${String(port)} })`,
        () => ctx.net.connect({ port, host: "127.0.0.1" }),
        "TypeError",
        "ERR_INVALID_ARG_TYPE",
        `The "options.port" property must be one of type number or string. Received ${received(port)}`,
      );
    }
  }),

  defineCase("bad-input", "connect() with a host of a wrong type: ERR_INVALID_ARG_TYPE", async (ctx) => {
    // The message names "hostname" on Node 20 and "options.host" on Node 22+: not asserted.
    for (const host of [123, {}, [], true]) {
      throwsNode(`connect({ host: ${String(host)} })`, () => ctx.net.connect({ port: 80, host }),
        "TypeError", "ERR_INVALID_ARG_TYPE");
    }
  }),

  defineCase("bad-input", "connect() without port or path: ERR_MISSING_ARGS", async (ctx) => {
    const forms: Array<[string, () => unknown]> = [
      ["connect()", () => ctx.net.connect()],
      ["connect({})", () => ctx.net.connect({})],
      ["connect({ host })", () => ctx.net.connect({ host: "127.0.0.1" })],
      ["connect({ port: undefined })", () => ctx.net.connect({ port: undefined, host: "127.0.0.1" })],
      ["createConnection()", () => ctx.net.createConnection()],
      ["new Socket().connect()", () => ctx.track(new ctx.net.Socket()).connect()],
      ["new Socket().connect({})", () => ctx.track(new ctx.net.Socket()).connect({})],
    ];
    for (const [label, fn] of forms) {
      throwsNode(label, fn, "TypeError", "ERR_MISSING_ARGS", MISSING_ARGS_MESSAGE);
    }
  }),

  defineCase("bad-input", "connect() with a non-string path: ERR_INVALID_ARG_TYPE", async (ctx) => {
    throwsNode("connect({ path: 123 })", () => ctx.net.connect({ path: 123 }), "TypeError",
      "ERR_INVALID_ARG_TYPE",
      'The "options.path" property must be of type string. Received type number (123)');
  }),

  defineCase("bad-input", "connect() with a bad localAddress or localPort", async (ctx) => {
    throwsNode("localAddress: 'abc'",
      () => ctx.net.connect({ port: 80, host: "127.0.0.1", localAddress: "abc" }),
      "TypeError", "ERR_INVALID_IP_ADDRESS", "Invalid IP address: abc");
    throwsNode("localPort: 'abc'",
      () => ctx.net.connect({ port: 80, host: "127.0.0.1", localPort: "abc" }),
      "TypeError", "ERR_INVALID_ARG_TYPE",
      `The "options.localPort" property must be of type number. Received type string ('abc')`);
  }),

  defineCase("bad-input", "connect() with a bad timeout option", async (ctx) => {
    throwsNode("timeout: 'x'", () => ctx.net.connect({ port: 80, host: "127.0.0.1", timeout: "x" }),
      "TypeError", "ERR_INVALID_ARG_TYPE",
      `The "msecs" argument must be of type number. Received type string ('x')`);
    throwsNode("timeout: -1", () => ctx.net.connect({ port: 80, host: "127.0.0.1", timeout: -1 }),
      "RangeError", "ERR_OUT_OF_RANGE",
      'The value of "msecs" is out of range. It must be a non-negative finite number. Received -1');
  }),

  defineCase("bad-input", "write() of a bad chunk throws a TypeError and leaves the socket usable", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const log = recordEvents(client, ["error", "close"]);
    for (const chunk of [123, {}, true, undefined, new ArrayBuffer(2)]) {
      throwsNode(`write(${received(chunk)})`, () => client.write(chunk), "TypeError",
        "ERR_INVALID_ARG_TYPE", CHUNK_TYPE_MESSAGE + received(chunk));
    }
    throwsNode("end(123)", () => client.end(123), "TypeError", "ERR_INVALID_ARG_TYPE",
      CHUNK_TYPE_MESSAGE + "type number (123)");
    throwsNode("write(null)", () => client.write(null), "TypeError", "ERR_STREAM_NULL_VALUES",
      "May not write null values to stream");
    await delay(20);
    assert.deepEqual([...log], []);
    assert.equal(client.destroyed, false);
    assert.equal(client.readyState, "open");
    assert.equal(client.bytesWritten, 0);
    // Any TypedArray or DataView is fine.
    client.write(new Uint16Array([0x6968])); // 2 bytes
    client.end(new DataView(new Uint8Array([33]).buffer));
    const chunks: Uint8Array[] = [];
    peer.on("data", (d: Uint8Array) => chunks.push(d));
    await once(peer, "end");
    assert.equal(chunks.reduce((n, c) => n + c.byteLength, 0), 3);
  }),

  defineCase("bad-input", "write() with an unknown encoding: ERR_UNKNOWN_ENCODING", async (ctx) => {
    const { client, peer } = await connected(ctx);
    throwsNode("write('x', 'bogus')", () => client.write("x", "bogus"), "TypeError",
      "ERR_UNKNOWN_ENCODING", "Unknown encoding: bogus");
    throwsNode("write(buffer, 'bogus')", () => client.write(new Uint8Array([1]), "bogus"),
      "TypeError", "ERR_UNKNOWN_ENCODING", "Unknown encoding: bogus");
    throwsNode("end('x', 'bogus')", () => client.end("x", "bogus"), "TypeError",
      "ERR_UNKNOWN_ENCODING", "Unknown encoding: bogus");
    assert.equal(client.destroyed, false);
    client.end("ok");
    peer.setEncoding("utf8");
    const [chunk] = await once(peer, "data");
    assert.equal(chunk, "ok");
  }),

  defineCase("bad-input", "setEncoding() with an unknown encoding: ERR_UNKNOWN_ENCODING", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    throwsNode("setEncoding('bogus')", () => socket.setEncoding("bogus"), "TypeError",
      "ERR_UNKNOWN_ENCODING", "Unknown encoding: bogus");
    throwsNode("setEncoding('utf-9')", () => socket.setEncoding("utf-9"), "TypeError",
      "ERR_UNKNOWN_ENCODING", "Unknown encoding: utf-9");
    // Encoding names are case-insensitive.
    assert.equal(socket.setEncoding("UTF-8"), socket);
  }),

  defineCase("bad-input", "setTimeout() with bad arguments", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    for (const msecs of ["x", "10", null, undefined, {}, true]) {
      throwsNode(`setTimeout(${received(msecs)})`, () => socket.setTimeout(msecs), "TypeError",
        "ERR_INVALID_ARG_TYPE", `The "msecs" argument must be of type number. Received ${received(msecs)}`);
    }
    for (const msecs of [-1, NaN, Infinity, -Infinity]) {
      throwsNode(`setTimeout(${msecs})`, () => socket.setTimeout(msecs), "RangeError",
        "ERR_OUT_OF_RANGE",
        `The value of "msecs" is out of range. It must be a non-negative finite number. Received ${msecs}`);
    }
    for (const msecs of [10, 0]) {
      throwsNode(`setTimeout(${msecs}, 'nope')`, () => socket.setTimeout(msecs, "nope"), "TypeError",
        "ERR_INVALID_ARG_TYPE", `The "callback" argument must be of type function. Received type string ('nope')`);
    }
    socket.setTimeout(0);
  }),

  defineCase("bad-input", "listen() with a bad port: ERR_SOCKET_BAD_PORT, server reusable", async (ctx) => {
    const server = ctx.track(ctx.net.createServer());
    const log = recordEvents(server, ["listening", "error", "close"]);
    // A string that is not a number >= 0 ("abc", "-1") is a Unix socket path for
    // listen(port...), so such strings are only tried as options.port.
    for (const port of [-1, 65536, 1.5, -0.5, NaN, Infinity, 1e10, "", " ", "65536"]) {
      throwsNode(`listen(${JSON.stringify(port)}, host)`, () => server.listen(port, "127.0.0.1"),
        "RangeError", "ERR_SOCKET_BAD_PORT",
        `options.port should be >= 0 and < 65536. Received ${received(port)}.`);
    }
    for (const port of [-1, 65536, "abc", "-1"]) {
      throwsNode(`listen({ port: ${JSON.stringify(port)} })`,
        () => server.listen({ port, host: "127.0.0.1" }), "RangeError", "ERR_SOCKET_BAD_PORT",
        `options.port should be >= 0 and < 65536. Received ${received(port)}.`);
    }
    await delay(20);
    assert.deepEqual([...log], []);
    assert.equal(server.listening, false);
    await ctx.listen(server);
    assert.equal(server.listening, true);
  }),

  defineCase("bad-input", "listen() with a port of a wrong type: ERR_INVALID_ARG_VALUE", async (ctx) => {
    const server = ctx.track(ctx.net.createServer());
    throwsNode("listen(true)", () => server.listen(true), "TypeError", "ERR_INVALID_ARG_VALUE");
    throwsNode("listen({ port: true })", () => server.listen({ port: true, host: "127.0.0.1" }),
      "TypeError", "ERR_INVALID_ARG_VALUE");
    assert.equal(server.listening, false);
  }),

  defineCase("bad-input", "listen() without port or path: ERR_INVALID_ARG_VALUE", async (ctx) => {
    const server = ctx.track(ctx.net.createServer());
    throwsNode("listen({})", () => server.listen({}), "TypeError", "ERR_INVALID_ARG_VALUE",
      `The argument 'options' must have the property "port" or "path". Received {}`);
    throwsNode("listen({ host })", () => server.listen({ host: "127.0.0.1" }), "TypeError",
      "ERR_INVALID_ARG_VALUE",
      `The argument 'options' must have the property "port" or "path". Received { host: '127.0.0.1' }`);
    assert.equal(server.listening, false);
  }),

  defineCase("bad-input", "listen() with a non-string host or a bad signal", async (ctx) => {
    const server = ctx.track(ctx.net.createServer());
    throwsNode("listen({ port: 0, host: 123 })", () => server.listen({ port: 0, host: 123 }),
      "TypeError", "ERR_INVALID_ARG_TYPE");
    throwsNode("listen({ signal: 1 })",
      () => server.listen({ port: 0, host: "127.0.0.1", signal: 1 }), "TypeError",
      "ERR_INVALID_ARG_TYPE",
      'The "options.signal" property must be an instance of AbortSignal. Received type number (1)');
    assert.equal(server.listening, false);
  }),

  defineCase("bad-input", "listen() does not validate the backlog", async (ctx) => {
    // Node passes any backlog through (the OS clamps it): these all listen.
    for (const backlog of [-1, 0, 1.5, "x"]) {
      const server = ctx.track(ctx.net.createServer());
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", backlog, () => resolve());
      });
      assert.equal(server.listening, true);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }),

  defineCase("bad-input", "createServer() and new Server() with non-object options", async (ctx) => {
    for (const options of ["x", 1, true]) {
      const message = `The "options" argument must be of type object. Received ${received(options)}`;
      throwsNode(`createServer(${JSON.stringify(options)})`, () => ctx.net.createServer(options),
        "TypeError", "ERR_INVALID_ARG_TYPE", message);
      throwsNode(`new Server(${JSON.stringify(options)})`, () => new ctx.net.Server(options),
        "TypeError", "ERR_INVALID_ARG_TYPE", message);
    }
    // null and undefined mean "no options".
    assert.ok(ctx.net.createServer(null) instanceof ctx.net.Server);
    assert.ok(ctx.net.createServer(undefined) instanceof ctx.net.Server);
  }),

  defineCase("bad-input", "keepAliveInitialDelay must be a number", async (ctx) => {
    const message = `The "options.keepAliveInitialDelay" property must be of type number. Received type string ('x')`;
    throwsNode("createServer({ keepAliveInitialDelay: 'x' })",
      () => ctx.net.createServer({ keepAliveInitialDelay: "x" }), "TypeError", "ERR_INVALID_ARG_TYPE", message);
    throwsNode("new Socket({ keepAliveInitialDelay: 'x' })",
      () => new ctx.net.Socket({ keepAliveInitialDelay: "x" }), "TypeError", "ERR_INVALID_ARG_TYPE", message);
  }),

  defineCase("bad-input", "new Socket() with invalid options", async (ctx) => {
    throwsNode("new Socket({ fd: 'x' })", () => new ctx.net.Socket({ fd: "x" }), "TypeError",
      "ERR_INVALID_ARG_TYPE", `The "fd" argument must be of type number. Received type string ('x')`);
    throwsNode("new Socket({ fd: -1 })", () => new ctx.net.Socket({ fd: -1 }), "RangeError",
      "ERR_OUT_OF_RANGE");
    throwsNode("new Socket({ objectMode: true })", () => new ctx.net.Socket({ objectMode: true }),
      "TypeError", "ERR_INVALID_ARG_VALUE", "The property 'options.objectMode' is not supported. Received true");
    throwsNode("new Socket({ readableObjectMode: true })",
      () => new ctx.net.Socket({ readableObjectMode: true }), "TypeError", "ERR_INVALID_ARG_VALUE",
      "The property 'options.readableObjectMode' is not supported. Received true");
    const signalMessage = 'The "signal" argument must be an instance of AbortSignal. Received type number (1)';
    throwsNode("new Socket({ signal: 1 })", () => new ctx.net.Socket({ signal: 1 }), "TypeError",
      "ERR_INVALID_ARG_TYPE", signalMessage);
    throwsNode("connect({ signal: 1 })",
      () => ctx.net.connect({ port: 80, host: "127.0.0.1", signal: 1 }), "TypeError",
      "ERR_INVALID_ARG_TYPE", signalMessage);
  }),

  defineCase("bad-input", "isIPv4 / isIP on IPv4-like strings", async (ctx) => {
    const valid = ["127.0.0.1", "0.0.0.0", "255.255.255.255", "1.2.3.4", "10.0.0.255"];
    const invalid = [
      "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "0.0.0.00", "127.000.0.1",
      " 1.2.3.4", "1.2.3.4 ", "1.2.3.4\n", "", "abc", "localhost", "0x7f.0.0.1", "127.1",
      "1.2.3.4/24", "1.2.3.4%eth0", "1.2.3.-1",
    ];
    for (const s of valid) {
      assert.equal(ctx.net.isIP(s), 4, s);
      assert.equal(ctx.net.isIPv4(s), true, s);
      assert.equal(ctx.net.isIPv6(s), false, s);
    }
    for (const s of invalid) {
      assert.equal(ctx.net.isIP(s), 0, JSON.stringify(s));
      assert.equal(ctx.net.isIPv4(s), false, JSON.stringify(s));
      assert.equal(ctx.net.isIPv6(s), false, JSON.stringify(s));
    }
  }),

  defineCase("bad-input", "isIPv6 / isIP on IPv6 strings, zone ids, mapped IPv4", async (ctx) => {
    const valid = [
      "::", "::1", "2001:db8::1", "2001:0db8:0000:0000:0000:0000:0000:0001", "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "FE80::1", "fe80::1%eth0", "fe80::1%1",
      "1:2:3:4:5:6:7:8%eth0", "::ffff:127.0.0.1", "::FFFF:1.2.3.4", "64:ff9b::1.2.3.4",
    ];
    const invalid = [
      "2001:db8::1::1", "1:2:3:4:5:6:7:8:9", "gggg::1", "[::1]", "::1/128", ":::", "fe80::1%",
      "fe80::1%eth0%1", "fe80::1%en 0", "::ffff:256.1.1.1", "1::2:3:4:5:6:1.2.3.4", "1:2",
    ];
    for (const s of valid) {
      assert.equal(ctx.net.isIP(s), 6, s);
      assert.equal(ctx.net.isIPv6(s), true, s);
      assert.equal(ctx.net.isIPv4(s), false, s);
    }
    for (const s of invalid) {
      assert.equal(ctx.net.isIP(s), 0, s);
      assert.equal(ctx.net.isIPv6(s), false, s);
      assert.equal(ctx.net.isIPv4(s), false, s);
    }
  }),

  defineCase("bad-input", "isIP family of functions on non-strings: no throw, stringified", async (ctx) => {
    for (const value of [123, 2130706433, null, undefined, {}, [], true, false, NaN]) {
      assert.equal(ctx.net.isIP(value), 0, String(value));
      assert.equal(ctx.net.isIPv4(value), false, String(value));
      assert.equal(ctx.net.isIPv6(value), false, String(value));
    }
    // Objects are converted to strings first.
    assert.equal(ctx.net.isIP({ toString: () => "::1" }), 6);
    assert.equal(ctx.net.isIPv4({ toString: () => "1.2.3.4" }), true);
    assert.equal(ctx.net.isIP(["127.0.0.1"]), 4);
  }),

  defineCase("bad-input", "setDefaultAutoSelectFamilyAttemptTimeout() validates and clamps", async (ctx) => {
    const original = ctx.net.getDefaultAutoSelectFamilyAttemptTimeout();
    ctx.defer(() => ctx.net.setDefaultAutoSelectFamilyAttemptTimeout(original));
    // The default differs between Node versions: not asserted, only that it is a number.
    assert.equal(typeof original, "number");
    for (const value of ["x", "100", null, undefined, true, {}]) {
      throwsNode(`set(${received(value)})`, () => ctx.net.setDefaultAutoSelectFamilyAttemptTimeout(value as any),
        "TypeError", "ERR_INVALID_ARG_TYPE",
        `The "value" argument must be of type number. Received ${received(value)}`);
    }
    for (const value of [-1, 0, 2 ** 31]) {
      throwsNode(`set(${value})`, () => ctx.net.setDefaultAutoSelectFamilyAttemptTimeout(value as any),
        "RangeError", "ERR_OUT_OF_RANGE");
    }
    throwsNode("set(0)", () => ctx.net.setDefaultAutoSelectFamilyAttemptTimeout(0), "RangeError",
      "ERR_OUT_OF_RANGE",
      'The value of "value" is out of range. It must be >= 1 && <= 2147483647. Received 0');
    for (const value of [1.5, NaN, Infinity]) {
      throwsNode(`set(${value})`, () => ctx.net.setDefaultAutoSelectFamilyAttemptTimeout(value as any),
        "RangeError", "ERR_OUT_OF_RANGE",
        `The value of "value" is out of range. It must be an integer. Received ${value}`);
    }
    // Nothing was changed by the bad calls.
    assert.equal(ctx.net.getDefaultAutoSelectFamilyAttemptTimeout(), original);
    // Values below 10 are raised to 10.
    ctx.net.setDefaultAutoSelectFamilyAttemptTimeout(1);
    assert.equal(ctx.net.getDefaultAutoSelectFamilyAttemptTimeout(), 10);
    ctx.net.setDefaultAutoSelectFamilyAttemptTimeout(9);
    assert.equal(ctx.net.getDefaultAutoSelectFamilyAttemptTimeout(), 10);
    ctx.net.setDefaultAutoSelectFamilyAttemptTimeout(1234);
    assert.equal(ctx.net.getDefaultAutoSelectFamilyAttemptTimeout(), 1234);
  }),

  defineCase("bad-input", "setDefaultAutoSelectFamily() takes only booleans", async (ctx) => {
    const original = ctx.net.getDefaultAutoSelectFamily();
    ctx.defer(() => ctx.net.setDefaultAutoSelectFamily(original));
    for (const value of ["x", 1, 0, null, undefined]) {
      throwsNode(`setDefaultAutoSelectFamily(${received(value)})`,
        () => ctx.net.setDefaultAutoSelectFamily(value as any), "TypeError", "ERR_INVALID_ARG_TYPE",
        `The "value" argument must be of type boolean. Received ${received(value)}`);
    }
    assert.equal(ctx.net.getDefaultAutoSelectFamily(), original);
    ctx.net.setDefaultAutoSelectFamily(!original);
    assert.equal(ctx.net.getDefaultAutoSelectFamily(), !original);
  }),

  defineCase("bad-input", "write() and end(): a falsy encoding is the default one, a callback that is not a function is ignored, null is refused before the encoding", async (ctx) => {
    const server = await ctx.server((s) => s.resume());
    const client = ctx.track(ctx.net.connect(server.address().port, "127.0.0.1"));
    await once(client, "connect");
    for (const encoding of [null, "", 0, false, Number.NaN]) {
      assert.equal(client.write("ab", encoding as any), true, `write("ab", ${String(encoding)})`);
    }
    for (const cb of [null, 0, "x", {}, 5]) {
      assert.equal(client.write("ab", "utf8", cb as any), true, `write("ab", "utf8", ${String(cb)})`);
    }
    throwsNode("write(null, 'bogus')", () => client.write(null as any, "bogus"), "TypeError", "ERR_STREAM_NULL_VALUES");
    throwsNode("write(5, 'bogus')", () => client.write(5 as any, "bogus"), "TypeError", "ERR_UNKNOWN_ENCODING",
      "Unknown encoding: bogus");
    assert.equal(client.bytesWritten, 20, "every write above went out, utf8");
    const ended = client.end("cd", 0 as any, 42 as any);
    assert.equal(ended, client);
    await once(client, "finish");
    assert.equal(client.bytesWritten, 22);
  }),

  defineCase("bad-input", "setDefaultEncoding() takes what Buffer.isEncoding() knows, in any case: not 'buffer', '', null or a non-string", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    assert.equal(socket.setDefaultEncoding("LATIN1"), socket);
    for (const bad of ["buffer", "", undefined, null, 0, {}]) {
      throwsNode(`setDefaultEncoding(${String(bad)})`, () => socket.setDefaultEncoding(bad as any), "TypeError",
        "ERR_UNKNOWN_ENCODING");
    }
  }),

  defineCase("bad-input", "new Socket(options): anything but a number is read as its spread would be, and only a truthy signal is looked at", async (ctx) => {
    for (const options of [null, true, "abc", [1], () => {}]) {
      const socket = ctx.track(new ctx.net.Socket(options as any));
      assert.equal(socket.allowHalfOpen, false, `new Socket(${String(options)})`);
      socket.destroy();
    }
    throwsNode("new Socket(-1)", () => new ctx.net.Socket(-1 as any), "RangeError", "ERR_OUT_OF_RANGE",
      'The value of "fd" is out of range. It must be >= 0 && <= 2147483647. Received -1');
    throwsNode("new Socket(1.5)", () => new ctx.net.Socket(1.5 as any), "RangeError", "ERR_OUT_OF_RANGE",
      'The value of "fd" is out of range. It must be an integer. Received 1.5');
    for (const signal of [null, 0, "", false]) {
      ctx.track(new ctx.net.Socket({ signal } as any)).destroy();
    }
    for (const signal of [1, "x", {}]) {
      throwsNode(`new Socket({ signal: ${String(signal)} })`, () => new ctx.net.Socket({ signal } as any), "TypeError",
        "ERR_INVALID_ARG_TYPE");
    }
  }),

  defineCase("bad-input", "connect() to an IP address checks nothing about the lookup; to a name, dns.lookup checks family and hints, a lookup of the program's takes them as they are", async (ctx) => {
    const port = await closedPort(ctx);
    const ip = [
      ctx.net.connect({ port, host: "127.0.0.1", lookup: 5 as any }),
      ctx.net.connect({ port, host: "127.0.0.1", family: 5 as any }),
      ctx.net.connect({ port, host: "127.0.0.1", hints: -5 }),
    ];
    for (const socket of ip) {
      ctx.track(socket);
      socket.on("error", () => {});
    }
    await Promise.all(ip.map((socket) => closed(socket)));
    throwsNode("a name with lookup: 5", () => ctx.net.connect({ port, host: "x.test", lookup: 5 as any }), "TypeError",
      "ERR_INVALID_ARG_TYPE", 'The "options.lookup" property must be of type function. Received type number (5)');
    throwsNode("a name with family: 5", () => ctx.net.connect({ port, host: "x.test", family: 5 as any }), "TypeError",
      "ERR_INVALID_ARG_VALUE", "The property 'options.family' must be one of: 0, 4, 6. Received 5");
    throwsNode("a name with hints: -5", () => ctx.net.connect({ port, host: "x.test", hints: -5 }), "TypeError",
      "ERR_INVALID_ARG_VALUE", "The argument 'hints' is invalid. Received 4294967291");
    throwsNode("a name with hints: 'a'", () => ctx.net.connect({ port, host: "x.test", hints: "a" as any }), "TypeError",
      "ERR_INVALID_ARG_TYPE");
    const asked: any[] = [];
    const lookup = (_host: string, options: any, cb: (...args: any[]) => void) => {
      asked.push(options.family);
      setTimeout(() => cb(null, [{ address: "127.0.0.1", family: 4 }]), 0);
    };
    const custom = ctx.track(ctx.net.connect({ port, host: "x.test", family: 5 as any, hints: -5, lookup }));
    custom.on("error", () => {});
    await closed(custom);
    assert.deepEqual(asked, [5], "the program's lookup gets the family as given");
  }),

  defineCase("bad-input", "connect() with a falsy host (0, false, '') goes to localhost", async (ctx) => {
    const server = await ctx.server((s) => s.end());
    for (const host of [0, false, ""]) {
      const client = ctx.track(ctx.net.connect({ port: server.address().port, host: host as any }));
      await once(client, "connect");
      assert.equal(client.remoteAddress, "127.0.0.1", `host ${JSON.stringify(host)}`);
      client.destroy();
    }
  }),

  defineCase("bad-input", "highWaterMark options as Node's getHighWaterMark: an integer >= 0, else ERR_INVALID_ARG_VALUE naming the side's option; null is the default", async (ctx) => {
    const cases: Array<[object, string, unknown]> = [
      [{ highWaterMark: -1 }, "options.readableHighWaterMark", -1],
      [{ highWaterMark: 1.5 }, "options.readableHighWaterMark", 1.5],
      [{ readableHighWaterMark: "5" }, "options.readableHighWaterMark", "'5'"],
      [{ writableHighWaterMark: -1 }, "options.writableHighWaterMark", -1],
      [{ readableHighWaterMark: Number.NaN }, "options.readableHighWaterMark", Number.NaN],
    ];
    for (const [options, name, shown] of cases) {
      throwsNode(`new Socket(${JSON.stringify(options)})`, () => new ctx.net.Socket(options), "TypeError",
        "ERR_INVALID_ARG_VALUE", `The property '${name}' is invalid. Received ${shown}`);
    }
    ctx.track(new ctx.net.Socket({ highWaterMark: null, readableHighWaterMark: undefined } as any)).destroy();
  }),

  defineCase("bad-input", "setMaxListeners(), getConnections() and isIP() check their argument as Node does", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    throwsNode("setMaxListeners()", () => socket.setMaxListeners(undefined as any), "TypeError", "ERR_INVALID_ARG_TYPE",
      'The "setMaxListeners" argument must be of type number. Received undefined');
    throwsNode("setMaxListeners(-1)", () => socket.setMaxListeners(-1), "RangeError", "ERR_OUT_OF_RANGE",
      'The value of "setMaxListeners" is out of range. It must be >= 0. Received -1');
    throwsNode("setMaxListeners(NaN)", () => socket.setMaxListeners(Number.NaN), "RangeError", "ERR_OUT_OF_RANGE");
    assert.equal(socket.setMaxListeners(Infinity), socket);
    const server = ctx.net.createServer();
    throwsNode("getConnections(5)", () => server.getConnections(5 as any), "TypeError", "ERR_INVALID_ARG_TYPE",
      'The "callback" argument must be of type function. Received type number (5)');
    assert.equal(ctx.net.isIP({ toString: () => "10.0.0.1" }), 4, "an object's toString() counts");
    assert.equal(ctx.net.isIPv6(["::1"]), true);
    assert.throws(() => ctx.net.isIP(Symbol("s")), TypeError);
  }),

  defineCase("bad-input", "SocketAddress: defaults stand for undefined only (null is checked), an array is not options", async (ctx) => {
    const { SocketAddress } = ctx.net;
    throwsNode("new SocketAddress([])", () => new SocketAddress([]), "TypeError", "ERR_INVALID_ARG_TYPE",
      'The "options" argument must be of type object. Received an instance of Array');
    throwsNode("family: null", () => new SocketAddress({ family: null }), "TypeError", "ERR_INVALID_ARG_VALUE",
      "The property 'options.family' is invalid. Received null");
    throwsNode("address: null", () => new SocketAddress({ address: null }), "TypeError", "ERR_INVALID_ARG_TYPE",
      'The "options.address" property must be of type string. Received null');
    throwsNode("port: null", () => new SocketAddress({ port: null }), "RangeError", "ERR_SOCKET_BAD_PORT");
    assert.equal(new SocketAddress({ port: undefined, family: undefined }).address, "127.0.0.1");
  }),

  defineCase("bad-input", "values in messages as Node shows them (%s and util.inspect): objects, arrays, functions, bigints, typed arrays, dates", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    const shown: Array<[unknown, string]> = [
      [{}, "{}"],
      [[], "[]"],
      [[80], "[ 80 ]"],
      [10n, "10n"],
      [new Uint8Array(2), "0,0"],
      [new Date(0), "1970-01-01T00:00:00.000Z"],
      [new Map([[1, 2]]), "Map(1) { 1 => 2 }"],
      [new (class Foo {})(), "Foo {}"],
      [{ a: { b: 1 } }, "{ a: [Object] }"],
      [/re/g, "/re/g"],
    ];
    for (const [value, text] of shown) {
      throwsNode(`setEncoding(${text})`, () => socket.setEncoding(value as any), "TypeError", "ERR_UNKNOWN_ENCODING",
        `Unknown encoding: ${text}`);
    }
    throwsNode("localAddress: {}", () => ctx.net.connect({ port: 80, host: "127.0.0.1", localAddress: {} as any }),
      "TypeError", "ERR_INVALID_IP_ADDRESS", "Invalid IP address: {}");
    const server = ctx.net.createServer();
    throwsNode("listen({ port: [] })", () => server.listen({ port: [] as any, host: "127.0.0.1" }), "TypeError",
      "ERR_INVALID_ARG_VALUE", "The argument 'options' is invalid. Received { port: [], host: '127.0.0.1' }");
    throwsNode("listen({ path: fn })", () => server.listen({ path: (() => {}) as any }), "TypeError",
      "ERR_INVALID_ARG_VALUE", "The argument 'options' is invalid. Received { path: [Function: path] }");
    const anonymous = Object.defineProperty(() => {}, "name", { value: "" });
    throwsNode("listen({ path: anonymous fn })", () => server.listen({ path: anonymous as any }), "TypeError",
      "ERR_INVALID_ARG_VALUE", "The argument 'options' is invalid. Received { path: [Function (anonymous)] }");
    throwsNode("listen({ host: 5 })", () => server.listen({ port: 0, host: 5 as any }), "TypeError",
      "ERR_INVALID_ARG_TYPE", 'The "hostname" argument must be of type string. Received type number (5)');
    throwsNode("listen(new Set([1]))", () => server.listen(new Set([1]) as any), "TypeError", "ERR_INVALID_ARG_VALUE",
      `The argument 'options' must have the property "port" or "path". Received Set(1) { 1 }`);
    throwsNode("listen({ port: { a: { b: { c: 1 } } } })", () => server.listen({ port: { a: { b: { c: 1 } } } } as any),
      "TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'options' is invalid. Received { port: { a: { b: [Object] } } }");
  }),

  defineCase("bad-input", "pipe() into something that is not an emitter throws before the socket changes", async (ctx) => {
    const socket = ctx.track(new ctx.net.Socket());
    assert.throws(() => socket.pipe({ write() {}, end() {} } as any), TypeError);
    assert.equal(socket.listenerCount("data"), 0, "no data listener left behind");
    assert.equal(socket.isPaused(), false);
  }),
];

export default cases;
