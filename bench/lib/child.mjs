/**
 * Starting one workload process and talking to it: lines starting with `BENCH ` on its
 * stdout are its messages. Every wait has a limit; a process that outlives it, or fails,
 * is killed (by its own pid), and every process still alive is killed on exit.
 *
 * @module
 */

import { spawn } from "node:child_process";

const live = new Set();

/** Kill every workload process still running (on failure, Ctrl-C, exit). */
export function killAll() {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}
process.on("exit", killAll);

/**
 * A running workload process.
 *
 * @param {string} exe Executable (`taskset` when pinned).
 * @param {string[]} args Its arguments.
 * @param {string} cwd Working directory.
 */
export function start(exe, args, cwd) {
  const child = spawn(exe, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  const messages = [];
  const waiters = [];
  let stderr = "";
  let exited = null;
  let pending = "";
  const deliver = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (text) => {
    pending += text;
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.startsWith("BENCH ")) {
        try {
          messages.push(JSON.parse(line.slice(6)));
        } catch { /* not ours */ }
      }
    }
    deliver();
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text) => {
    if (stderr.length < 8000) stderr += text;
  });
  child.on("error", (err) => {
    exited = { code: null, signal: null, error: err };
    live.delete(child);
    deliver();
  });
  child.on("close", (code, signal) => {
    exited ??= { code, signal };
    live.delete(child);
    deliver();
  });

  /** Wait for a message with `key` (`ready`, `done`), or fail. */
  function message(key, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`${what}: no "${key}" within ${timeoutMs} ms${tail()}`));
      }, timeoutMs);
      const check = () => {
        const found = messages.find((m) => key in m || "error" in m);
        if (found && !(key in found)) {
          clearTimeout(timer);
          return reject(new Error(`${what}: ${found.error}`));
        }
        if (found) {
          clearTimeout(timer);
          return resolve(found[key]);
        }
        if (exited) {
          clearTimeout(timer);
          const how = exited.error ? exited.error.message : `exit ${exited.code ?? exited.signal}`;
          return reject(new Error(`${what}: ended (${how}) before "${key}"${tail()}`));
        }
        waiters.push(check);
      };
      check();
    });
  }

  /** Wait for the process to end, killing it after `timeoutMs`. */
  function exit(timeoutMs) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(false);
      }, timeoutMs);
      const check = () => {
        if (exited) {
          clearTimeout(timer);
          return resolve(exited.code === 0);
        }
        waiters.push(check);
      };
      check();
    });
  }

  function tail() {
    const text = stderr.trim();
    return text ? `\n--- stderr ---\n${text.slice(-2000)}` : "";
  }

  return { message, exit, kill: () => child.kill("SIGKILL"), pid: child.pid };
}
