#!/usr/bin/env node
// Differential check of bad input: every call below, with each of ~35 odd values (undefined,
// null, -1, NaN, "", "abc", {}, [], a function, a symbol, 10n, a Date...), on real node:net
// and on crossnet (dist/node.js) under the Node that runs this, and what each does at once:
// returns (and what) or throws (class, code, message). A line per difference; the exit code
// is 1 when there is one. Only synchronous answers are compared (each socket is destroyed
// at once); connections go to 127.0.0.1 only.
//
// Not part of `npm test`: the cases it found are in conformance/cases/bad_input.ts, which
// runs on every runtime. Known and left: `new Socket(fd)` with a number (crossnet has no
// file descriptors to wrap: ERR_INVALID_ARG_VALUE where Node checks the descriptor's type),
// and connect() on a socket that is connecting or open (crossnet throws ERR_SOCKET_CLOSED
// at once; Node starts a second connect on the same handle).
//
// Usage: node_modules/node24/bin/node scripts/bad-input-diff.mjs (needs dist/: npm run build;
// Node 24: crossnet follows the current Node). REF_ONLY=1 prints node:net's answers alone,
// to compare Node versions with each other.
import * as nodeNet from "node:net";
const cross = await import("../dist/node.js");
/** Numbers given to `new Socket()` are file descriptors: crossnet has none to wrap (see above). */
const KNOWN = (name, v) =>
  (name === "new Socket(x)" && typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 2147483647) ||
  // connect() on a socket already connecting or open: crossnet refuses at once (README).
  name === "connect twice (x)";
const VALUES = [undefined, null, -1, 0, 1, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 65535, 65536, "", "abc", "80", " 80", "0x50", "1e3", "-1",
  {}, [], [80], () => {}, Symbol("s"), 10n, true, false, new Uint8Array(2), "127.0.0.1", "::1", "utf8", "hex", "bogus", 1e10, -0, new Date(0),
  new Map([[1, 2]]), new Set([1]), Object.create(null), new (class Foo {})(), { a: { b: { c: { d: 1 } } } }, new Array(120).fill(0),
  new Error("x"), /re/g, "it's", "a string longer than twenty-eight characters", { x: "y", n: null, u: undefined }, [[1, [2, [3, [4]]]]]];
const show = (v) => { try { return typeof v === "symbol" ? v.toString() : typeof v === "bigint" ? v + "n" : typeof v === "function" ? "fn" : JSON.stringify(v) ?? String(v); } catch { return String(v); } };
function attempt(net, fn) {
  const made = [];
  const track = (x) => { if (x && typeof x.destroy === "function") made.push(x); if (x && typeof x.close === "function" && !x.destroy) made.push(x); return x; };
  let res;
  try { const r = fn(net, track); res = "ok" + (r === undefined ? "" : ":" + (typeof r === "object" && r !== null ? r.constructor?.name : show(r))); }
  catch (e) { res = `throw ${e?.name} ${e?.code} ${e?.message}`; }
  for (const m of made) { try { m.on?.("error", () => {}); m.destroy ? m.destroy() : m.close(); } catch {} }
  return res;
}
/**
 * A host that is a name (not an IP address, not localhost) would be looked up, by the system
 * resolver: such values are not used as hosts (nothing leaves the machine).
 */
const named = (x) => typeof x === "string" && x !== "" && x !== "localhost" && nodeNet.isIP(x) === 0 ? "skipped (a name)" : undefined;
const P = 1; // a port nobody listens on (root-only, nothing there)
const calls = {
  "connect(x)": (n, t, x) => t(n.connect(x)),
  "connect({port:x})": (n, t, x) => t(n.connect({ port: x, host: "127.0.0.1" })),
  "connect(P,x)": (n, t, x) => named(x) ?? t(n.connect(P, x)),
  "connect({host:x})": (n, t, x) => named(x) ?? t(n.connect({ port: P, host: x })),
  "connect({localAddress:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", localAddress: x })),
  "connect({localPort:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", localPort: x })),
  "connect({family:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", family: x })),
  "connect({lookup:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", lookup: x })),
  "connect({timeout:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", timeout: x })),
  "connect({autoSelectFamily:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", autoSelectFamily: x })),
  "connect({autoSelectFamilyAttemptTimeout:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", autoSelectFamilyAttemptTimeout: x })),
  "connect({keepAlive:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", keepAlive: x })),
  "connect({keepAliveInitialDelay:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", keepAliveInitialDelay: x })),
  "connect({noDelay:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", noDelay: x })),
  "connect({hints:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", hints: x })),
  "connect({path:x})": (n, t, x) => t(n.connect({ path: x })),
  "connect({signal:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", signal: x })),
  "connect({onread:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", onread: x })),
  "connect({onread:{buffer:x,callback}})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", onread: { buffer: x, callback() {} } })),
  "connect({onread:{buffer,callback:x}})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", onread: { buffer: new Uint8Array(4), callback: x } })),
  "connect({highWaterMark:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", highWaterMark: x })),
  "connect({readableHighWaterMark:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", readableHighWaterMark: x })),
  "connect({allowHalfOpen:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", allowHalfOpen: x })),
  "connect({blockList:x})": (n, t, x) => t(n.connect({ port: P, host: "127.0.0.1", blockList: x })),
  "connect(P,'127.0.0.1',x)": (n, t, x) => t(n.connect(P, "127.0.0.1", x)),
  "new Socket(x)": (n, t, x) => t(new n.Socket(x)),
  "setTimeout(x)": (n, t, x) => { const s = t(new n.Socket()); s.setTimeout(x); },
  "setTimeout(1,x)": (n, t, x) => { const s = t(new n.Socket()); s.setTimeout(1, x); },
  "setNoDelay(x)": (n, t, x) => { const s = t(new n.Socket()); return s.setNoDelay(x) === s; },
  "setKeepAlive(x)": (n, t, x) => { const s = t(new n.Socket()); return s.setKeepAlive(x) === s; },
  "setKeepAlive(true,x)": (n, t, x) => { const s = t(new n.Socket()); return s.setKeepAlive(true, x) === s; },
  "setEncoding(x)": (n, t, x) => { const s = t(new n.Socket()); return s.setEncoding(x) === s; },
  "setDefaultEncoding(x)": (n, t, x) => { const s = t(new n.Socket()); return s.setDefaultEncoding(x) === s; },
  "write(x)": (n, t, x) => { const s = t(n.connect(P, "127.0.0.1")); s.on("error", () => {}); return s.write(x); },
  "write('a',x)": (n, t, x) => { const s = t(n.connect(P, "127.0.0.1")); s.on("error", () => {}); return s.write("a", x); },
  "write('a','utf8',x)": (n, t, x) => { const s = t(n.connect(P, "127.0.0.1")); s.on("error", () => {}); return s.write("a", "utf8", x); },
  "end(x)": (n, t, x) => { const s = t(n.connect(P, "127.0.0.1")); s.on("error", () => {}); return s.end(x) === s; },
  "end('a',x)": (n, t, x) => { const s = t(n.connect(P, "127.0.0.1")); s.on("error", () => {}); return s.end("a", x) === s; },
  "destroy(x)": (n, t, x) => { const s = t(new n.Socket()); s.on("error", () => {}); return s.destroy(x) === s; },
  "pipe(x)": (n, t, x) => { const s = t(new n.Socket()); s.pipe(x); },
  "on('data',x)": (n, t, x) => { const s = t(new n.Socket()); s.on("data", x); },
  "setMaxListeners(x)": (n, t, x) => { const s = t(new n.Socket()); s.setMaxListeners(x); },
  "emit(x)": (n, t, x) => { const s = t(new n.Socket()); return s.emit(x); },
  "createServer(x)": (n, t, x) => t(n.createServer(x)),
  "createServer(x,fn)": (n, t, x) => t(n.createServer(x, () => {})),
  "listen(x)": (n, t, x) => t(n.createServer()).listen(x),
  "listen({port:x})": (n, t, x) => t(n.createServer()).listen({ port: x, host: "127.0.0.1" }),
  "listen(0,x)": (n, t, x) => named(x) ?? t(n.createServer()).listen(0, x),
  "listen({host:x})": (n, t, x) => named(x) ?? t(n.createServer()).listen({ port: 0, host: x }),
  "listen({backlog:x})": (n, t, x) => typeof x === "symbol" || typeof x === "bigint" || (typeof x === "object" && x !== null && Object.getPrototypeOf(x) === null) ? "skipped (Node throws later, uncaught)" : t(n.createServer()).listen({ port: 0, host: "127.0.0.1", backlog: x }),
  "listen(0,'127.0.0.1',x)": (n, t, x) => t(n.createServer()).listen(0, "127.0.0.1", x),
  "listen({path:x})": (n, t, x) => t(n.createServer()).listen({ path: x }),
  "listen({signal:x})": (n, t, x) => t(n.createServer()).listen({ port: 0, host: "127.0.0.1", signal: x }),
  "listen({ipv6Only:x})": (n, t, x) => t(n.createServer()).listen({ port: 0, host: "127.0.0.1", ipv6Only: x }),
  "listen({exclusive:x})": (n, t, x) => t(n.createServer()).listen({ port: 0, host: "127.0.0.1", exclusive: x }),
  "listen({readableAll:x})": (n, t, x) => t(n.createServer()).listen({ port: 0, host: "127.0.0.1", readableAll: x }),
  "server.close(x)": (n, t, x) => { const s = t(n.createServer()); s.on("error", () => {}); s.close(x); },
  "server.getConnections(x)": (n, t, x) => { const s = t(n.createServer()); s.getConnections(x); },
  "server.maxConnections=x": (n, t, x) => { const s = t(n.createServer()); s.maxConnections = x; return s.maxConnections; },
  "createServer({pauseOnConnect:x})": (n, t, x) => t(n.createServer({ pauseOnConnect: x })),
  "createServer({noDelay:x})": (n, t, x) => t(n.createServer({ noDelay: x })),
  "createServer({keepAlive:x})": (n, t, x) => t(n.createServer({ keepAlive: x })),
  "createServer({keepAliveInitialDelay:x})": (n, t, x) => t(n.createServer({ keepAliveInitialDelay: x })),
  "createServer({allowHalfOpen:x})": (n, t, x) => t(n.createServer({ allowHalfOpen: x })),
  "createServer({highWaterMark:x})": (n, t, x) => t(n.createServer({ highWaterMark: x })),
  "createServer({blockList:x})": (n, t, x) => t(n.createServer({ blockList: x })),
  "listen(x,'127.0.0.1')": (n, t, x) => t(n.createServer()).listen(x, "127.0.0.1"),
  "listen(0,'127.0.0.1',x,fn)": (n, t, x) => t(n.createServer()).listen(0, "127.0.0.1", x, () => {}),
  "connect(x,'127.0.0.1')": (n, t, x) => t(n.connect(x, "127.0.0.1")),
  "connect twice (x)": (n, t, x) => { const s = t(n.connect(P, "127.0.0.1")); s.on("error", () => {}); return s.connect(x) === s; },
  "setTimeout(1000,x)": (n, t, x) => { const s = t(new n.Socket()); return s.setTimeout(1000, x) === s; },
  "setKeepAlive(x,1000)": (n, t, x) => { const s = t(new n.Socket()); return s.setKeepAlive(x, 1000) === s; },
  "connect({port:P,host,timeout:x})+destroy": (n, t, x) => { const s = t(n.connect({ port: P, host: "127.0.0.1", timeout: x })); s.on("error", () => {}); return s.timeout; },
  "new Socket({allowHalfOpen:x}).allowHalfOpen": (n, t, x) => t(new n.Socket({ allowHalfOpen: x })).allowHalfOpen,
  "server.listen().maxConnections=x": (n, t, x) => { const s = t(n.createServer()); s.maxConnections = x; return String(s.maxConnections); },
  "isIP(x)": (n, t, x) => n.isIP(x),
  "isIPv4(x)": (n, t, x) => n.isIPv4(x),
  "isIPv6(x)": (n, t, x) => n.isIPv6(x),
  "setDefaultAutoSelectFamilyAttemptTimeout(x)": (n, t, x) => { const old = n.getDefaultAutoSelectFamilyAttemptTimeout(); try { n.setDefaultAutoSelectFamilyAttemptTimeout(x); return n.getDefaultAutoSelectFamilyAttemptTimeout(); } finally { n.setDefaultAutoSelectFamilyAttemptTimeout(old); } },
  "setDefaultAutoSelectFamily(x)": (n, t, x) => { const old = n.getDefaultAutoSelectFamily(); try { n.setDefaultAutoSelectFamily(x); return n.getDefaultAutoSelectFamily(); } finally { n.setDefaultAutoSelectFamily(old); } },
  "new SocketAddress(x)": (n, t, x) => new n.SocketAddress(x),
  "new SocketAddress({address:x})": (n, t, x) => new n.SocketAddress({ address: x }),
  "new SocketAddress({port:x})": (n, t, x) => new n.SocketAddress({ port: x }),
  "new SocketAddress({family:x})": (n, t, x) => new n.SocketAddress({ family: x }),
  "new SocketAddress({flowlabel:x})": (n, t, x) => ![undefined, 0, 1, 65535].some((v) => Object.is(v, x)) ? "skipped (Node aborts on some)" : new n.SocketAddress({ flowlabel: x }),
};
let diffs = 0;
for (const [name, call] of Object.entries(calls)) {
  for (const v of VALUES) {
    const a = attempt(nodeNet, (n, t) => call(n, t, v));
    if (process.env.REF_ONLY) { console.log(`${name} x=${show(v)} => ${a}`); continue; }
    const b = attempt(cross, (n, t) => call(n, t, v));
    if (a !== b && !KNOWN(name, v)) { diffs++; console.log(`${name} x=${show(v)}\n  node:net: ${a}\n  crossnet: ${b}`); }
  }
}
console.log("differences:", diffs);
setTimeout(() => process.exit(diffs > 0 ? 1 : 0), 300);
