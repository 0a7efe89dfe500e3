/**
 * A TCP reset (RST) for a `Deno.connect`/`Deno.listen` connection, which Deno's public API
 * cannot send: it has no `SO_LINGER`. On Linux, with `--allow-ffi` and read access to
 * `/proc`, this finds the connection's file descriptor (its socket inode in
 * `/proc/net/tcp{,6}`, then the descriptor in `/proc/self/fd` that points at it), sets
 * `SO_LINGER` to `{ on, 0 s }` through libc and closes the socket, as
 * `uv_tcp_close_reset()` does for Node. Deno's own `close()` cannot be used for that last
 * step: it shuts the write side down first (tokio's write half does on drop), so the peer
 * would read a FIN before the RST and see an orderly end. So the descriptor is pointed at
 * a fresh unconnected socket with `dup2()`, which closes the connection (RST) at once;
 * Deno then closes that stand-in when the caller closes the `Deno.Conn`. Elsewhere, or
 * without those permissions, it reports that it could not, and the caller closes with a FIN.
 *
 * @example
 * ```ts
 * import { resetConnection } from "./deno_linger.ts";
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: 80 });
 * if (!resetConnection(conn.localAddr, conn.remoteAddr)) console.log("FIN, not RST");
 * conn.close(); // always: it releases Deno's resource
 * ```
 *
 * @module
 */

/** A TCP end as Deno reports it. */
export interface TcpEnd {
  transport: string;
  hostname?: string;
  port?: number;
}

interface DenoFfiApi {
  build: { os: string };
  permissions: { querySync(desc: { name: string; path?: string }): { state: string } };
  readTextFileSync(path: string): string;
  readDirSync(path: string): Iterable<{ name: string }>;
  readLinkSync(path: string): string;
  dlopen(
    path: string,
    symbols: Record<string, { parameters: string[]; result: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => number> };
}

const AF_INET = 2; // Linux
const SOCK_STREAM = 1; // Linux
const SOL_SOCKET = 1; // Linux
const SO_LINGER = 13; // Linux
const LINGER_ZERO = new Int32Array([1, 0]); // struct linger { l_onoff = 1; l_linger = 0 }

interface Libc {
  setsockopt(fd: number, level: number, name: number, value: Int32Array, length: number): number;
  socket(domain: number, type: number, protocol: number): number;
  dup2(from: number, to: number): number;
  close(fd: number): number;
}

let libc: Libc | null | undefined;

/**
 * Reset the connection between `local` and `remote` (an RST, no FIN). The caller still
 * closes its `Deno.Conn` afterwards, whatever this returns.
 *
 * @param local The connection's `localAddr`.
 * @param remote The connection's `remoteAddr`.
 * @returns `true` when the RST was sent; `false` when it cannot be (not Linux, no
 *   `--allow-ffi`, no read access to `/proc`, the connection is gone).
 *
 * @example
 * ```ts
 * import { resetConnection } from "./deno_linger.ts";
 * const ok = resetConnection({ transport: "tcp", hostname: "127.0.0.1", port: 1 }, {
 *   transport: "tcp", hostname: "127.0.0.1", port: 2,
 * });
 * console.log(ok); // false: no such connection
 * ```
 */
export function resetConnection(local: TcpEnd, remote: TcpEnd): boolean {
  const deno = (globalThis as unknown as { Deno?: DenoFfiApi }).Deno;
  if (deno === undefined || local.transport !== "tcp" || remote.transport !== "tcp") return false;
  const c = loadLibc(deno);
  if (c === null) return false;
  try {
    const inode = findInode(deno, local, remote);
    if (inode === undefined) return false;
    const fd = findDescriptor(deno, inode);
    if (fd === undefined) return false;
    if (c.setsockopt(fd, SOL_SOCKET, SO_LINGER, LINGER_ZERO, LINGER_ZERO.byteLength) !== 0) return false;
    const standIn = c.socket(AF_INET, SOCK_STREAM, 0);
    if (standIn < 0) return false;
    // Closes the connection's socket (lingering 0 s: RST) and leaves the stand-in at `fd`.
    const swapped = c.dup2(standIn, fd) === fd;
    c.close(standIn);
    return swapped;
  } catch {
    return false;
  }
}

function loadLibc(deno: DenoFfiApi): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  try {
    if (deno.build.os !== "linux") return null;
    if (deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
    if (deno.permissions.querySync({ name: "read", path: "/proc" }).state !== "granted") return null;
    const lib = deno.dlopen("libc.so.6", {
      setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
      socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
      dup2: { parameters: ["i32", "i32"], result: "i32" },
      close: { parameters: ["i32"], result: "i32" },
    });
    libc = lib.symbols as unknown as Libc;
  } catch { /* no libc.so.6, or FFI unavailable */ }
  return libc;
}

/** The socket inode of the connection `local` -> `remote`, from `/proc/net/tcp{,6}`. */
function findInode(deno: DenoFfiApi, local: TcpEnd, remote: TcpEnd): string | undefined {
  const want = `${procAddress(local)} ${procAddress(remote)}`;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const lines = deno.readTextFileSync(table).split("\n");
    for (let i = 1; i < lines.length; i++) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = lines[i]!.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const pair = `${normalizeProc(fields[1]!)} ${normalizeProc(fields[2]!)}`;
      if (pair === want) return fields[9];
    }
  }
  return undefined;
}

/** The descriptor of this process that is socket `inode`. */
function findDescriptor(deno: DenoFfiApi, inode: string): number | undefined {
  const target = `socket:[${inode}]`;
  for (const entry of deno.readDirSync("/proc/self/fd")) {
    try {
      if (deno.readLinkSync(`/proc/self/fd/${entry.name}`) === target) return Number(entry.name);
    } catch { /* closed meanwhile */ }
  }
  return undefined;
}

/** `ip:port` as 16 address bytes in hex (IPv4 as IPv4-mapped) and the port in hex. */
function procAddress(end: TcpEnd): string {
  return `${hex(ipBytes(end.hostname ?? ""))}:${(end.port ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * A `/proc/net/tcp{,6}` address (`0100007F:1F90`: 32-bit words in host order, little
 * endian on every Linux Deno runs on) in {@link procAddress}'s form.
 */
function normalizeProc(field: string): string {
  const [address, port] = field.split(":") as [string, string];
  const bytes = new Uint8Array(16);
  if (address.length === 8) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    bytes.set(wordBytes(address), 12);
  } else {
    for (let w = 0; w < 4; w++) bytes.set(wordBytes(address.slice(w * 8, w * 8 + 8)), w * 4);
  }
  return `${hex(bytes)}:${port.toUpperCase()}`;
}

function wordBytes(word: string): number[] {
  const n = parseInt(word, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

/** An IPv4 or IPv6 literal as 16 bytes (IPv4 as `::ffff:a.b.c.d`). */
function ipBytes(ip: string): Uint8Array {
  const bytes = new Uint8Array(16);
  if (!ip.includes(":")) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    bytes.set(ip.split(".").map(Number), 12);
    return bytes;
  }
  let text = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") as [string, string] : [text, undefined];
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = [
    ...headGroups,
    ...new Array(8 - headGroups.length - tailGroups.length).fill("0"),
    ...tailGroups,
  ];
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  return bytes;
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).toUpperCase().padStart(2, "0");
  return out;
}
