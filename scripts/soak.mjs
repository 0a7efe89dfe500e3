#!/usr/bin/env node
// Does anything stay behind per connection? Thousands of short connections, one batch after
// another, on crossnet under Node, Deno and Bun and on real node:net under Node, with the
// heap measured after a full garbage collection every `--every` connections. A leak of the
// smallest object per connection (a listener, a timer, a map entry) grows the heap by tens
// of bytes per connection, forever; a Socket left behind, by kilobytes. The heap also grows
// a little while the JIT compilers' feedback fills in, then stops: the verdict compares the
// growth per connection over the second half of the run with --limit.
//
// Not part of `npm test` (a run takes a minute or two, and a heap figure is not a behaviour);
// run it after changing what a socket keeps or registers.
//
// Usage: node scripts/soak.mjs [--runtime node,deno,bun] [--mode echo,timeout,...]
//        [--count 6000] [--every 1000] [--limit 32]
// Modes: echo (write, echo, the server ends first), timeout (the same with idle timers on
// both ends), destroy (the client destroys on the first byte), refused (connect to a closed
// port), server (a server opened, connected to and closed per connection), unix (echo over
// a Unix socket), iterate (the client reads with for await), pipe (the client pipes into a
// Writable). The TCP servers close first, so the client's ephemeral ports do not pile
// up in TIME_WAIT. Needs dist/ (npm run build).

import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { Writable } from "node:stream";

const MODES = ["echo", "timeout", "destroy", "refused", "server", "unix", "iterate", "pipe"];
/** Connections in flight at once. */
const BATCH = 20;
/** A child that outlives this is killed, and the run fails. */
const CHILD_LIMIT_MS = 120_000;

// ------------------------------------------------------------------ child

/** A full collection, on whichever runtime runs this. */
function collect() {
  const bun = globalThis.Bun;
  if (bun) return bun.gc(true);
  globalThis.gc();
  globalThis.gc();
}

/** One connection's life in `mode`; resolves at `close`. */
function oneConnection(net, mode, target) {
  return new Promise((resolve) => {
    const c = net.connect(target);
    c.on("error", () => {});
    if (mode === "timeout") c.setTimeout(60_000);
    if (mode === "destroy") c.on("data", () => c.destroy());
    else if (mode === "iterate") (async () => { for await (const _ of c); })().catch(() => {});
    else if (mode === "pipe") c.pipe(new Writable({ write: (_chunk, _encoding, done) => done() }));
    else c.resume();
    if (mode !== "refused") c.on("connect", () => c.write("hello"));
    c.on("end", () => c.end());
    c.on("close", resolve);
  });
}

/** A server opened, connected to once and closed. */
function serverCycle(net) {
  return new Promise((resolve) => {
    const s = net.createServer((x) => x.end("bye"));
    s.listen(0, "127.0.0.1", () => {
      const c = net.connect(s.address().port, "127.0.0.1");
      c.resume();
      c.on("end", () => c.end());
      c.on("close", () => s.close(() => resolve()));
    });
  });
}

/** An echo server that ends each connection after its first echo. */
async function echoServer(net, mode, path) {
  const server = net.createServer((s) => {
    s.on("error", () => {});
    if (mode === "timeout") s.setTimeout(60_000);
    s.on("data", (d) => s.end(d));
  });
  await new Promise((r) => (path ? server.listen(path, r) : server.listen(0, "127.0.0.1", r)));
  return server;
}

async function child(target, mode, count, every) {
  const watchdog = setTimeout(() => {
    console.log(JSON.stringify({ error: "timed out" }));
    process.exit(2);
  }, CHILD_LIMIT_MS);
  const rt = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
  const net = target === "node:net" ? await import("node:net") : await import(`../dist/${rt}.js`);
  let server;
  let step;
  if (mode === "server") step = () => serverCycle(net);
  else if (mode === "refused") {
    const closed = await echoServer(net, mode);
    const port = closed.address().port;
    await new Promise((r) => closed.close(r));
    step = () => oneConnection(net, mode, { port, host: "127.0.0.1" });
  } else {
    const path = mode === "unix" ? join(tmpdir(), `crossnet-soak-${process.pid}.sock`) : undefined;
    if (path) rmSync(path, { force: true });
    server = await echoServer(net, mode, path);
    const where = path ? { path } : { port: server.address().port, host: "127.0.0.1" };
    step = () => oneConnection(net, mode, where);
  }
  const heapKiB = [];
  for (let done = 0; done < count;) {
    const batch = [];
    for (let i = 0; i < BATCH; i++) batch.push(step());
    await Promise.all(batch);
    done += BATCH;
    if (done % every === 0) {
      // Let timers and closes that follow the last `close` run first.
      await new Promise((r) => setTimeout(r, 20));
      collect();
      heapKiB.push(Math.round(process.memoryUsage().heapUsed / 1024));
    }
  }
  if (server) await new Promise((r) => server.close(r));
  clearTimeout(watchdog);
  console.log(JSON.stringify({ heapKiB }));
}

// ------------------------------------------------------------------ orchestrator

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const NODE = [join(root, "node_modules", "node24", "bin", "node"), process.execPath].find((p) => existsSync(p));

function childCommand(runtime, target, mode, count, every) {
  const self = fileURLToPath(import.meta.url);
  const args = ["--child", target, mode, String(count), String(every)];
  if (runtime === "node") return [NODE, ["--expose-gc", self, ...args]];
  const bin = join(root, "node_modules", ".bin", runtime);
  if (runtime === "deno") return [bin, ["run", "-A", "--v8-flags=--expose-gc", self, ...args]];
  return [bin, [self, ...args]];
}

function runChild(runtime, target, mode, count, every) {
  return new Promise((done) => {
    const [command, args] = childCommand(runtime, target, mode, count, every);
    const p = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const killer = setTimeout(() => p.kill("SIGKILL"), CHILD_LIMIT_MS + 10_000);
    let out = "";
    let err = "";
    p.stdout.setEncoding("utf8");
    p.stderr.setEncoding("utf8");
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("error", (e) => done({ error: e.message }));
    p.on("close", (code) => {
      clearTimeout(killer);
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (code === 0 && line) return done(JSON.parse(line));
      done({ error: `exit ${code}: ${(line ?? err).trim().split("\n").slice(-3).join(" | ")}` });
    });
  });
}

function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

async function main(args) {
  if (args[0] === "--child") return child(args[1], args[2], Number(args[3]), Number(args[4]));
  if (args.includes("--help")) {
    console.log("Usage: node scripts/soak.mjs [--runtime node,deno,bun] [--mode " + MODES.join(",") +
      "] [--count 6000] [--every 1000] [--limit 32]");
    return;
  }
  if (!existsSync(join(root, "dist", "node.js"))) throw new Error("dist/ is missing: npm run build first");
  const runtimes = option(args, "--runtime", "node,deno,bun").split(",");
  const modes = option(args, "--mode", MODES.join(",")).split(",");
  const every = Number(option(args, "--every", "1000"));
  const count = Math.max(every * 4, Number(option(args, "--count", "6000")));
  const limit = Number(option(args, "--limit", "32"));
  for (const m of modes) if (!MODES.includes(m)) throw new Error(`unknown mode ${m}`);
  console.log(`${count} connections per run, heap after a full GC every ${every}; ` +
    `verdict: growth over the second half of the run, at most ${limit} bytes per connection`);
  console.log("runtime  target    mode     heap KiB: first .. last          B/conn (2nd half)  verdict");
  let failed = 0;
  for (const mode of modes) {
    for (const runtime of runtimes) {
      for (const target of runtime === "node" ? ["node:net", "crossnet"] : ["crossnet"]) {
        const r = await runChild(runtime, target, mode, count, every);
        let verdict;
        let line;
        if (r.error) {
          verdict = `ERROR ${r.error}`;
          line = "";
        } else {
          const h = r.heapKiB;
          const half = Math.floor(h.length / 2);
          const perConn = ((h[h.length - 1] - h[half - 1]) * 1024) / ((h.length - half) * every);
          verdict = perConn <= limit ? "ok" : "GROWS";
          line = `${h[0]} .. ${h[h.length - 1]}`.padEnd(26) + `${perConn.toFixed(1)}`.padStart(17);
        }
        if (verdict !== "ok") failed++;
        console.log(`${runtime.padEnd(8)} ${target.padEnd(9)} ${mode.padEnd(8)} ${line.padEnd(45)}  ${verdict}`);
      }
    }
  }
  if (failed > 0) {
    console.log(`${failed} run(s) grew or failed`);
    process.exitCode = 1;
  }
}

await main(process.argv.slice(2));
