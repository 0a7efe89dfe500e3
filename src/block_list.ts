/**
 * `BlockList`: node:net's rules for refusing IP addresses (single addresses, ranges,
 * subnets), runtime-neutral. `createServer({ blockList })` drops connections from a listed
 * address; `connect({ blockList })` refuses to connect to one.
 *
 * @module
 */

import { inspectAs, inspectCustom, invalidArgType, invalidArgValue, validateInt32 } from "./errors.ts";
import { compareIp, formatIp, inNetwork, parseIPv4, parseIPv6, type IpBytes } from "./ip_bytes.ts";
import { SocketAddress, socketAddressBytes } from "./socket_address.ts";

/** An address rule, with the bytes it matches against. */
type AddressRule = { kind: "Address"; v6: boolean; address: IpBytes };

/** A range or subnet rule, with the bytes it matches against. */
type SpanRule =
  | { kind: "Range"; v6: boolean; start: IpBytes; end: IpBytes }
  | { kind: "Subnet"; v6: boolean; network: IpBytes; prefix: number };

/** The networks that are not routed on the internet (`BlockList.PRIVATE_RANGES`). */
const PRIVATE_RANGES: readonly string[] = Object.freeze([
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "127.0.0.0/8",
  "::1/128",
  "169.254.0.0/16",
  "fe80::/10",
  "fc00::/7",
]);

/**
 * A list of IP addresses, ranges and subnets to refuse (node:net's `BlockList`, with what
 * Node 24.21 added: CIDR strings, removal, `clear()`, `size`, `PRIVATE_RANGES`). An IPv4
 * address and its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`) match the same rules, and are
 * one address rule: adding one replaces the other.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BlockList } from "crossnet";
 * const blockList = new BlockList();
 * blockList.addAddress("123.123.123.123");
 * blockList.addRange("10.0.0.1", "10.0.0.10");
 * blockList.addSubnet("8592:757c:efae:4e45::", 64, "ipv6");
 * blockList.addCIDR("192.168.0.0/16");
 * assert.equal(blockList.check("10.0.0.3"), true);
 * assert.equal(blockList.check("222.111.111.222"), false);
 * assert.equal(blockList.check("::ffff:7b7b:7b7b", "ipv6"), true); // 123.123.123.123
 * blockList.removeCIDR("192.168.0.0/16");
 * assert.equal(blockList.check("192.168.1.1"), false);
 * ```
 */
export class BlockList {
  /**
   * The address rules by address (an IPv4 address and its IPv4-mapped form share one key),
   * oldest first.
   */
  private readonly addresses_ = new Map<string, AddressRule>();
  /** The range and subnet rules, newest first. */
  private readonly spans_: SpanRule[] = [];

  /**
   * The networks that are not routed on the internet, as CIDR strings (frozen): RFC 1918's
   * private networks, loopback, link-local and IPv6 unique local addresses. For {@link addCIDRs}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BlockList } from "crossnet";
   * const blockList = new BlockList();
   * blockList.addCIDRs(BlockList.PRIVATE_RANGES);
   * assert.equal(blockList.check("127.0.0.1"), true);
   * assert.equal(blockList.check("8.8.8.8"), false);
   * ```
   */
  static PRIVATE_RANGES: readonly string[] = PRIVATE_RANGES;

  /**
   * Refuse one address. Adding an address that is already listed (in any form) replaces
   * its rule.
   *
   * @param address An IP address of `family`, or a `SocketAddress`.
   * @param family `"ipv4"` (default) or `"ipv6"`.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for bad arguments.
   * @throws {Error} `ERR_INVALID_ADDRESS` when `address` is not an address of `family`.
   */
  addAddress(address: string | SocketAddress, family: string = "ipv4"): void {
    this.putAddress_(toSocketAddress(address, family, "address"));
  }

  /**
   * Refuse several addresses at once. Every one is checked first: when one is wrong, none
   * is added.
   *
   * @param addresses IP addresses of `family`, or `SocketAddress`es.
   * @param family `"ipv4"` (default) or `"ipv6"`, for the string addresses.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` unless `addresses` is an array of those.
   * @throws {Error} `ERR_INVALID_ADDRESS` when one is not an address of `family`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BlockList } from "crossnet";
   * const blockList = new BlockList();
   * blockList.addAddresses(["::1", "::2"], "ipv6");
   * assert.equal(blockList.size, 2);
   * ```
   */
  addAddresses(addresses: ReadonlyArray<string | SocketAddress>, family: string = "ipv4"): void {
    if (!Array.isArray(addresses)) throw invalidArgType("addresses", "Array", addresses);
    if (typeof family !== "string") throw invalidArgType("family", "string", family);
    const all: SocketAddress[] = [];
    for (let i = 0; i < addresses.length; i++) {
      const address: unknown = addresses[i];
      if (SocketAddress.isSocketAddress(address)) all.push(address);
      else if (typeof address !== "string") throw invalidArgType(`addresses[${i}]`, "string", address);
      else all.push(new SocketAddress({ address, family }));
    }
    for (const address of all) this.putAddress_(address);
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
    this.spans_.unshift({ kind: "Range", v6: first.family === "ipv6", start: a, end: b });
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
    this.spans_.unshift({ kind: "Subnet", v6: net.family === "ipv6", network: socketAddressBytes(net), prefix: validPrefix(prefix, net) });
  }

  /**
   * Refuse a subnet written in CIDR notation, `"10.0.0.0/8"` or `"2001:db8::/32"` (IPv6
   * when the address has a `:`): as {@link addSubnet}.
   *
   * @param cidr The network's address, `/`, and the prefix length in decimal.
   * @throws {TypeError} `ERR_INVALID_ARG_VALUE` without a prefix length, or with one that is
   * not written as a plain integer.
   * @throws {RangeError} `ERR_OUT_OF_RANGE` for a prefix outside its family's range.
   * @throws {Error} `ERR_INVALID_ADDRESS` when the address is not one.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BlockList } from "crossnet";
   * const blockList = new BlockList();
   * blockList.addCIDR("2001:db8::/32");
   * assert.deepEqual(blockList.rules, ["Subnet: IPv6 2001:db8::/32"]);
   * ```
   */
  addCIDR(cidr: string): void {
    const { address, prefix, family } = parseCidr(cidr);
    this.addSubnet(address, prefix, family);
  }

  /**
   * {@link addCIDR} for each string of `cidrs`. Every string is parsed first (a missing or
   * malformed prefix length adds none); a bad address or an out-of-range prefix throws as
   * {@link addSubnet}, with the subnets before it added.
   *
   * @param cidrs Subnets in CIDR notation.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` unless `cidrs` is an array of strings.
   */
  addCIDRs(cidrs: readonly string[]): void {
    if (!Array.isArray(cidrs)) throw invalidArgType("cidrs", "Array", cidrs);
    const parsed: Cidr[] = [];
    for (let i = 0; i < cidrs.length; i++) {
      const cidr: unknown = cidrs[i];
      if (typeof cidr !== "string") throw invalidArgType(`cidrs[${i}]`, "string", cidr);
      parsed.push(parseCidr(cidr));
    }
    for (const { address, prefix, family } of parsed) this.addSubnet(address, prefix, family);
  }

  /**
   * Take an address rule away: the one for `address`, in either of its forms (IPv4 or
   * IPv4-mapped). Nothing happens when there is none.
   *
   * @param address An IP address of `family`, or a `SocketAddress`.
   * @param family `"ipv4"` (default) or `"ipv6"`.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for bad arguments.
   * @throws {Error} `ERR_INVALID_ADDRESS` when `address` is not an address of `family`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BlockList } from "crossnet";
   * const blockList = new BlockList();
   * blockList.addAddress("1.2.3.4");
   * blockList.removeAddress("1.2.3.4");
   * assert.equal(blockList.check("1.2.3.4"), false);
   * ```
   */
  removeAddress(address: string | SocketAddress, family: string = "ipv4"): void {
    this.addresses_.delete(addressKey(socketAddressBytes(toSocketAddress(address, family, "address"))));
  }

  /**
   * Take away the newest range rule from exactly `start` to `end` (same family, same
   * addresses). Nothing happens when there is none.
   *
   * @param start The range's first address (a string of `family`, or a `SocketAddress`).
   * @param end The range's last address.
   * @param family `"ipv4"` (default) or `"ipv6"`, for string addresses.
   */
  removeRange(start: string | SocketAddress, end: string | SocketAddress, family: string = "ipv4"): void {
    const a = socketAddressBytes(toSocketAddress(start, family, "start"));
    const b = socketAddressBytes(toSocketAddress(end, family, "end"));
    this.removeSpan_((rule) => rule.kind === "Range" && sameBytes(rule.start, a) && sameBytes(rule.end, b));
  }

  /**
   * Take away the newest subnet rule added with exactly this network address (as it was
   * written, same family) and prefix. Nothing happens when there is none.
   *
   * @param network The network's address (a string of `family`, or a `SocketAddress`).
   * @param prefix The prefix length: 0 to 32 for IPv4, 0 to 128 for IPv6.
   * @param family `"ipv4"` (default) or `"ipv6"`, for a string network.
   * @throws {RangeError} `ERR_OUT_OF_RANGE` for a prefix outside its family's range.
   */
  removeSubnet(network: string | SocketAddress, prefix: number, family: string = "ipv4"): void {
    const net = toSocketAddress(network, family, "network");
    const bits = validPrefix(prefix, net);
    const bytes = socketAddressBytes(net);
    this.removeSpan_((rule) => rule.kind === "Subnet" && rule.prefix === bits && sameBytes(rule.network, bytes));
  }

  /**
   * {@link removeSubnet} for a subnet in CIDR notation, parsed as {@link addCIDR} parses it.
   *
   * @param cidr The network's address, `/`, and the prefix length in decimal.
   */
  removeCIDR(cidr: string): void {
    const { address, prefix, family } = parseCidr(cidr);
    this.removeSubnet(address, prefix, family);
  }

  /**
   * Take every rule away.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BlockList } from "crossnet";
   * const blockList = new BlockList();
   * blockList.addCIDRs(BlockList.PRIVATE_RANGES);
   * blockList.clear();
   * assert.equal(blockList.size, 0);
   * ```
   */
  clear(): void {
    this.addresses_.clear();
    this.spans_.length = 0;
  }

  /** How many rules there are (`rules.length`, without making the strings). */
  get size(): number {
    return this.addresses_.size + this.spans_.length;
  }

  /**
   * Whether `address` matches a rule. A string is read as an IPv4 address when `family` is
   * `"ipv4"` (in any case), else as an IPv6 address; one that is not matches none.
   *
   * @param address An IP address of `family`, or a `SocketAddress`.
   * @param family `"ipv4"` (default) or `"ipv6"`.
   * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `address` or `family` is not a string.
   */
  check(address: string | SocketAddress, family: string = "ipv4"): boolean {
    let bytes: IpBytes | undefined;
    if (SocketAddress.isSocketAddress(address)) bytes = socketAddressBytes(address);
    else {
      if (typeof address !== "string") throw invalidArgType("address", "string", address);
      if (typeof family !== "string") throw invalidArgType("family", "string", family);
      bytes = family.toLowerCase() === "ipv4" ? parseIPv4(address) : parseIPv6(address);
      if (bytes === undefined) return false;
    }
    if (this.addresses_.size > 0 && this.addresses_.has(addressKey(bytes))) return true;
    for (const rule of this.spans_) {
      if (matches(rule, bytes)) return true;
    }
    return false;
  }

  /**
   * The rules as text, addresses first, then subnets, then ranges, newest first within each:
   * `"Address: IPv4 1.2.3.4"`, `"Subnet: IPv6 fe80::/10"`, `"Range: IPv4 10.0.0.1-10.0.0.9"`.
   * (Node 24.21 lists its addresses in an order of its own; compare them as a set.)
   */
  get rules(): string[] {
    const out: string[] = [];
    for (const rule of this.addresses_.values()) out.push(describe(rule));
    out.reverse();
    for (const kind of SPAN_ORDER) {
      for (const rule of this.spans_) if (rule.kind === kind) out.push(describe(rule));
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

  /** Add (or replace) the rule for one address. */
  private putAddress_(at: SocketAddress): void {
    const bytes = socketAddressBytes(at);
    const key = addressKey(bytes);
    // Re-added: the rule takes the new form and counts as the newest.
    this.addresses_.delete(key);
    this.addresses_.set(key, { kind: "Address", v6: at.family === "ipv6", address: bytes });
  }

  /** Take away the newest range or subnet rule that `same` accepts. */
  private removeSpan_(same: (rule: SpanRule) => boolean): void {
    const at = this.spans_.findIndex(same);
    if (at !== -1) this.spans_.splice(at, 1);
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

/** The order `rules` lists ranges and subnets in (as Node does), after the addresses. */
const SPAN_ORDER = ["Subnet", "Range"] as const;

/** A prefix length checked as Node checks it (an integer within the family's range). */
function validPrefix(prefix: unknown, network: SocketAddress): number {
  validateInt32(prefix, "prefix", 0, network.family === "ipv4" ? 32 : 128);
  return prefix + 0; // -0 is 0
}

/** A CIDR string's parts. */
interface Cidr {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/**
 * `"10.0.0.0/8"` as its parts, as Node reads it: the prefix length is what follows the last
 * `/`, written as JavaScript writes that integer (no sign but `-`, no leading zero, no
 * space); the family is IPv6 when the address has a `:`. The address and the range of the
 * prefix are checked later, by addSubnet().
 */
function parseCidr(cidr: unknown): Cidr {
  if (typeof cidr !== "string") throw invalidArgType("cidr", "string", cidr);
  const slash = cidr.lastIndexOf("/");
  if (slash === -1) throw invalidArgValue("cidr", cidr, 'must contain a prefix length (e.g. "10.0.0.0/8")');
  const text = cidr.slice(slash + 1);
  const prefix = parseInt(text, 10);
  if (String(prefix) !== text) throw invalidArgValue("cidr", cidr, "prefix length must be a valid integer");
  const address = cidr.slice(0, slash);
  return { address, prefix, family: address.includes(":") ? "ipv6" : "ipv4" };
}

/**
 * The key of an address rule: an IPv4 address and its IPv4-mapped IPv6 form share one, as
 * they match the same addresses.
 */
function addressKey(bytes: IpBytes): string {
  if (bytes.length === 4) return bytes.join(".");
  let mapped = bytes[10] === 0xff && bytes[11] === 0xff;
  for (let i = 0; mapped && i < 10; i++) mapped = bytes[i] === 0;
  return mapped ? bytes.subarray(12).join(".") : formatIp(bytes);
}

/** Whether two addresses are the same bytes (and so the same family). */
function sameBytes(a: IpBytes, b: IpBytes): boolean {
  return a.length === b.length && compareIp(a, b) === 0;
}

function matches(rule: SpanRule, address: IpBytes): boolean {
  switch (rule.kind) {
    case "Range": {
      const low = compareIp(address, rule.start);
      const high = compareIp(address, rule.end);
      return (low === 0 || low === 1) && (high === 0 || high === -1);
    }
    case "Subnet":
      return inNetwork(address, rule.network, rule.prefix);
  }
}

function describe(rule: AddressRule | SpanRule): string {
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
