/**
 * `BlockList`: node:net's rules for refusing IP addresses (single addresses, ranges,
 * subnets), runtime-neutral. `createServer({ blockList })` drops connections from a listed
 * address; `connect({ blockList })` refuses to connect to one.
 *
 * @module
 */

import { inspectAs, inspectCustom, invalidArgType, invalidArgValue, outOfRange } from "./errors.ts";
import { compareIp, formatIp, inNetwork, type IpBytes } from "./ip_bytes.ts";
import { SocketAddress, socketAddressBytes } from "./socket_address.ts";

/** One rule, with the bytes it matches against. */
type Rule =
  | { kind: "Address"; v6: boolean; address: IpBytes }
  | { kind: "Range"; v6: boolean; start: IpBytes; end: IpBytes }
  | { kind: "Subnet"; v6: boolean; network: IpBytes; prefix: number };

/** The order `rules` lists kinds in (as Node 24 does; newest first within a kind). */
const KIND_ORDER = ["Address", "Subnet", "Range"] as const;

/**
 * A list of IP addresses, ranges and subnets to refuse (node:net's `BlockList`). An IPv4
 * address and its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`) match the same rules.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BlockList } from "crossnet";
 * const blockList = new BlockList();
 * blockList.addAddress("123.123.123.123");
 * blockList.addRange("10.0.0.1", "10.0.0.10");
 * blockList.addSubnet("8592:757c:efae:4e45::", 64, "ipv6");
 * assert.equal(blockList.check("10.0.0.3"), true);
 * assert.equal(blockList.check("222.111.111.222"), false);
 * assert.equal(blockList.check("::ffff:7b7b:7b7b", "ipv6"), true); // 123.123.123.123
 * ```
 */
export class BlockList {
  /** Newest first. */
  private readonly rules_: Rule[] = [];

  /**
   * Refuse one address.
   *
   * @param address An IP address of `family`, or a `SocketAddress`.
   * @param family `"ipv4"` (default) or `"ipv6"`.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for bad arguments.
   * @throws {Error} `ERR_INVALID_ADDRESS` when `address` is not an address of `family`.
   */
  addAddress(address: string | SocketAddress, family: string = "ipv4"): void {
    const at = toSocketAddress(address, family, "address");
    this.rules_.unshift({ kind: "Address", v6: at.family === "ipv6", address: socketAddressBytes(at) });
  }

  /**
   * Refuse every address from `start` to `end`, both included.
   *
   * @param start The first address of the range (a string of `family`, or a `SocketAddress`).
   * @param end The last address of the range.
   * @param family `"ipv4"` (default) or `"ipv6"`, for string addresses.
   * @throws {TypeError} `ERR_INVALID_ARG_VALUE` when `start` comes after `end`.
   */
  addRange(start: string | SocketAddress, end: string | SocketAddress, family: string = "ipv4"): void {
    const first = toSocketAddress(start, family, "start");
    const last = toSocketAddress(end, family, "end");
    const a = socketAddressBytes(first);
    const b = socketAddressBytes(last);
    if (compareIp(a, b) === 1) throw invalidArgValue("start", first, "must come before end");
    this.rules_.unshift({ kind: "Range", v6: first.family === "ipv6", start: a, end: b });
  }

  /**
   * Refuse a subnet: every address whose first `prefix` bits are those of `network`.
   *
   * @param network The network's address (a string of `family`, or a `SocketAddress`).
   * @param prefix The prefix length: 0 to 32 for IPv4, 0 to 128 for IPv6.
   * @param family `"ipv4"` (default) or `"ipv6"`, for a string network.
   * @throws {RangeError} `ERR_OUT_OF_RANGE` for a prefix outside its family's range.
   */
  addSubnet(network: string | SocketAddress, prefix: number, family: string = "ipv4"): void {
    const net = toSocketAddress(network, family, "network");
    const max = net.family === "ipv4" ? 32 : 128;
    if (typeof prefix !== "number") throw invalidArgType("prefix", "number", prefix);
    if (!Number.isInteger(prefix)) throw outOfRange("prefix", "an integer", prefix);
    if (prefix < 0 || prefix > max) throw outOfRange("prefix", `>= 0 && <= ${max}`, prefix);
    this.rules_.unshift({ kind: "Subnet", v6: net.family === "ipv6", network: socketAddressBytes(net), prefix });
  }

  /**
   * Whether `address` matches a rule. An address that is not one of `family` matches none.
   *
   * @param address An IP address of `family`, or a `SocketAddress`.
   * @param family `"ipv4"` (default) or `"ipv6"`.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `address` or `family` is not a string.
   */
  check(address: string | SocketAddress, family: string = "ipv4"): boolean {
    let at: SocketAddress;
    if (SocketAddress.isSocketAddress(address)) at = address;
    else {
      if (typeof address !== "string") throw invalidArgType("address", "string", address);
      if (typeof family !== "string") throw invalidArgType("family", "string", family);
      try {
        at = new SocketAddress({ address, family });
      } catch {
        return false;
      }
    }
    const bytes = socketAddressBytes(at);
    for (const rule of this.rules_) {
      if (matches(rule, bytes)) return true;
    }
    return false;
  }

  /**
   * The rules as text, addresses first, then subnets, then ranges, newest first within each:
   * `"Address: IPv4 1.2.3.4"`, `"Subnet: IPv6 fe80::/10"`, `"Range: IPv4 10.0.0.1-10.0.0.9"`.
   */
  get rules(): string[] {
    const out: string[] = [];
    for (const kind of KIND_ORDER) {
      for (const rule of this.rules_) if (rule.kind === kind) out.push(describe(rule));
    }
    return out;
  }

  /** The rules (as {@link rules}), for `JSON.stringify` and {@link fromJSON}. */
  toJSON(): string[] {
    return this.rules;
  }

  /**
   * Add the rules of `data`: what {@link toJSON} returned, or that as a JSON string. Lines
   * that are not rules are skipped; a rule with a bad address or prefix throws as the
   * matching `add*` method does.
   *
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` unless `data` is a string array or its JSON.
   * @throws {SyntaxError} When a string `data` is not JSON.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BlockList } from "crossnet";
   * const copy = new BlockList();
   * copy.fromJSON(["Address: IPv4 10.0.0.5", "Subnet: IPv6 2001:db8::/32"]);
   * assert.equal(copy.check("2001:db8::1", "ipv6"), true);
   * ```
   */
  fromJSON(data: string | readonly string[]): void {
    let lines: unknown = data;
    if (typeof lines === "string") lines = JSON.parse(lines);
    else if (!Array.isArray(lines)) throw invalidArgType("data", ["string", "string[]"], data);
    if (!Array.isArray(lines) || lines.some((line) => typeof line !== "string")) {
      throw invalidArgType("data", ["string", "string[]"], lines);
    }
    for (const line of lines as string[]) this.addLine_(line);
  }

  /** One line of {@link fromJSON}: a rule as {@link rules} writes it, else nothing. */
  private addLine_(line: string): void {
    if (line.includes("IPv4")) {
      let m = /Subnet: IPv4 (\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})/.exec(line);
      if (m) return this.addSubnet(m[1]!, parseInt(m[2]!, 10));
      m = /Address: IPv4 (\d{1,3}(?:\.\d{1,3}){3})/.exec(line);
      if (m) return this.addAddress(m[1]!);
      m = /Range: IPv4 (\d{1,3}(?:\.\d{1,3}){3})-(\d{1,3}(?:\.\d{1,3}){3})/.exec(line);
      if (m) return this.addRange(m[1]!, m[2]!);
    }
    if (line.includes("IPv6")) {
      let m = /Subnet: IPv6 ([0-9a-fA-F:]{1,39})\/([0-9]{1,3})/i.exec(line);
      if (m) return this.addSubnet(m[1]!, parseInt(m[2]!, 10), "ipv6");
      m = /Address: IPv6 ([0-9a-fA-F:]{1,39})/i.exec(line);
      if (m) return this.addAddress(m[1]!, "ipv6");
      m = /Range: IPv6 ([0-9a-fA-F:]{1,39})-([0-9a-fA-F:]{1,39})/i.exec(line);
      if (m) return this.addRange(m[1]!, m[2]!, "ipv6");
    }
  }

  /**
   * Whether `value` is a `BlockList`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BlockList } from "crossnet";
   * assert.equal(BlockList.isBlockList(new BlockList()), true);
   * assert.equal(BlockList.isBlockList({ check: () => false }), false);
   * ```
   */
  static isBlockList(value: unknown): value is BlockList {
    return isBlockList(value);
  }
}

// The class body does not name its own class: a bundler would then give it an inner name
// (esbuild: `var BlockList = class _BlockList`), and `BlockList.name` would be that one.
function isBlockList(value: unknown): value is BlockList {
  return value instanceof BlockList;
}

// How `console.log` and `util.inspect` show it, as Node does: `BlockList { rules: [...] }`.
// (Defined here, not in the class: a computed method name has no declaration under
// isolatedDeclarations.)
Object.defineProperty(BlockList.prototype, inspectCustom, {
  value: function (this: BlockList, _depth: number, options: unknown, inspect: unknown): string {
    return inspectAs("BlockList", { rules: this.rules }, options, inspect);
  },
});

/**
 * The `blockList` option of a server or socket, checked as Node checks it: unset (any
 * falsy value), or a `BlockList`.
 *
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(blockListOption(undefined), undefined);
 * assert.throws(() => blockListOption(5), { code: "ERR_INVALID_ARG_TYPE" });
 * ```
 */
export function blockListOption(value: unknown): BlockList | undefined {
  if (!value) return undefined;
  if (!BlockList.isBlockList(value)) throw invalidArgType("options.blockList", "net.BlockList", value);
  return value;
}

/** A string (of `family`) or a SocketAddress, as a SocketAddress; Node's checks and errors. */
function toSocketAddress(value: unknown, family: unknown, name: string): SocketAddress {
  if (SocketAddress.isSocketAddress(value)) return value;
  if (typeof value !== "string") throw invalidArgType(name, "string", value);
  if (typeof family !== "string") throw invalidArgType("family", "string", family);
  return new SocketAddress({ address: value, family });
}

function matches(rule: Rule, address: IpBytes): boolean {
  switch (rule.kind) {
    case "Address":
      return compareIp(address, rule.address) === 0;
    case "Range": {
      const low = compareIp(address, rule.start);
      const high = compareIp(address, rule.end);
      return (low === 0 || low === 1) && (high === 0 || high === -1);
    }
    case "Subnet":
      return inNetwork(address, rule.network, rule.prefix);
  }
}

function describe(rule: Rule): string {
  const family = rule.v6 ? "IPv6" : "IPv4";
  switch (rule.kind) {
    case "Address":
      return `Address: ${family} ${formatIp(rule.address)}`;
    case "Range":
      return `Range: ${family} ${formatIp(rule.start)}-${formatIp(rule.end)}`;
    case "Subnet":
      return `Subnet: ${family} ${formatIp(rule.network)}/${rule.prefix}`;
  }
}
