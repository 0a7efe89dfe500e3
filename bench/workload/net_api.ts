/**
 * The scenarios written against node:net's API, once: they run with crossnet's entries
 * (`../../node.ts`, `../../deno.ts`, `../../bun.ts`) and with each runtime's own `node:net`,
 * the same code for both, so only the library under it differs.
 *
 * Bulk respects backpressure (`write()` returning false, then `drain`); the echo servers
 * need none: their clients wait for each echo before sending more.
 *
 * @module
 */

import { echoAndBulkClient, expectedConnections, HOST, type ClientResult, type EchoProgress, type EchoResult, type Params, type Scenario, type ServerResult, type Workload } from "./types.ts";

// Minimal structural types: the part of node:net's API the scenarios use.
interface NetSocket {
  write(data: Uint8Array): boolean;
  end(): void;
  setNoDelay(noDelay?: boolean): unknown;
  on(event: string, listener: (arg?: any) => void): unknown;
  once(event: string, listener: (arg?: any) => void): unknown;
}

interface NetServer {
  listen(options: { port: number; host: string; backlog: number }, listener: () => void): unknown;
  address(): unknown;
  close(callback?: () => void): unknown;
  on(event: string, listener: (arg?: any) => void): unknown;
}

/** The two functions of node:net the scenarios need. */
export interface NetApi {
  createServer(listener: (socket: NetSocket) => void): NetServer;
  connect(options: { port: number; host: string }): NetSocket;
}

/**
 * The scenarios over one implementation of node:net's API.
 *
 * @param net crossnet's entry module, or a runtime's `node:net`.
 * @returns The workload, both sides.
 */
export function netWorkload(net: NetApi): Workload {
  return {
    server: (scenario, params, ready) => serve(net, scenario, params, ready),
    client: echoAndBulkClient(
      (params, port) => bulkClient(net, params, port),
      (port, rounds, size, progress) => echoClient(net, port, rounds, size, progress),
    ),
  };
}

function serve(
  net: NetApi,
  scenario: Scenario,
  params: Params,
  ready: (port: number) => void,
): Promise<ServerResult> {
  return new Promise((resolve, reject) => {
    const expected = expectedConnections(scenario, params);
    const echo = scenario !== "bulk";
    let received = 0;
    let closed = 0;
    const server = net.createServer((socket) => {
      socket.on("error", reject);
      if (echo) {
        socket.setNoDelay(true);
        socket.on("data", (chunk: Uint8Array) => {
          received += chunk.byteLength;
          socket.write(chunk);
        });
      } else {
        socket.on("data", (chunk: Uint8Array) => {
          received += chunk.byteLength;
        });
      }
      socket.on("end", () => socket.end());
      socket.on("close", () => {
        if (++closed === expected) server.close(() => resolve({ bytes: received }));
      });
    });
    server.on("error", reject);
    server.listen({ port: 0, host: HOST, backlog: 1024 }, () => {
      ready((server.address() as { port: number }).port);
    });
  });
}

function bulkClient(net: NetApi, params: Params, port: number): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const total = params.bulkBytes;
    const chunk = new Uint8Array(params.bulkChunk).fill(120);
    let sent = 0;
    let start = 0;
    let ms = -1;
    const socket = net.connect({ port, host: HOST });
    const pump = (): void => {
      while (sent < total) {
        const size = Math.min(chunk.byteLength, total - sent);
        sent += size;
        if (!socket.write(size === chunk.byteLength ? chunk : chunk.subarray(0, size))) {
          socket.once("drain", pump);
          return;
        }
      }
      socket.end();
    };
    socket.on("error", reject);
    socket.on("connect", () => {
      start = performance.now();
      pump();
    });
    socket.on("data", () => {});
    // The server ends once it has read every byte: that is the end of the transfer.
    socket.on("end", () => {
      ms = performance.now() - start;
    });
    socket.on("close", () => {
      if (ms < 0) reject(new Error("bulk: closed before the server's end"));
      else resolve({ ms, bytes: 0 });
    });
  });
}


/** One connection doing `rounds` sequential round trips of `size` bytes. */
function echoClient(
  net: NetApi,
  port: number,
  rounds: number,
  size: number,
  progress?: EchoProgress,
): Promise<EchoResult> {
  return new Promise((resolve, reject) => {
    const message = new Uint8Array(size).fill(120);
    let done = 0;
    let pending = size;
    let received = 0;
    let start = 0;
    let doneAt = -1;
    const socket = net.connect({ port, host: HOST });
    socket.on("error", reject);
    socket.on("connect", () => {
      progress?.opened();
      socket.setNoDelay(true);
      start = performance.now();
      socket.write(message);
    });
    socket.on("data", (chunk: Uint8Array) => {
      received += chunk.byteLength;
      pending -= chunk.byteLength;
      if (pending > 0) return;
      if (pending < 0) return reject(new Error("echo: more bytes than sent"));
      progress?.echoed();
      if (++done === rounds) {
        doneAt = performance.now();
        socket.end();
        return;
      }
      pending = size;
      socket.write(message);
    });
    socket.on("close", () => {
      if (doneAt < 0) reject(new Error(`echo: closed after ${done} of ${rounds} round trips`));
      else resolve({ ms: doneAt - start, bytes: received, doneAt });
    });
  });
}
