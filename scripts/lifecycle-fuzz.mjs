#!/usr/bin/env node
// Differential fuzzing of a socket's lifecycle: seeded random programs (a few synchronous
// operations on a freshly connected client: write (2 bytes or 4 MiB), end, pause, resume,
// setEncoding, cork, uncork, destroy, destroySoon, resetAndDestroy, push, pipe, ... against a
// server that echoes, sinks, ends or destroys at once) run on real node:net under Node,
// and on crossnet under Node, Deno and Bun. With `--side server` the same programs run on
// the server's accepted socket instead (inside the `connection` listener), the client
// behaving as the server otherwise would: the accepted path of each adapter. Each program logs the
// socket's state after every operation and every event that follows, up to `close`; a log
// that differs from node:net's is printed with its seed, which reproduces it.
//
// Not part of `npm test` (a run takes a few minutes per hundred programs and runtime); the
// behaviours it found have conformance cases of their own.
//
// Usage: node scripts/lifecycle-fuzz.mjs [--runtime node,deno,bun] [--side client|server]
//        [--later | --more] [--enc] [--early] [--unix] [--onread] [--await] [--unshift]
//        [--states] [--pipe] [--react] [--nodata] [--from 1] [--count 100] [--all]
// (--later: also operations 15 ms later, and an idle timeout; --more: those and addresses,
// ref/unref; --enc: encodings (setEncoding, write's, split characters, unknown names);
// see LATER_OPS, MORE_OPS and ENC_OPS. --early: the client's operations run right after
// connect() returns, before it connected, and some servers refuse; --unix: a Unix socket
// instead of TCP; --onread: the client reads through the `onread` option; --await: the
// operations run as awaiting code, with awaits among them, see AWAIT_OPS; --unshift: also
// unshift(), see UNSHIFT_OPS; --pipe: also pipe(), unpipe() and async iteration, see
// PIPE_OPS; --react: also operations inside the socket's own events, see REACT_OPS;
// --nodata: the log's own `data` listener is left out (the socket has no consumer unless
// the program makes one); --states: each state also shows the socket's _readableState and
// _writableState, see streamStates; --all: also the programs that differ only by a
// difference crossnet makes on purpose, see KNOWN.)
// Needs dist/ (npm run build): crossnet is imported as "crossnet/node", "crossnet/deno" or
// "crossnet/bun", the package's own exports.

import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { Writable } from "node:stream";
import { join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
// mulberry32: the same programs on every run and runtime. (test/_prng.ts has it too, in
// TypeScript: this file runs on Node 20, which cannot import .ts.)
import { prng } from "./_seeded.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));


const OPS = [
  "write", "writecb", "end", "endx", "pause", "resume", "enc", "destroy", "destroyErr",
  "push", "pushNull", "noDelay", "keepAlive", "writeLater", "destroySoon", "reset", "big",
  "endcb", "cork", "uncork",
];
const SERVERS = ["echo", "sink", "endNow", "destroyNow", "halfOpen"];
/**
 * With `--later`, also operations that run a moment later (15 ms, after what the peer's
 * first answer brought) and an idle timeout of 10 ms. A separate list, so that the seeds
 * without it keep their programs.
 */
const LATER_OPS = ["timeout", "timeoutOff", "resumeLater", "pauseLater", "endLater", "destroyLater"];
/**
 * With `--more` (and --later's), the addresses as the socket reports them, now and 15 ms
 * later (ports as their type only: they change from run to run), and ref()/unref().
 */
const MORE_OPS = ["addr", "addrLater", "unref", "ref"];
/**
 * With `--enc`, encodings: the socket's (setEncoding, setDefaultEncoding), write()'s and
 * end()'s, a character split over two writes, and names Node does not know.
 */
const ENC_OPS = [
  "encUtf8", "encB64", "encLatin1", "encUcs2", "defHex", "writeMulti", "writeHex", "writeB64",
  "splitChar", "endHex", "badEnc", "badWriteEnc", "writeBytes",
];
/**
 * With `--await`, the program runs as awaiting code: it starts after an `await`, and these
 * operations await again in between, so that a deferred callback or event shows where it
 * comes among the program's own continuations.
 */
const AWAIT_OPS = ["await", "await"];
/** With `--unshift`, Readable's unshift(): now, 15 ms later, bytes, and null (push(null)'s). */
const UNSHIFT_OPS = ["unshift", "unshiftLater", "unshiftBytes", "unshiftNull"];
/**
 * With `--pipe`, the socket's other consumers: pipe() into a Writable that takes its time
 * (a small highWaterMark, each write done a turn later) or one that takes every write at
 * once, unpipe(), and async iteration, to the end or broken off after the first chunk.
 */
const PIPE_OPS = ["pipeSlow", "pipeFast", "unpipe", "iterAll", "iterBreak"];
/**
 * With `--react`, operations that run inside the socket's own events, once: a destroy(),
 * an end() or a pause() at the first `data`, a write at `end`, `finish`, `drain`, `error`
 * or `close`, a destroy() at `end`.
 */
const REACT_OPS = ["dataDestroy", "dataEnd", "dataPause", "endWrite", "endDestroy", "finishWrite", "drainWrite", "errorWrite", "closeWrite"];
/** With `--early`: also a server that is gone (the connect is refused). */
const EARLY_SERVERS = SERVERS.concat(["refused"]);

/**
 * The program of `seed`: its operations, the server's behaviour, the client's allowHalfOpen.
 * `flags` (a Set): "later", "more", "enc", "early" (what they add, above).
 */
export function program(seed, flags = new Set()) {
  const rand = prng(seed);
  const count = 1 + Math.floor(rand() * 6);
  let all = flags.has("more") ? OPS.concat(LATER_OPS, MORE_OPS) : flags.has("later") ? OPS.concat(LATER_OPS) : OPS;
  if (flags.has("enc")) all = all.concat(ENC_OPS);
  if (flags.has("await")) all = all.concat(AWAIT_OPS);
  if (flags.has("unshift")) all = all.concat(UNSHIFT_OPS);
  if (flags.has("pipe")) all = all.concat(PIPE_OPS);
  if (flags.has("react")) all = all.concat(REACT_OPS);
  const servers = flags.has("early") ? EARLY_SERVERS : SERVERS;
  let ops = Array.from({ length: count }, () => all[Math.floor(rand() * all.length)]);
  // Node bug, not compared: resetAndDestroy() after end() fails with EINVAL (libuv cannot
  // reset a handle that is shutting down), and then the socket never closes ('close'
  // never comes, the connection stays open).
  const ended = ops.findIndex((op) => op === "end" || op === "endx" || op === "endcb" || op === "destroySoon");
  if (ended >= 0) ops = ops.filter((op, i) => op !== "reset" || i < ended);
  // Before connect, Node's resetAndDestroy() waits for `connect`, so it comes after any
  // end() of the program: the same bug.
  if (ended >= 0 && flags.has("early")) ops = ops.filter((op) => op !== "reset");
  const prog = { ops, server: servers[Math.floor(rand() * servers.length)], allowHalfOpen: rand() < 0.3 };
  return flags.has("await") ? { ...prog, awaiting: true } : prog;
}

let withStates = false;
let noData = false;
const state = (s) =>
  `rs=${s.readyState} bw=${s.bytesWritten} wl=${s.writableLength} d=${s.destroyed} p=${s.pending} ` +
  `r=${s.readable} w=${s.writable} c=${s.connecting} fl=${s.readableFlowing} re=${s.readableEnded} ` +
  `we=${s.writableEnded} wf=${s.writableFinished} nd=${s.writableNeedDrain} er=${s.errored?.code ?? s.errored}` +
  (withStates ? streamStates(s) : "");

/**
 * With `--states`, what node:stream reads of the socket's `_readableState` and
 * `_writableState` (ended, endEmitted, length, errored, errorEmitted, closed; finished,
 * ending, needDrain, corked). closeEmitted is left out: Node sets it a tick after
 * destroy(), crossnet at `close`.
 */
function streamStates(s) {
  const r = s._readableState;
  const w = s._writableState;
  const e = (x) => x?.code ?? x;
  return ` | R ${r.ended}/${r.endEmitted}/${r.length}/${e(r.errored)}/${r.errorEmitted}/${r.closed}` +
    ` W ${w.ending}/${w.finished}/${w.needDrain}/${w.corked}/${e(w.errored)}/${w.errorEmitted}/${w.closed}`;
}

/** A write larger than any socket buffer: it stays queued (writableLength) for a while. */
const BIG = "x".repeat(4 * 1024 * 1024);

/**
 * Run one program on `net`; resolves with its log. `side` is the socket the operations run
 * on: "client" (a connected client, the server behaving as `prog.server` says) or "server"
 * (the accepted socket, the client behaving so). `flags`: "early" (the client's operations
 * before it connected), "unix" (at `where.path`, else TCP on 127.0.0.1).
 */
function run(net, prog, side, flags, where) {
  return new Promise((done) => {
    const log = [];
    let peer;
    let server;
    const finish = () => {
      peer?.destroy();
      if (server.listening) server.close();
      // Long enough for the later operations (15 and 20 ms) of a socket that closed early.
      setTimeout(() => done(log), 30);
    };
    const unix = flags.has("unix");
    const listen = (then) => {
      if (unix) server.listen(where.path, then);
      else server.listen(0, "127.0.0.1", then);
    };
    const target = (options) =>
      unix ? { path: where.path, ...options } : { port: server.address().port, host: "127.0.0.1", ...options };
    if (side === "client") {
      server = net.createServer({ allowHalfOpen: prog.server === "halfOpen" }, (s) => behave(s, prog.server));
      listen(() => {
        const options = target({ allowHalfOpen: prog.allowHalfOpen });
        // With `onread`, the bytes go to its callback, into one small buffer, not to `data`.
        const received = { data: "" };
        if (flags.has("onread")) {
          options.onread = {
            buffer: new Uint8Array(1000),
            callback: (n, buffer) => {
              received.data += new TextDecoder("latin1").decode(buffer.subarray(0, n));
            },
          };
        }
        const start = () => {
          const c = net.connect(options);
          exercise(c, prog, log, finish, received);
          c.on("connect", () => {
            log.push(`connect ${state(c)}`);
            if (!flags.has("early")) operate(c, prog, log);
          });
          if (flags.has("early")) {
            log.push(`connecting ${state(c)}`);
            operate(c, prog, log);
          }
        };
        // A refused connect: the server (and a Unix socket's file) is gone first.
        if (prog.server === "refused") server.close(start);
        else start();
      });
    } else {
      server = net.createServer({ allowHalfOpen: prog.allowHalfOpen }, (s) => {
        exercise(s, prog, log, finish);
        log.push(`connection ${state(s)}`);
        operate(s, prog, log);
      });
      listen(() => {
        peer = net.connect(target({ allowHalfOpen: prog.server === "halfOpen" }));
        // (The program may reset the connection before the peer saw it open.)
        peer.on("error", () => {});
        peer.on("connect", () => behave(peer, prog.server));
      });
    }
  });
}

/** The peer's part: echo, sink, end or destroy at once, or end once the other side ended. */
function behave(s, how) {
  s.on("error", () => {});
  if (how === "echo") s.pipe(s);
  else if (how === "sink") s.resume();
  else if (how === "endNow") s.end("bye");
  else if (how === "destroyNow") s.destroy();
  else {
    s.resume();
    s.on("end", () => s.end("late"));
  }
}

/** Log `c`'s events and state up to `close` (then `finish`); destroy it after 300 ms. */
function exercise(c, prog, log, finish, received = { data: "" }) {
  for (const e of ["end", "finish", "drain", "timeout", "ready"]) c.on(e, () => log.push(`${e} ${state(c)}`));
  // Data is compared as one string: how TCP cuts it into chunks is not the API's.
  // (With --nodata, no consumer of its own: the socket flows only if the program makes it.)
  if (!noData) c.on("data", (d) => (received.data += typeof d === "string" ? d : new TextDecoder("latin1").decode(d)));
  c.on("error", (e) => log.push(`error ${e.code}`));
  const stop = setTimeout(() => c.destroy(), 300);
  c.on("close", (hadError) => {
    clearTimeout(stop);
    log.push(`close ${hadError} ${state(c)} br=${c.bytesRead} data=${JSON.stringify(received.data)}`);
    finish();
  });
}

/**
 * The program's operations on `c`, each followed by its state. (Synchronous unless the
 * program is `awaiting`: an async function runs at once up to its first `await`.)
 */
async function operate(c, prog, log) {
  if (prog.awaiting) {
    await null;
    log.push(`awaiting: ${state(c)}`);
  }
  for (const op of prog.ops) {
    try {
      switch (op) {
        case "await": await null; break;
        case "write": log.push(`write->${c.write("ab")}`); break;
        case "writecb": log.push(`writecb->${c.write("cd", (e) => log.push(`cb ${e?.code ?? e}`))}`); break;
        case "end": c.end(); break;
        case "endx": c.end("ef"); break;
        case "pause": c.pause(); break;
        case "resume": c.resume(); break;
        case "enc": c.setEncoding("hex"); break;
        case "destroy": c.destroy(); break;
        case "destroyErr": c.destroy(Object.assign(new Error("boom"), { code: "EBOOM" })); break;
        case "push": log.push(`push->${c.push("P")}`); break;
        case "pushNull": log.push(`pushNull->${c.push(null)}`); break;
        case "unshift": log.push(`unshift->${c.unshift("U")}`); break;
        case "unshiftBytes": log.push(`unshiftBytes->${c.unshift(new Uint8Array([0x55, 0x56]))}`); break;
        case "unshiftNull": log.push(`unshiftNull->${c.unshift(null)}`); break;
        case "unshiftLater": later(() => log.push(`unshift->${c.unshift("L")}`), "unshift", c, log); break;
        case "noDelay": c.setNoDelay(true); break;
        case "keepAlive": c.setKeepAlive(true, 1000); break;
        case "destroySoon": c.destroySoon(); break;
        case "reset": c.resetAndDestroy(); break;
        case "big": log.push(`big->${c.write(BIG, (e) => log.push(`big cb ${e?.code ?? e}`))}`); break;
        case "endcb": c.end((e) => log.push(`end cb ${e?.code ?? e}`)); break;
        case "cork": c.cork(); break;
        case "uncork": c.uncork(); break;
        case "addr": log.push(addresses(c)); break;
        case "addrLater": setTimeout(() => log.push(`later ${addresses(c)}`), 15); break;
        case "unref": c.unref(); break;
        case "ref": c.ref(); break;
        case "timeout": c.setTimeout(10); break;
        case "timeoutOff": c.setTimeout(0); break;
        case "resumeLater": later(() => c.resume(), "resume", c, log); break;
        case "pauseLater": later(() => c.pause(), "pause", c, log); break;
        case "endLater": later(() => c.end(), "end", c, log); break;
        case "destroyLater": later(() => c.destroy(), "destroy", c, log); break;
        case "encUtf8": c.setEncoding("utf8"); break;
        case "encB64": c.setEncoding("base64"); break;
        case "encLatin1": c.setEncoding("latin1"); break;
        case "encUcs2": c.setEncoding("ucs2"); break;
        case "defHex": c.setDefaultEncoding("hex"); break;
        case "writeMulti": log.push(`writeMulti->${c.write("\u00e9\u20ac\u{1f600}")}`); break;
        case "writeHex": log.push(`writeHex->${c.write("c3a9e282", "hex")}`); break;
        case "writeB64": log.push(`writeB64->${c.write("rPCfmIA=", "base64")}`); break;
        case "splitChar":
          log.push(`splitChar->${c.write(new Uint8Array([0xf0, 0x9f]))},${c.write(new Uint8Array([0x98, 0x80]))}`);
          break;
        case "endHex": c.end("e282ac", "hex"); break;
        case "badEnc": c.setEncoding("klingon"); break;
        case "badWriteEnc": log.push(`badWriteEnc->${c.write("ab", "klingon")}`); break;
        case "writeBytes": log.push(`writeBytes->${c.write(new Uint8Array([0xe2, 0x82, 0xac, 0xff]))}`); break;
        case "pipeSlow":
        case "pipeFast": {
          const slow = op === "pipeSlow";
          let got = 0;
          const sink = new Writable({
            highWaterMark: slow ? 4 : 16384,
            write(chunk, _enc, cb) {
              got += chunk.length;
              if (slow) setImmediate(cb);
              else cb();
            },
          });
          sink.on("finish", () => log.push(`${op} finish ${got}`));
          sink.on("unpipe", () => log.push(`${op} unpipe ${got}`));
          log.push(`${op}->${c.pipe(sink) === sink}`);
          break;
        }
        case "unpipe": log.push(`unpipe->${c.unpipe() === c}`); break;
        case "iterAll":
        case "iterBreak":
          (async () => {
            let got = 0;
            try {
              for await (const chunk of c) {
                got += chunk.length;
                if (op === "iterBreak") break;
              }
              log.push(`${op} done ${op === "iterBreak" ? got > 0 : got}`);
            } catch (e) {
              log.push(`${op} error ${e.code ?? e}`);
            }
          })();
          break;
        case "dataDestroy": c.once("data", () => { c.destroy(); log.push(`data->destroy: ${state(c)}`); }); break;
        case "dataEnd": c.once("data", () => { c.end("z"); log.push(`data->end: ${state(c)}`); }); break;
        case "dataPause": c.once("data", () => { c.pause(); log.push(`data->pause: ${state(c)}`); }); break;
        case "endDestroy": c.once("end", () => { c.destroy(); log.push(`end->destroy: ${state(c)}`); }); break;
        case "endWrite":
        case "finishWrite":
        case "drainWrite":
        case "errorWrite":
        case "closeWrite": {
          const event = op.slice(0, -5);
          c.once(event, () => {
            try {
              log.push(`${op}->${c.write("rw", (e) => log.push(`${op} cb ${e?.code ?? e}`))}: ${state(c)}`);
            } catch (e) {
              log.push(`${op} throw ${e.code}`);
            }
          });
          break;
        }
        case "writeLater":
          setTimeout(() => {
            try {
              log.push(`later write->${c.write("zz", (e) => log.push(`later cb ${e?.code ?? e}`))}`);
            } catch (e) {
              log.push(`later throw ${e.code}`);
            }
          }, 20);
          break;
      }
    } catch (e) {
      log.push(`throw ${op} ${e.code}`);
    }
    log.push(`${op}: ${state(c)}`);
  }
}

/** What `c` says of both ends (ports as their type: they differ from run to run). */
function addresses(c) {
  const local = c.address();
  return `addr ${c.remoteAddress} ${typeof c.remotePort} ${c.remoteFamily} ${c.localAddress} ` +
    `${typeof c.localPort} ${c.localFamily} address()=${local.address} ${typeof local.port} ${local.family}`;
}

/** `f` 15 ms from now, logged with the state after it. */
function later(f, name, c, log) {
  setTimeout(() => {
    try {
      f();
    } catch (e) {
      log.push(`later throw ${name} ${e.code}`);
    }
    log.push(`later ${name}: ${state(c)}`);
  }, 15);
}

/** Child: run seeds [from, from + count) on `target` (on `side`), one JSON line per program. */
async function child(target, side, mode, from, count) {
  const net = target === "node:net" ? await import("node:net") : await import(target);
  const flags = new Set(mode === "-" ? [] : mode.split(","));
  // A Unix socket of this child's own: one per runtime and target at a time.
  const where = { path: join(tmpdir(), `crossnet-fuzz-${process.pid}.sock`) };
  withStates = flags.has("states");
  noData = flags.has("nodata");
  for (let seed = from; seed < from + count; seed++) {
    rmSync(where.path, { force: true });
    const prog = program(seed, flags);
    // A program whose socket never closes is logged as such, and the next one runs.
    let watchdog;
    const log = await Promise.race([
      run(net, prog, side, flags, where),
      new Promise((done) => (watchdog = setTimeout(() => done(["(no close after 3 s)"]), 3000))),
    ]);
    clearTimeout(watchdog);
    // Written whole before the next program (and the exit) even when long (a 4 MiB echo):
    // a console.log() followed by exit() lost the end of such a line.
    await new Promise((done) => process.stdout.write(`${JSON.stringify({ seed, log })}\n`, done));
  }
  rmSync(where.path, { force: true });
}

/**
 * The Node that runs node:net (the reference) and crossnet/node: the newest one installed
 * (Node 24 from node_modules, else this one). crossnet follows the current Node where
 * Node's lines differ (a write cancelled by destroy(): ECANCELED since Node 22).
 */
const NODE = [join(root, "node_modules", "node24", "bin", "node"), process.execPath].find((p) => existsSync(p));

/** The command that runs this file as a child on `runtime`. */
function childCommand(runtime, target, side, mode, from, count) {
  const self = fileURLToPath(import.meta.url);
  const args = ["--child", target, side, mode, String(from), String(count)];
  if (runtime === "node") return [NODE, [self, ...args]];
  const bin = join(root, "node_modules", ".bin", runtime);
  if (runtime === "deno") return [bin, ["run", "-A", self, ...args]];
  return [bin, [self, ...args]];
}

function runChild(runtime, target, side, mode, from, count) {
  return new Promise((done, fail) => {
    const [command, args] = childCommand(runtime, target, side, mode, from, count);
    const p = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    // Text across chunks: a character split between two reads of the pipe stays whole.
    p.stdout.setEncoding("utf8");
    p.stdout.on("data", (d) => (out += d));
    p.on("error", fail);
    p.on("close", (code) => {
      if (code !== 0) return fail(new Error(`${runtime} exited with ${code}`));
      const logs = new Map();
      for (const line of out.split("\n")) if (line.startsWith("{")) {
        const { seed, log } = JSON.parse(line);
        logs.set(seed, log);
      }
      done(logs);
    });
  });
}

/** A log line as printed: long data (a 4 MiB echo) as its length and first bytes. */
function shown(line) {
  return line?.replace(/data="(.{0,40})(.*)"$/s, (all, head, rest) => rest.length === 0 ? all : `data=${head}... (${head.length + rest.length} chars)`);
}

/**
 * Differences crossnet makes on purpose (each documented in the README), as a rewrite of
 * crossnet's log towards node:net's: a program whose logs then agree is counted as known,
 * not printed (unless --all), so that a new kind of difference stands out.
 */
const KNOWN = [
  {
    // end(cb) on a socket destroyed with nothing in flight: Node never calls cb back,
    // crossnet says ERR_STREAM_DESTROYED rather than lose it.
    name: "end(cb) after destroy() is called back (ERR_STREAM_DESTROYED)",
    // (The extra ones only: a second end(cb) is called back by Node too.)
    rewrite: (reference, log) => {
      const line = "end cb ERR_STREAM_DESTROYED";
      let extra = log.filter((l) => l === line).length - reference.filter((l) => l === line).length;
      return extra <= 0 ? log : log.filter((l) => l !== line || extra-- <= 0);
    },
  },
  {
    // resetAndDestroy() while end()'s shutdown is pending: node:net's reset fails (EINVAL)
    // and its socket never closes (a Node bug); crossnet's closes, the peer reading an end.
    name: "resetAndDestroy() after end(): closes where node:net never does",
    rewrite: (reference, log) =>
      reference.length === 1 && reference[0] === "(no close after 3 s)" && log.some((l) => l.startsWith("reset")) &&
        log.some((l) => l.startsWith("end")) ? reference : log,
  },
  {
    // Deno's writes complete later (conn.write() is a promise): right after write(),
    // writableLength still counts bytes that libuv would have written at once.
    name: "Deno: writableLength counts a write not yet confirmed",
    runtime: "deno",
    rewrite: (reference, log) =>
      log.map((line, i) => {
        const ref = reference[i];
        const bare = (text) => text.replace(/ wl=\d+/g, "");
        return ref !== undefined && line !== ref && bare(line) === bare(ref) ? ref : line;
      }),
  },
];

/**
 * The names of the known differences that together explain `log` (of `runtime`) against
 * `reference`, if they do.
 */
function knownDifference(runtime, reference, log) {
  const want = JSON.stringify(reference);
  const names = [];
  for (const known of KNOWN) {
    if (known.runtime !== undefined && known.runtime !== runtime) continue;
    const rewritten = known.rewrite(reference, log);
    if (JSON.stringify(rewritten) === JSON.stringify(log)) continue;
    names.push(known.name);
    log = rewritten;
    if (JSON.stringify(log) === want) return names.join(" + ");
  }
  return undefined;
}

async function main(argv) {
  const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  const runtimes = opt("--runtime", "node,deno,bun").split(",");
  const from = Number(opt("--from", "1"));
  const count = Number(opt("--count", "100"));
  const side = opt("--side", "client");
  if (side !== "client" && side !== "server") throw new Error(`--side: client or server, not ${side}`);
  const flags = new Set();
  if (argv.includes("--more")) flags.add("more").add("later");
  else if (argv.includes("--later")) flags.add("later");
  for (const f of ["enc", "early", "unix", "onread", "await", "unshift", "states", "pipe", "react", "nodata"]) if (argv.includes(`--${f}`)) flags.add(f);
  for (const f of ["early", "onread"]) if (flags.has(f) && side === "server") throw new Error(`--${f}: the client side only`);
  const mode = flags.size === 0 ? "-" : [...flags].join(",");
  if (!existsSync(join(root, "dist", "node.js"))) throw new Error("no dist/: run `npm run build` first");
  const reference = await runChild("node", "node:net", side, mode, from, count);
  let differing = 0;
  for (const runtime of runtimes) {
    const logs = await runChild(runtime, `crossnet/${runtime}`, side, mode, from, count);
    let differ = 0;
    const knownCounts = new Map();
    for (let seed = from; seed < from + count; seed++) {
      const a = reference.get(seed) ?? [];
      const b = logs.get(seed) ?? [];
      if (JSON.stringify(a) === JSON.stringify(b)) continue;
      const known = knownDifference(runtime, a, b);
      if (known !== undefined) {
        knownCounts.set(known, (knownCounts.get(known) ?? 0) + 1);
        if (!argv.includes("--all")) continue;
      } else differ++;
      console.log(`== ${runtime}, ${side} side, seed ${seed}: ${JSON.stringify(program(seed, flags))}`);
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i] !== b[i]) console.log(`  ${i}: node:net ${shown(a[i])}\n  ${i}: crossnet ${shown(b[i])}`);
      }
    }
    const known = [...knownCounts].map(([name, n]) => `${n}: ${name}`).join("; ");
    console.log(`${runtime}: ${differ} of ${count} programs differ from node:net` + (known ? ` (known differences, not counted: ${known})` : ""));
    differing += differ;
  }
  process.exitCode = differing === 0 ? 0 : 1;
}

const argv = typeof Deno !== "undefined" ? Deno.args : process.argv.slice(2);
if (argv[0] === "--child") {
  await child(argv[1], argv[2], argv[3], Number(argv[4]), Number(argv[5]));
  // A program whose socket never closed (its watchdog moved on) may still hold the loop.
  if (typeof Deno !== "undefined") Deno.exit(0);
  else process.exit(0);
} else await main(argv);
