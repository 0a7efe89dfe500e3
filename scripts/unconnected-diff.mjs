#!/usr/bin/env node
// Differential of sockets that never connect: seeded random sequences of 1 to 4 operations
// (write, end, destroy, destroySoon, resetAndDestroy, push, cork, setTimeout, ...) on a
// `new Socket()` that is never given a connect(), on real node:net and on crossnet
// (dist/node.js) under the Node that runs this; each logs its state after every operation
// and every event for 40 ms, then after a destroy(). The first line where the two logs part
// is printed with the seed. (scripts/lifecycle-fuzz.mjs does the same for connected
// sockets.) Only the Node process itself is involved: no socket ever opens.
//
// Known and left: end()'s callback on a socket destroyed with nothing in flight (crossnet
// says ERR_STREAM_DESTROYED, Node never calls it back); after push(null), the order of `end`
// and end()'s `finish` (Node's two ticks), and an `end` Node still emits after a destroy.
//
// Usage: node_modules/node24/bin/node scripts/unconnected-diff.mjs [from] [count]
// (needs dist/: npm run build; Node 24: Node 20 never finishes an end() without a connect)
import * as nodeNet from "node:net";
import { compareSeeds } from "./_seeded.mjs";
const cross = await import("../dist/node.js");
const OPS = {
  write: (s, log) => log.push("ret " + s.write("ab", (e) => log.push("cb " + (e?.code ?? e)))),
  end: (s, log) => log.push("ret " + (s.end((e) => log.push("endcb " + (e?.code ?? e))) === s)),
  endData: (s, log) => s.end("ab", (e) => log.push("endcb " + (e?.code ?? e))),
  destroy: (s) => s.destroy(),
  destroyErr: (s) => s.destroy(Object.assign(new Error("boom"), { code: "EBOOM" })),
  pause: (s) => s.pause(),
  resume: (s) => s.resume(),
  setEncoding: (s) => s.setEncoding("utf8"),
  cork: (s) => s.cork(),
  uncork: (s) => s.uncork(),
  setTimeout: (s, log) => s.setTimeout(5, () => log.push("timeout cb")),
  ref: (s) => s.ref(),
  unref: (s) => s.unref(),
  setNoDelay: (s) => s.setNoDelay(true),
  setKeepAlive: (s) => s.setKeepAlive(true, 1000),
  address: (s, log) => log.push("address " + JSON.stringify(s.address())),
  push: (s, log) => log.push("push " + s.push("xy")),
  pushNull: (s, log) => log.push("push " + s.push(null)),
  destroySoon: (s) => s.destroySoon(),
  reset: (s, log) => { try { s.resetAndDestroy(); } catch (e) { log.push("threw " + e.code); } },
  onData: (s, log) => s.on("data", (d) => log.push("data " + d)),
};
const names = Object.keys(OPS);
function state(s) {
  return `rs=${s.readyState} p=${s.pending} c=${s.connecting} d=${s.destroyed} r=${s.readable} w=${s.writable} wl=${s.writableLength} bw=${s.bytesWritten} br=${s.bytesRead} fl=${s.readableFlowing} we=${s.writableEnded} wf=${s.writableFinished} re=${s.readableEnded} to=${s.timeout} er=${s.errored?.code ?? s.errored} paused=${s.isPaused()}`;
}
async function run(net, ops) {
  const log = [];
  const s = new net.Socket();
  for (const ev of ["connect", "ready", "data", "end", "finish", "close", "error", "timeout", "drain", "lookup"]) {
    s.on(ev, (a) => log.push(ev + (ev === "error" ? " " + (a?.code ?? a?.message) : ev === "close" ? " " + a : "") + " | " + state(s)));
  }
  for (const op of ops) {
    try { OPS[op](s, log); } catch (e) { log.push("throw " + op + " " + (e?.code ?? e?.message)); }
    log.push(op + ": " + state(s));
  }
  await new Promise((r) => setTimeout(r, 40));
  log.push("end: " + state(s));
  s.destroy();
  await new Promise((r) => setTimeout(r, 5));
  log.push("after destroy: " + state(s));
  return log;
}
await compareSeeds({ names, maxOps: 4, run, reference: nodeNet, candidate: cross, defaultCount: 300 });
