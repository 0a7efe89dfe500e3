/**
 * The scenarios on Deno's own sockets, written the fastest way Deno allows (see DESIGN.md,
 * "Facts about the native primitives"): `conn.read()` into one reused buffer per
 * connection (256 KiB for bulk; 16 KiB for the echo scenarios, whose messages are 1 KiB at
 * most), and `conn.write()` in a loop, since it may take only part of the bytes. Awaiting
 * each write is the backpressure.
 *
 * @module
 */

import { echoAndBulkClient, expectedConnections, HOST, type ClientResult, type EchoProgress, type EchoResult, type Params, type Scenario, type ServerResult, type Workload } from "./types.ts";

// Minimal structural types for the Deno APIs used (no dependency on Deno's types).
interface DenoConn {
  read(buffer: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  closeWrite(): Promise<void>;
  close(): void;
  setNoDelay(noDelay?: boolean): void;
}

interface DenoApi {
  connect(options: { hostname: string; port: number }): Promise<DenoConn>;
  listen(options: { hostname: string; port: number; tcpBacklog?: number }): {
    accept(): Promise<DenoConn>;
    close(): void;
    readonly addr: { port: number };
  };
}

const Deno = (globalThis as unknown as { Deno: DenoApi }).Deno;

const BULK_READ_BUFFER = 256 * 1024;
const ECHO_READ_BUFFER = 16 * 1024;

async function writeAll(conn: DenoConn, data: Uint8Array): Promise<void> {
  let offset = await conn.write(data);
  while (offset < data.byteLength) offset += await conn.write(data.subarray(offset));
}

async function serve(scenario: Scenario, params: Params, ready: (port: number) => void): Promise<ServerResult> {
  const listener = Deno.listen({ hostname: HOST, port: 0, tcpBacklog: 1024 });
  ready(listener.addr.port);
  const echo = scenario !== "bulk";
  let received = 0;
  const handle = async (conn: DenoConn): Promise<void> => {
    const buffer = new Uint8Array(echo ? ECHO_READ_BUFFER : BULK_READ_BUFFER);
    try {
      if (echo) conn.setNoDelay(true);
      for (;;) {
        const n = await conn.read(buffer);
        if (n === null) break;
        received += n;
        if (echo) await writeAll(conn, buffer.subarray(0, n));
      }
    } finally {
      conn.close();
    }
  };
  const handlers: Promise<void>[] = [];
  for (let i = expectedConnections(scenario, params); i > 0; i--) {
    handlers.push(handle(await listener.accept()));
  }
  listener.close();
  await Promise.all(handlers);
  return { bytes: received };
}

async function bulkClient(params: Params, port: number): Promise<ClientResult> {
  const conn = await Deno.connect({ hostname: HOST, port });
  try {
    const start = performance.now();
    const chunk = new Uint8Array(params.bulkChunk).fill(120);
    for (let sent = 0; sent < params.bulkBytes;) {
      const size = Math.min(chunk.byteLength, params.bulkBytes - sent);
      await writeAll(conn, size === chunk.byteLength ? chunk : chunk.subarray(0, size));
      sent += size;
    }
    await conn.closeWrite();
    // The server closes once it has read every byte: that is the end of the transfer.
    const buffer = new Uint8Array(16);
    while ((await conn.read(buffer)) !== null) { /* nothing is sent back */ }
    return { ms: performance.now() - start, bytes: 0 };
  } finally {
    conn.close();
  }
}


/** One connection doing `rounds` sequential round trips of `size` bytes. */
async function echoClient(port: number, rounds: number, size: number, progress?: EchoProgress): Promise<EchoResult> {
  const conn = await Deno.connect({ hostname: HOST, port });
  progress?.opened();
  try {
    conn.setNoDelay(true);
    const message = new Uint8Array(size).fill(120);
    const buffer = new Uint8Array(ECHO_READ_BUFFER);
    let received = 0;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) {
      await writeAll(conn, message);
      for (let pending = size; pending > 0;) {
        const n = await conn.read(buffer);
        if (n === null) throw new Error(`echo: closed after ${i} of ${rounds} round trips`);
        pending -= n;
        received += n;
      }
      progress?.echoed();
    }
    const doneAt = performance.now();
    return { ms: doneAt - start, bytes: received, doneAt };
  } finally {
    conn.close();
  }
}

/** Deno's native sockets, both sides. */
export const workload: Workload = {
  server: serve,
  client: echoAndBulkClient(bulkClient, echoClient),
};
