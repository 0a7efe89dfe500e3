/**
 * The scenarios on Bun's own sockets, written the fastest way Bun allows (see DESIGN.md,
 * "Facts about the native primitives"): handler objects shared by all sockets of a
 * listener, per-socket state in `socket.data`, and a remainder queue, because
 * `socket.write()` takes what the kernel accepts and drops the rest: the rest is re-sent
 * from the `drain` handler. That queue is the backpressure.
 *
 * @module
 */

import { echoAndBulkClient, expectedConnections, HOST, type ClientResult, type EchoProgress, type EchoResult, type Params, type Scenario, type ServerResult, type Workload } from "./types.ts";

// Minimal structural types for the Bun APIs used (no dependency on @types/bun).
interface BunSocket<Data> {
  data: Data;
  write(data: Uint8Array): number;
  shutdown(): void;
  end(): void;
  setNoDelay(noDelay?: boolean): boolean;
}

interface Handlers<Data> {
  open?(socket: BunSocket<Data>): void;
  data?(socket: BunSocket<Data>, chunk: Uint8Array): void;
  drain?(socket: BunSocket<Data>): void;
  end?(socket: BunSocket<Data>): void;
  close?(socket: BunSocket<Data>, error?: unknown): void;
  error?(socket: BunSocket<Data>, error: Error): void;
  connectError?(socket: BunSocket<Data>, error: Error): void;
}

interface BunApi {
  listen<Data>(options: { hostname: string; port: number; socket: Handlers<Data>; data: Data }): {
    readonly port: number;
    stop(closeActiveConnections?: boolean): void;
  };
  connect<Data>(options: { hostname: string; port: number; socket: Handlers<Data>; data: Data }): Promise<
    BunSocket<Data>
  >;
}

const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;

/** Bytes not yet taken by the kernel, oldest first. */
interface Outbox {
  queue: Uint8Array[];
}

/** Write `bytes`, queueing what Bun did not take. */
function send(socket: BunSocket<Outbox>, bytes: Uint8Array): void {
  const queue = socket.data.queue;
  if (queue.length > 0) {
    queue.push(bytes);
    return;
  }
  const taken = socket.write(bytes);
  if (taken < 0) throw new Error("write on a closed socket");
  if (taken < bytes.byteLength) queue.push(bytes.subarray(taken));
}

/** Re-send queued bytes from `drain`; true when the queue is empty. */
function flush(socket: BunSocket<Outbox>): boolean {
  const queue = socket.data.queue;
  while (queue.length > 0) {
    const bytes = queue[0]!;
    const taken = socket.write(bytes);
    if (taken < 0) throw new Error("write on a closed socket");
    if (taken < bytes.byteLength) {
      queue[0] = bytes.subarray(taken);
      return false;
    }
    queue.shift();
  }
  return true;
}

function serve(scenario: Scenario, params: Params, ready: (port: number) => void): Promise<ServerResult> {
  return new Promise((resolve, reject) => {
    const expected = expectedConnections(scenario, params);
    const echo = scenario !== "bulk";
    let received = 0;
    let closed = 0;
    const listener = Bun.listen<Outbox>({
      hostname: HOST,
      port: 0,
      data: { queue: [] },
      socket: {
        open(socket) {
          socket.data = { queue: [] };
          if (echo) socket.setNoDelay(true);
        },
        data(socket, chunk) {
          received += chunk.byteLength;
          if (echo) send(socket, chunk);
        },
        drain(socket) {
          flush(socket);
        },
        end(socket) {
          socket.end();
        },
        close() {
          if (++closed === expected) {
            listener.stop();
            resolve({ bytes: received });
          }
        },
        error(_socket, error) {
          reject(error);
        },
      },
    });
    ready(listener.port);
  });
}

interface BulkState extends Outbox {
  sent: number;
  shut: boolean;
}

function bulkClient(params: Params, port: number): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const total = params.bulkBytes;
    const chunk = new Uint8Array(params.bulkChunk).fill(120);
    let start = 0;
    let ms = -1;
    const pump = (socket: BunSocket<BulkState>): void => {
      if (!flush(socket)) return;
      const state = socket.data;
      while (state.sent < total) {
        const size = Math.min(chunk.byteLength, total - state.sent);
        state.sent += size;
        send(socket, size === chunk.byteLength ? chunk : chunk.subarray(0, size));
        if (state.queue.length > 0) return; // Wait for `drain`.
      }
      if (!state.shut) {
        state.shut = true;
        socket.shutdown();
      }
    };
    // The server ends once it has read every byte: that is the end of the transfer.
    const finish = (): void => {
      if (ms < 0) ms = performance.now() - start;
    };
    Bun.connect<BulkState>({
      hostname: HOST,
      port,
      data: { queue: [], sent: 0, shut: false },
      socket: {
        open(socket) {
          start = performance.now();
          pump(socket);
        },
        drain: pump,
        data() {},
        end: finish,
        close(socket) {
          if (!socket.data.shut) return reject(new Error("bulk: closed before the end"));
          finish();
          resolve({ ms, bytes: 0 });
        },
        error(_socket, error) {
          reject(error);
        },
        connectError(_socket, error) {
          reject(error);
        },
      },
    }).catch(reject);
  });
}

interface EchoState extends Outbox {
  done: number;
  pending: number;
  received: number;
  start: number;
  doneAt: number;
}


/** One connection doing `rounds` sequential round trips of `size` bytes. */
function echoClient(port: number, rounds: number, size: number, progress?: EchoProgress): Promise<EchoResult> {
  return new Promise((resolve, reject) => {
    const message = new Uint8Array(size).fill(120);
    Bun.connect<EchoState>({
      hostname: HOST,
      port,
      data: { queue: [], done: 0, pending: size, received: 0, start: 0, doneAt: -1 },
      socket: {
        open(socket) {
          progress?.opened();
          socket.setNoDelay(true);
          socket.data.start = performance.now();
          send(socket, message);
        },
        data(socket, chunk) {
          const state = socket.data;
          state.received += chunk.byteLength;
          state.pending -= chunk.byteLength;
          if (state.pending > 0) return;
          if (state.pending < 0) return reject(new Error("echo: more bytes than sent"));
          progress?.echoed();
          if (++state.done === rounds) {
            state.doneAt = performance.now();
            socket.end();
            return;
          }
          state.pending = size;
          send(socket, message);
        },
        drain(socket) {
          flush(socket);
        },
        close(socket) {
          const state = socket.data;
          if (state.doneAt < 0) {
            reject(new Error(`echo: closed after ${state.done} of ${rounds} round trips`));
          } else resolve({ ms: state.doneAt - state.start, bytes: state.received, doneAt: state.doneAt });
        },
        error(_socket, error) {
          reject(error);
        },
        connectError(_socket, error) {
          reject(error);
        },
      },
    }).catch(reject);
  });
}

/** Bun's native sockets, both sides. */
export const workload: Workload = {
  server: serve,
  client: echoAndBulkClient(bulkClient, echoClient),
};
