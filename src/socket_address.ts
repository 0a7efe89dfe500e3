/**
 * `SocketAddress`: node:net's IP address, port, family and flow label, checked and kept in
 * canonical form, runtime-neutral (Node's is a C++ object; this one is plain TypeScript).
 *
 * @module
 */

import { inspectAs, inspectCustom, invalidArgType, invalidArgValue, outOfRange, plainError } from "./errors.ts";
import { formatIp, parseIPv4, parseIPv6, type IpBytes } from "./ip_bytes.ts";
import { validatePort } from "./socket_args.ts";

/** `"ipv4"` or `"ipv6"`: a {@link SocketAddress}'s family, as node:net names it. */
export type SocketAddressFamily = "ipv4" | "ipv6";

/** Options of `new SocketAddress()`. */
export interface SocketAddressInitOptions {
  /** The IP address (default `"127.0.0.1"` for IPv4, `"::"` for IPv6). */
  address?: string;
  /** `"ipv4"` (default) or `"ipv6"`, in any case. */
  family?: string;
  /** The port, 0 to 65535 (default 0). */
  port?: number | string;
  /** The IPv6 flow label, a 32-bit unsigned integer (default 0; IPv4 has none). */
  flowlabel?: number;
}

/** What `SocketAddress#toJSON()` returns. */
export interface SocketAddressJSON {
  /** The canonical address. */
  address: string;
  /** The port. */
  port: number;
  /** `"ipv4"` or `"ipv6"`. */
  family: SocketAddressFamily;
  /** The flow label (0 for IPv4). */
  flowlabel: number;
}

/** The bytes of a SocketAddress, for BlockList (set in SocketAddress's static block). */
let bytesOf: (address: SocketAddress) => IpBytes;

/**
 * An IP socket address (node:net's `SocketAddress`): address, port, family and flow label,
 * validated as Node validates them, the address kept in canonical form
 * (`"2001:DB8::0:1"` becomes `"2001:db8::1"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SocketAddress } from "crossnet";
 * const address = new SocketAddress({ address: "::1", family: "ipv6", port: 8080 });
 * assert.deepEqual(address.toJSON(), { address: "::1", port: 8080, family: "ipv6", flowlabel: 0 });
 * assert.equal(SocketAddress.parse("127.0.0.1:9000")?.port, 9000);
 * ```
 */
export class SocketAddress {
  private readonly bytes_: IpBytes;
  private readonly address_: string;
  private readonly port_: number;
  private readonly family_: SocketAddressFamily;
  private readonly flowlabel_: number;

  static {
    bytesOf = (address) => address.bytes_;
  }

  /**
   * Check `options` as Node does and keep the address in canonical form.
   *
   * @param options Address, family, port and flow label; every one has a default.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` for options of the wrong type,
   * `ERR_INVALID_ARG_VALUE` for a family other than IPv4 or IPv6.
   * @throws {RangeError} `ERR_SOCKET_BAD_PORT`, or `ERR_OUT_OF_RANGE` for the flow label.
   * @throws {Error} `ERR_INVALID_ADDRESS` when the address is not one of its family.
   */
  constructor(options: SocketAddressInitOptions = {}) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw invalidArgType("options", "object", options);
    }
    // Defaults stand in for `undefined` only, as in Node's destructuring: null is checked.
    let family: unknown = options.family === undefined ? "ipv4" : options.family;
    if (typeof family === "string") family = family.toLowerCase();
    if (family !== "ipv4" && family !== "ipv6") {
      throw invalidArgValue("options.family", options.family);
    }
    const address = options.address === undefined ? (family === "ipv4" ? "127.0.0.1" : "::") : options.address;
    if (typeof address !== "string") throw invalidArgType("options.address", "string", address);
    const port = validatePort(options.port === undefined ? 0 : options.port, "options.port");
    const flowlabel = options.flowlabel === undefined ? 0 : options.flowlabel;
    if (typeof flowlabel !== "number") throw invalidArgType("options.flowlabel", "number", flowlabel);
    if (!Number.isInteger(flowlabel)) throw outOfRange("options.flowlabel", "an integer", flowlabel);
    if (flowlabel < 0 || flowlabel > 0xffffffff) {
      throw outOfRange("options.flowlabel", ">= 0 && <= 4294967295", flowlabel);
    }
    const bytes = family === "ipv4" ? parseIPv4(address) : parseIPv6(address);
    if (bytes === undefined) throw plainError("ERR_INVALID_ADDRESS");
    this.bytes_ = bytes;
    this.address_ = formatIp(bytes);
    this.port_ = port;
    this.family_ = family;
    // An IPv4 socket address has no flow label.
    this.flowlabel_ = family === "ipv6" ? flowlabel : 0;
  }

  /** The address, in canonical form. */
  get address(): string {
    return this.address_;
  }

  /** The port. */
  get port(): number {
    return this.port_;
  }

  /** `"ipv4"` or `"ipv6"`. */
  get family(): SocketAddressFamily {
    return this.family_;
  }

  /** The IPv6 flow label (0 for IPv4). */
  get flowlabel(): number {
    return this.flowlabel_;
  }

  /** The four fields as a plain object (what `JSON.stringify` writes). */
  toJSON(): SocketAddressJSON {
    return { address: this.address_, port: this.port_, family: this.family_, flowlabel: this.flowlabel_ };
  }

  /**
   * Whether `value` is a `SocketAddress`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SocketAddress } from "crossnet";
   * assert.equal(SocketAddress.isSocketAddress(new SocketAddress()), true);
   * assert.equal(SocketAddress.isSocketAddress({ address: "127.0.0.1" }), false);
   * ```
   */
  static isSocketAddress(value: unknown): value is SocketAddress {
    return isSocketAddress(value);
  }

  /**
   * Parse `"address:port"` (`"[v6]:port"` for IPv6) the way a URL's host is parsed, as
   * Node does (so `"1.2.3.4:80"`, http's default port, has port 0).
   *
   * @returns The address, or `undefined` when `input` is not an IP address with a port.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `input` is not a string.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SocketAddress } from "crossnet";
   * assert.equal(SocketAddress.parse("[::1]:8080")?.address, "::1");
   * assert.equal(SocketAddress.parse("localhost:8080"), undefined);
   * ```
   */
  static parse(input: string): SocketAddress | undefined {
    return parseSocketAddress(input);
  }
}

// The class body does not name its own class: a bundler would then give it an inner name
// (esbuild: `var SocketAddress = class _SocketAddress`), and `SocketAddress.name` would be
// that one.
function isSocketAddress(value: unknown): value is SocketAddress {
  return value instanceof SocketAddress;
}

/** {@link SocketAddress.parse}. */
function parseSocketAddress(input: string): SocketAddress | undefined {
  if (typeof input !== "string") throw invalidArgType("input", "string", input);
  let url: URL;
  try {
    url = new URL(`http://${input}`);
  } catch {
    return undefined;
  }
  const { hostname, port } = url;
  try {
    if (hostname.startsWith("[") && hostname.endsWith("]")) {
      return new SocketAddress({ address: hostname.slice(1, -1), port: Number(port) | 0, family: "ipv6" });
    }
    return new SocketAddress({ address: hostname, port: Number(port) | 0 });
  } catch {
    return undefined;
  }
}

// How `console.log` and `util.inspect` show it, as Node does: `SocketAddress { address: ...,
// port: ... }`. (Defined here, not in the class: a computed method name has no declaration
// under isolatedDeclarations.)
Object.defineProperty(SocketAddress.prototype, inspectCustom, {
  value: function (this: SocketAddress, _depth: number, options: unknown, inspect: unknown): string {
    return inspectAs("SocketAddress", this.toJSON(), options, inspect);
  },
});

/**
 * The bytes of `address` (4 for IPv4, 16 for IPv6). Internal: for `BlockList`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(socketAddressBytes(new SocketAddress({ address: "::1", family: "ipv6" })).length, 16);
 * ```
 */
export function socketAddressBytes(address: SocketAddress): IpBytes {
  return bytesOf(address);
}
