/**
 * IP addresses as bytes, for `SocketAddress` and `BlockList`: parsing with `inet_pton`'s
 * grammar (what Node's C++ side accepts: dotted decimal without leading zeros; IPv6 with one
 * `::`, an IPv4 tail, a `%zone` that is dropped), the canonical text libuv's `inet_ntop`
 * prints, and the comparisons of Node's block lists, where an IPv4 address and its
 * IPv4-mapped IPv6 form (`::ffff:a.b.c.d`) are the same address.
 *
 * @module
 */

/** An IPv4 address (4 bytes) or an IPv6 address (16 bytes), network byte order. */
export type IpBytes = Uint8Array;

/** How two addresses compare; mixed families compare only through an IPv4-mapped form. */
export type Order = -1 | 0 | 1 | undefined;

/**
 * Parse a dotted-decimal IPv4 address (`inet_pton(AF_INET)`): four decimal parts of 0 to
 * 255, no leading zeros, nothing else.
 *
 * @returns Its 4 bytes, or `undefined` when `text` is not one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseIPv4("10.0.0.1"), new Uint8Array([10, 0, 0, 1]));
 * assert.equal(parseIPv4("01.2.3.4"), undefined);
 * ```
 */
export function parseIPv4(text: string): IpBytes | undefined {
  const out = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // The end closes the last part.
    if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return undefined; // A leading zero.
      value = value * 10 + (c - 48);
      if (value > 255) return undefined;
      digits++;
    } else if (c === 46) {
      if (digits === 0 || part === 4) return undefined;
      out[part++] = value;
      value = 0;
      digits = 0;
    } else return undefined;
  }
  return part === 4 ? out : undefined;
}

/**
 * Parse an IPv6 address (`inet_pton(AF_INET6)`, as libuv calls it): up to eight groups of
 * 1 to 4 hex digits, one `::` for a run of zero groups, an optional dotted IPv4 tail, and a
 * `%zone` suffix that is ignored.
 *
 * @returns Its 16 bytes, or `undefined` when `text` is not one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(parseIPv6("::ffff:1.2.3.4")?.[15], 4);
 * assert.equal(parseIPv6("1::2::3"), undefined);
 * ```
 */
export function parseIPv6(text: string): IpBytes | undefined {
  const zone = text.indexOf("%");
  const s = zone === -1 ? text : text.slice(0, zone);
  const out = new Uint8Array(16);
  let at = 0; // Next byte to fill.
  let gap = -1; // Where `::` stands, in bytes.
  let i = 0;
  if (s.startsWith(":")) {
    if (!s.startsWith("::")) return undefined;
    gap = 0;
    i = 2;
    if (s.length === 2) return out;
  }
  while (i < s.length) {
    // One group, or the IPv4 tail.
    let j = i;
    while (j < s.length && isHexDigit(s.charCodeAt(j))) j++;
    if (j < s.length && s.charCodeAt(j) === 46) {
      if (at + 4 > 16) return undefined;
      const v4 = parseIPv4(s.slice(i));
      if (v4 === undefined) return undefined;
      out.set(v4, at);
      at += 4;
      i = s.length;
      break;
    }
    if (j === i || j - i > 4 || at + 2 > 16) return undefined;
    const group = parseInt(s.slice(i, j), 16);
    out[at++] = group >> 8;
    out[at++] = group & 0xff;
    if (j === s.length) {
      i = j;
      break;
    }
    if (s.charCodeAt(j) !== 58) return undefined; // Not ':'.
    if (j + 1 < s.length && s.charCodeAt(j + 1) === 58) {
      if (gap !== -1) return undefined; // A second `::`.
      gap = at;
      i = j + 2;
      if (i === s.length) break;
    } else {
      i = j + 1;
      if (i === s.length) return undefined; // A trailing single ':'.
    }
  }
  if (gap === -1) return at === 16 ? out : undefined;
  if (at === 16) return undefined; // `::` standing for nothing.
  const tail = at - gap;
  out.copyWithin(16 - tail, gap, at);
  out.fill(0, gap, 16 - tail);
  return out;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * The canonical text of an address, as libuv's `inet_ntop` prints it (what Node's
 * `SocketAddress#address` returns): dotted decimal for IPv4; for IPv6 lowercase hex, the
 * longest run of two or more zero groups (the first of equal ones) as `::`, and the
 * dotted tail of IPv4-mapped (`::ffff:1.2.3.4`) and IPv4-compatible (`::1.2.3.4`) forms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(formatIp(parseIPv6("2001:DB8:0:0:0:0:0:A")!), "2001:db8::a");
 * assert.equal(formatIp(parseIPv6("::ffff:7b7b:7b7b")!), "::ffff:123.123.123.123");
 * ```
 */
export function formatIp(bytes: IpBytes): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      return out + `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ":";
  return out;
}

/** Whether IPv6 `bytes` are an IPv4-mapped address (`::ffff:a.b.c.d`). */
function isMapped(bytes: IpBytes): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** Compare `length` bytes of `a` from `ai` with `b` from `bi`, as unsigned numbers. */
function compareBytes(a: IpBytes, ai: number, b: IpBytes, bi: number, length: number): -1 | 0 | 1 {
  for (let k = 0; k < length; k++) {
    const d = a[ai + k]! - b[bi + k]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Order two addresses: -1, 0 or 1, or `undefined` when an IPv4 address meets an IPv6 one
 * that is not IPv4-mapped (Node's `NOT_COMPARABLE`: such a pair is neither equal nor in a
 * range).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(compareIp(parseIPv4("1.2.3.4")!, parseIPv6("::ffff:1.2.3.4")!), 0);
 * assert.equal(compareIp(parseIPv4("1.2.3.4")!, parseIPv6("::1")!), undefined);
 * ```
 */
export function compareIp(a: IpBytes, b: IpBytes): Order {
  if (a.length === b.length) return compareBytes(a, 0, b, 0, a.length);
  if (a.length === 4) return isMapped(b) ? compareBytes(a, 0, b, 12, 4) : undefined;
  return isMapped(a) ? compareBytes(a, 12, b, 0, 4) : undefined;
}

/**
 * Whether `address` is in the network `network`/`prefix` (the prefix counts bits of the
 * network's own family). Across families, the IPv4 side is taken in its IPv4-mapped form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(inNetwork(parseIPv4("10.1.2.3")!, parseIPv4("10.0.0.0")!, 8), true);
 * assert.equal(inNetwork(parseIPv6("::ffff:10.1.2.3")!, parseIPv4("10.0.0.0")!, 8), true);
 * ```
 */
export function inNetwork(address: IpBytes, network: IpBytes, prefix: number): boolean {
  let a = address;
  let offset = 0;
  if (address.length !== network.length) {
    if (network.length === 4) {
      // An IPv6 address in an IPv4 network: only through its IPv4-mapped form.
      if (!isMapped(address)) return false;
      offset = 12;
    } else {
      a = new Uint8Array(16);
      a[10] = a[11] = 0xff;
      a.set(address, 12);
    }
  }
  const whole = prefix >> 3;
  if (compareBytes(a, offset, network, 0, whole) !== 0) return false;
  const rest = prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[offset + whole]! & mask) === (network[whole]! & mask);
}
