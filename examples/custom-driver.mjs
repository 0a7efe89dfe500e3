// Writing an adapter, and checking it with the conformance suite.
//
// An adapter is a `Driver` (crossnet/core documents the contract): resolve a name, open one
// connection to one address, listen, and per connection start / pause / resume / write /
// shutdown / close / reset / setNoDelay / setKeepAlive / ref / unref (and, optionally,
// writeQueueSize). `createNet(driver)` turns it into node:net's whole API; every rule with
// meaning stays in crossnet's core.
//
// This one wraps the driver of the runtime it runs on and counts the bytes going through
// it. (An adapter for a new runtime would talk to that runtime's sockets instead.) Then it
// runs two areas of crossnet's conformance suite against it, with a tiny runner of its own;
// in a real project, pass your test runner's `test` to `registerSuite` instead.
//
// Run: node examples/custom-driver.mjs | deno run -A examples/custom-driver.mjs | bun examples/custom-driver.mjs
import { createNet } from "crossnet/core";
import { cases, registerSuite } from "crossnet/conformance";
import { networkInterfaces } from "node:os";
import process from "node:process";

/** A Driver that delegates to `inner` and counts the bytes read and written. */
function countingDriver(inner, counts) {
  const wrap = (connection) => ({
    info: () => connection.info(),
    start: (sink) =>
      connection.start({
        _data(chunk) {
          counts.read += chunk.byteLength;
          sink._data(chunk);
        },
        _eof: () => sink._eof(),
        _error: (err) => sink._error(err),
      }),
    pause: () => connection.pause(),
    resume: () => connection.resume(),
    write(data, done) {
      counts.written += data.byteLength;
      // true: written at once, `done` will not be called; false: `done` comes later.
      return connection.write(data, done);
    },
    // Optional: how much of the write in flight the OS has not taken yet (idle timeouts).
    writeQueueSize: () => connection.writeQueueSize?.() ?? 0,
    shutdown: (done) => connection.shutdown(done),
    close: () => connection.close(),
    reset: () => connection.reset(),
    setNoDelay: (noDelay) => connection.setNoDelay(noDelay),
    setKeepAlive: (enable, initialDelayMs) => connection.setKeepAlive(enable, initialDelayMs),
    ref: () => connection.ref(),
    unref: () => connection.unref(),
  });
  return {
    name: `counting ${inner.name}`,
    lookup: (hostname, family, done) => inner.lookup(hostname, family, done),
    connect: (options, done) => inner.connect(options, (err, connection) => done(err, connection && wrap(connection))),
    listen: (options, onConnection) => inner.listen(options, (connection) => onConnection(wrap(connection))),
    ...(inner.unrefTimer ? { unrefTimer: (timer) => inner.unrefTimer(timer) } : {}),
  };
}

// The driver to wrap: this runtime's own, from the entry that pins it.
const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
const pinned = await import(`crossnet/${runtime}`);
const inner = { node: pinned.createNodeDriver, deno: pinned.createDenoDriver, bun: pinned.createBunDriver }[runtime]();

const counts = { read: 0, written: 0 };
const net = createNet(countingDriver(inner, counts));

// registerSuite hands each case to a `test(name, fn, { skip, timeoutMs })` function.
const tests = [];
const areas = ["lifecycle", "half-close"];
registerSuite(
  (name, fn, { skip }) => tests.push({ name, fn, skip }),
  cases.filter((c) => areas.includes(c.area)),
  { name: "counting driver", net, capabilities: ["extras", "node22", "node24", "node24.21"] },
  {
    runtime: { name: runtime, version: "" },
    env: {
      runtime,
      platform: process.platform,
      ipv6: Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === "::1")),
    },
  },
);

let failed = 0;
for (const { name, fn, skip } of tests) {
  if (skip) continue;
  try {
    await fn();
  } catch (err) {
    failed++;
    console.log(`failed: ${name}: ${err?.message ?? err}`);
  }
}
console.log(`${areas.join(" and ")} cases on the counting driver: ${
  tests.length === 0 ? "none ran" : failed ? `${failed} failed` : "all passed"
}`);
console.log("bytes went through the driver both ways:", counts.read > 0 && counts.written > 0);

// Prints:
// lifecycle and half-close cases on the counting driver: all passed
// bytes went through the driver both ways: true
