/**
 * `src/ip_bytes.ts` and `BlockList` against Node's own `SocketAddress` and `BlockList` (C++
 * and libuv: `inet_pton`, `inet_ntop`, the block list's rules), on seeded random inputs:
 * which strings are addresses, their canonical text, and which addresses a rule matches.
 * A failure message names the input, so it reproduces.
 *
 * @module
 */
import * as net from "node:net";
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { int, prng, type Rand } from "./_prng.ts";
import { BlockList } from "../src/block_list.ts";
import { SocketAddress } from "../src/socket_address.ts";

/** Node's canonical address, or `undefined` where Node refuses it. */
function nodeAddress(address: string, family: string): string | undefined {
  try {
    return new net.SocketAddress({ address, family: family as "ipv4" | "ipv6" }).address;
  } catch {
    return undefined;
  }
}

function ourAddress(address: string, family: string): string | undefined {
  try {
    return new SocketAddress({ address, family }).address;
  } catch {
    return undefined;
  }
}

/** A random IPv6 address with runs of zero groups, sometimes an IPv4 tail, in random notation. */
function randomIPv6(rand: Rand): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) {
    const r = rand();
    words.push(r < 0.45 ? 0 : r < 0.55 ? 0xffff : r < 0.65 ? int(rand, 16) : int(rand, 0x10000));
  }
  if (rand() < 0.2) words.fill(0, 0, 5 + int(rand, 2)); // ::ffff:x or ::x IPv4-looking forms.
  const hex = words.map((w) => {
    const h = w.toString(16);
    return rand() < 0.2 ? h.toUpperCase().padStart(4, "0") : h;
  });
  const tail = rand() < 0.25;
  const groups = tail ? hex.slice(0, 6) : hex;
  if (tail) groups.push(`${words[6]! >> 8}.${words[6]! & 0xff}.${words[7]! >> 8}.${words[7]! & 0xff}`);
  // Compress one run of zero groups (any, not only the longest) half of the time.
  if (rand() < 0.5) {
    const zeros: number[] = [];
    for (let i = 0; i < 6 + (tail ? 0 : 2); i++) if (words[i] === 0) zeros.push(i);
    if (zeros.length > 0) {
      const start = zeros[int(rand, zeros.length)]!;
      let end = start;
      while (end + 1 < (tail ? 6 : 8) && words[end + 1] === 0) end++;
      const before = groups.slice(0, start).join(":");
      const after = groups.slice(end + 1).join(":");
      return `${before}::${after}`;
    }
  }
  return groups.join(":");
}

/** A random string near the IPv6 grammar: mostly wrong in one place. */
function mangled(rand: Rand, text: string): string {
  const chars = ":.0123456789abcdefgAF%";
  const at = int(rand, text.length + 1);
  switch (int(rand, 3)) {
    case 0:
      return text.slice(0, at) + chars[int(rand, chars.length)] + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    default:
      return text.slice(0, at) + chars[int(rand, chars.length)] + text.slice(at + 1);
  }
}

describe("addresses as Node parses and prints them", () => {
  test("IPv6: 3,000 random addresses and 3,000 near-misses", () => {
    const rand = prng(6);
    for (let i = 0; i < 3000; i++) {
      const address = randomIPv6(rand);
      expect(ourAddress(address, "ipv6"), address).toBe(nodeAddress(address, "ipv6"));
      const near = mangled(rand, address);
      expect(ourAddress(near, "ipv6"), near).toBe(nodeAddress(near, "ipv6"));
    }
  });

  test("IPv4: 2,000 random strings of digits and dots", () => {
    const rand = prng(4);
    for (let i = 0; i < 2000; i++) {
      const parts = Array.from({ length: 3 + int(rand, 3) }, () => {
        const r = rand();
        return r < 0.1 ? "" : r < 0.2 ? `0${int(rand, 10)}` : String(int(rand, r < 0.9 ? 256 : 1000));
      });
      const address = parts.join(".");
      expect(ourAddress(address, "ipv4"), address).toBe(nodeAddress(address, "ipv4"));
    }
  });
});

describe("block lists as Node matches them", () => {
  test("random rules of both families, checked with random addresses in both notations", () => {
    const rand = prng(22);
    /** An IPv4 address near 10.0.0.0/16, so that rules and addresses meet. */
    const v4 = (): string => `10.0.${int(rand, 4)}.${int(rand, 256)}`;
    const mapped = (a: string): string => `::ffff:${a}`;
    for (let round = 0; round < 50; round++) {
      const theirs = new net.BlockList();
      const ours = new BlockList();
      for (let r = 0; r < 4; r++) {
        const kind = int(rand, 3);
        const six = rand() < 0.4;
        const family = six ? "ipv6" : "ipv4";
        const a = six ? mapped(v4()) : v4();
        if (kind === 0) {
          theirs.addAddress(a, family);
          ours.addAddress(a, family);
        } else if (kind === 1) {
          const b = six ? mapped(v4()) : v4();
          let refused = false;
          try {
            theirs.addRange(a, b, family);
          } catch {
            refused = true; // Out of order.
          }
          if (refused) expect(() => ours.addRange(a, b, family), `${a}-${b}`).toThrow();
          else ours.addRange(a, b, family);
        } else {
          const prefix = six ? 96 + int(rand, 33) : int(rand, 33);
          theirs.addSubnet(a, prefix, family);
          ours.addSubnet(a, prefix, family);
        }
      }
      expect([...ours.rules].sort()).toEqual([...theirs.rules].sort());
      for (let c = 0; c < 40; c++) {
        const address = v4();
        expect(ours.check(address), `${address} against ${theirs.rules}`).toBe(theirs.check(address));
        expect(ours.check(mapped(address), "ipv6"), `${mapped(address)} against ${theirs.rules}`)
          .toBe(theirs.check(mapped(address), "ipv6"));
      }
    }
  });

  test("a range out of order is refused by both", () => {
    expect(() => new net.BlockList().addRange("10.0.0.9", "10.0.0.1")).toThrow();
    expect(() => new BlockList().addRange("10.0.0.9", "10.0.0.1")).toThrow();
  });
});

describe("how util.inspect shows them, as Node's own", () => {
  test("SocketAddress and BlockList, short and wrapped", () => {
    const addresses = [
      { address: "::1", family: "ipv6", port: 80, flowlabel: 7 },
      { address: "10.1.2.3", port: 8080 },
      { address: "2001:db8:85a3:8d3:1319:8a2e:370:7348", family: "ipv6", port: 65535, flowlabel: 123456 },
    ];
    for (const options of addresses) {
      const theirs = new net.SocketAddress(options as net.SocketAddressInitOptions);
      expect(inspect(new SocketAddress(options))).toBe(inspect(theirs));
      expect(inspect([new SocketAddress(options)])).toBe(inspect([theirs]));
    }
    const theirs = new net.BlockList();
    const ours = new BlockList();
    expect(inspect(ours)).toBe(inspect(theirs));
    // (In an order that Node 20 and 22, newest first, and Node 24, addresses first, list alike.)
    for (const list of [theirs, ours]) {
      list.addSubnet("fe80::", 10, "ipv6");
      list.addAddress("1.2.3.4");
    }
    expect(inspect(ours)).toBe(inspect(theirs));
  });
});
