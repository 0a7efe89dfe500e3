#!/usr/bin/env node
// Differential of a Server's own API: seeded random sequences of 1 to 5 operations
// (listen with and without a callback, with and without a host, a bad listen, close with and without a callback,
// address, getConnections, ref, unref, maxConnections, a client connecting, a pause) on
// real node:net and on crossnet (dist/node.js) under the Node that runs this, each logging
// the server's state after every operation and every event; the first line where the logs
// part is printed with its seed. Clients connect to 127.0.0.1 only (a server without a
// host listens on every interface).
//
// Seeds 1-400 show no difference (2026-12-05): the server's events are deferred with the
// runtime's process.nextTick, as Node's; a listen() without a host listens at once, one
// with a host (an IP address too) a tick later, and a listen() made meanwhile is the one
// that binds; close() decides on `close` at once, and a listen() in the same tick does not
// take it back; `listening` comes if the server listens by then (twice after close() and
// listen() in one tick, as Node's emitListeningNT). Run under Node only: node:net is the
// reference.
//
// Usage: node_modules/node24/bin/node scripts/server-diff.mjs [from] [count] (needs dist/)
import * as nodeNet from "node:net";
import { compareSeeds } from "./_seeded.mjs";
const cross = await import("../dist/node.js");
const OPS = {
  listen: (s, log) => s.listen(0, "127.0.0.1", () => log.push("listen cb")),
  listenNoCb: (s) => s.listen(0, "127.0.0.1"),
  listenBad: (s, log) => { try { s.listen({ port: 0, host: "127.0.0.1", backlog: -1 }); } catch (e) { log.push("threw " + e.code); } },
  close: (s, log) => s.close((e) => log.push("close cb " + (e?.code ?? e))),
  closeNoCb: (s) => s.close(),
  address: (s, log) => { const a = s.address(); log.push("address " + (a === null ? "null" : typeof a === "object" ? Object.keys(a).join(",") : typeof a)); },
  getConnections: (s, log) => s.getConnections((e, n) => log.push("conns " + (e?.code ?? e) + " " + n)),
  ref: (s, log) => log.push("ref " + (s.ref() === s)),
  unref: (s, log) => log.push("unref " + (s.unref() === s)),
  maxConn: (s) => { s.maxConnections = 0; },
  connectTo: (s, log, net) => { const a = s.address(); if (a && typeof a === "object") { const c = net.connect(a.port, "127.0.0.1"); c.on("error", (e) => log.push("client error " + e.code)); c.on("close", () => log.push("client close")); c.resume(); } else log.push("no address"); },
  wait: async () => { await new Promise((r) => setTimeout(r, 10)); },
  // Without a host: every interface (node:net binds at once then, address() answers).
  listenAny: (s, log) => s.listen(0, () => log.push("listen cb")),
  listenAnyNoCb: (s) => s.listen({ port: 0 }),
};
const names = Object.keys(OPS);
const st = (s) => `listening=${s.listening} maxConnections=${s.maxConnections}`;
async function run(net, ops) {
  const log = [];
  const s = net.createServer((c) => { log.push("connection"); c.on("error", () => {}); c.end(); });
  for (const ev of ["listening", "close", "error", "drop"]) s.on(ev, (a) => log.push(ev + (ev === "error" ? " " + a?.code : "") + " | " + st(s)));
  for (const op of ops) {
    try { await OPS[op](s, log, net); } catch (e) { log.push("throw " + op + " " + (e?.code ?? e?.message)); }
    log.push(op + ": " + st(s));
  }
  await new Promise((r) => setTimeout(r, 40));
  log.push("end: " + st(s));
  s.close();
  await new Promise((r) => setTimeout(r, 10));
  return log;
}
await compareSeeds({ names, maxOps: 5, run, reference: nodeNet, candidate: cross, defaultCount: 200 });
