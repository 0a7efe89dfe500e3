// deno-lint-ignore-file no-explicit-any
/**
 * `net.SocketAddress` and `net.BlockList`, and the `blockList` options of servers and
 * sockets. What came with Node 22.13 (`BlockList.isBlockList`, `toJSON`/`fromJSON`,
 * `SocketAddress.parse`, the `blockList` options) needs the `node22` capability: node:net
 * on Node 20 predates it. What came with Node 24.21 (CIDR strings, removal, `clear()`,
 * `size`, `PRIVATE_RANGES`, one rule per address, `check()` reading any family but
 * `"ipv4"` as IPv6) needs `node24.21`.
 */
import assert from "node:assert/strict";
import { defineCase, once, recordEvents } from "../harness.ts";
import { closed } from "./_shared.ts";
import type { Case } from "../harness.ts";

/** Run `fn`, expecting it to throw an error with `code` (and `message`, when given). */
function throwsCode(fn: () => unknown, code: string, message?: string): void {
  assert.throws(fn, (err: any) => {
    assert.equal(err?.code, code, `code of ${err?.message}`);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

/** A `lookup` answering (asynchronously, as dns.lookup) with `addresses`. */
function fakeLookup(addresses: Array<{ address: string; family: number }>) {
  return (_host: string, options: any, cb: (...args: any[]) => void) => {
    setTimeout(() => {
      if (options?.all) cb(null, addresses.map((a) => ({ ...a })));
      else cb(null, addresses[0]!.address, addresses[0]!.family);
    }, 0);
  };
}

/** `event ip/family` for the attempt events, `error:<code>` for errors. */
function recordConnect(socket: any): string[] {
  return recordEvents(
    socket,
    ["connectionAttempt", "connectionAttemptFailed", "connect", "error"],
    (event, args) => {
      if (event === "error") return `error:${args[0]?.code}`;
      if (event === "connect") return "connect";
      return `${event} ${args[0]}/${args[2]}${args[3] ? ` ${args[3].code}` : ""}`;
    },
  );
}

const NOT_A_BLOCKLIST = 'The "options.blockList" property must be an net.BlockList. Received type number (5)';

const cases: Case[] = [
  defineCase("addresses", "SocketAddress: defaults, canonical addresses, toJSON, isSocketAddress", async (ctx) => {
    const { SocketAddress } = ctx.net;
    assert.deepEqual(new SocketAddress().toJSON(), { address: "127.0.0.1", port: 0, family: "ipv4", flowlabel: 0 });
    assert.equal(new SocketAddress({ family: "IPv6" }).address, "::");
    const v6 = new SocketAddress({ address: "::1", family: "ipv6", port: 80, flowlabel: 5 });
    assert.deepEqual(
      [v6.address, v6.port, v6.family, v6.flowlabel],
      ["::1", 80, "ipv6", 5],
    );
    assert.equal(JSON.stringify(v6), '{"address":"::1","port":80,"family":"ipv6","flowlabel":5}');
    // IPv4 has no flow label.
    assert.equal(new SocketAddress({ address: "1.2.3.4", flowlabel: 5 }).flowlabel, 0);
    const canonical: Array<[string, string]> = [
      ["fe80::1%eth0", "fe80::1"],
      ["0:0:0:0:0:0:0:1", "::1"],
      ["::", "::"],
      ["::ffff:1.2.3.4", "::ffff:1.2.3.4"],
      ["::1.2.3.4", "::1.2.3.4"],
      ["::0.0.0.2", "::2"],
      ["1:0:0:1:0:0:0:1", "1:0:0:1::1"],
      ["1:0:0:0:1:0:0:1", "1::1:0:0:1"],
      ["2001:DB8::A", "2001:db8::a"],
      ["::ffff:0:0", "::ffff:0.0.0.0"],
      ["1::", "1::"],
      ["::ffff:7b7b:7b7b", "::ffff:123.123.123.123"],
      ["0:0:0:0:0:ffff:0102:0304", "::ffff:1.2.3.4"],
      ["1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"],
      ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"],
    ];
    for (const [input, expected] of canonical) {
      assert.equal(new SocketAddress({ address: input, family: "ipv6" }).address, expected, input);
    }
    assert.equal(SocketAddress.isSocketAddress(v6), true);
    assert.equal(SocketAddress.isSocketAddress({ address: "::1", port: 80, family: "ipv6", flowlabel: 5 }), false);
    assert.equal(SocketAddress.isSocketAddress(null), false);
  }),

  defineCase("bad-input", "SocketAddress: Node's errors for bad options and addresses", async (ctx) => {
    const { SocketAddress } = ctx.net;
    throwsCode(() => new SocketAddress(5), "ERR_INVALID_ARG_TYPE", 'The "options" argument must be of type object. Received type number (5)');
    throwsCode(() => new SocketAddress({ family: "x" }), "ERR_INVALID_ARG_VALUE", "The property 'options.family' is invalid. Received 'x'");
    throwsCode(() => new SocketAddress({ address: 1 }), "ERR_INVALID_ARG_TYPE", 'The "options.address" property must be of type string. Received type number (1)');
    throwsCode(() => new SocketAddress({ port: 70000 }), "ERR_SOCKET_BAD_PORT", "options.port should be >= 0 and < 65536. Received type number (70000).");
    throwsCode(() => new SocketAddress({ flowlabel: -1 }), "ERR_OUT_OF_RANGE", 'The value of "options.flowlabel" is out of range. It must be >= 0 && <= 4294967295. Received -1');
    throwsCode(() => new SocketAddress({ flowlabel: 1.5 }), "ERR_OUT_OF_RANGE", 'The value of "options.flowlabel" is out of range. It must be an integer. Received 1.5');
    throwsCode(() => new SocketAddress({ flowlabel: "1" }), "ERR_INVALID_ARG_TYPE");
    const invalid: Array<[string, string]> = [
      ["01.2.3.4", "ipv4"], ["1.2.3", "ipv4"], ["1.2.3.4 ", "ipv4"], ["256.1.1.1", "ipv4"], ["0x1.2.3.4", "ipv4"],
      ["::1", "ipv4"], ["", "ipv4"], ["1.2.3.4", "ipv6"], ["1::2::3", "ipv6"], [":1", "ipv6"], ["1:", "ipv6"],
      ["1:2:3:4:5:6:7:8:9", "ipv6"], ["12345::", "ipv6"], ["::1.2.3", "ipv6"], ["1:2:3:4:5:6:7:8::", "ipv6"],
      ["g::1", "ipv6"], ["", "ipv6"],
    ];
    for (const [address, family] of invalid) {
      throwsCode(() => new SocketAddress({ address, family }), "ERR_INVALID_ADDRESS", "Invalid socket address");
    }
  }),

  defineCase("addresses", "BlockList: addresses, ranges and subnets; an IPv4 address and its IPv4-mapped form match alike", async (ctx) => {
    const blockList = new ctx.net.BlockList();
    blockList.addAddress("123.123.123.123");
    blockList.addRange("10.0.0.1", "10.0.0.10");
    blockList.addSubnet("8592:757c:efae:4e45::", 64, "ipv6");
    blockList.addAddress("::ffff:1.2.3.4", "ipv6");
    blockList.addSubnet("192.168.0.0", 16);
    blockList.addSubnet("172.16.0.0", 12);
    blockList.addRange("2001:db8::10", "2001:db8::20", "ipv6");
    const checks: Array<[string, string, boolean]> = [
      ["123.123.123.123", "ipv4", true],
      ["10.0.0.1", "ipv4", true], // Ranges include both ends.
      ["10.0.0.10", "ipv4", true],
      ["10.0.0.11", "ipv4", false],
      ["222.111.111.222", "ipv4", false],
      ["::ffff:7b7b:7b7b", "ipv6", true],
      ["::ffff:123.123.123.123", "ipv6", true],
      ["::ffff:10.0.0.5", "ipv6", true], // An IPv4 range, checked in IPv6 notation.
      ["1.2.3.4", "ipv4", true], // An IPv4-mapped rule, checked in IPv4 notation.
      ["1.2.3.4", "ipv6", false], // Not an IPv6 address: matches nothing.
      ["192.168.3.4", "ipv4", true],
      ["::ffff:192.168.3.4", "ipv6", true],
      ["172.31.255.255", "ipv4", true], // A prefix that is not a whole number of bytes.
      ["172.32.0.0", "ipv4", false],
      ["8592:757c:efae:4e45::1", "ipv6", true],
      ["8592:757c:efae:4e46::1", "ipv6", false],
      ["2001:db8::15", "ipv6", true],
      ["2001:db8::21", "ipv6", false],
      ["::a00:5", "ipv6", false], // 10.0.0.5's bits, but not IPv4-mapped.
      ["bad", "ipv4", false],
    ];
    for (const [address, family, expected] of checks) {
      assert.equal(blockList.check(address, family), expected, `${address} (${family})`);
    }
    assert.equal(blockList.check("10.0.0.3"), true, "the family defaults to ipv4");
    assert.equal(blockList.check(new ctx.net.SocketAddress({ address: "10.0.0.4" })), true);
    assert.deepEqual([...blockList.rules].sort(), [
      "Address: IPv4 123.123.123.123",
      "Address: IPv6 ::ffff:1.2.3.4",
      "Range: IPv4 10.0.0.1-10.0.0.10",
      "Range: IPv6 2001:db8::10-2001:db8::20",
      "Subnet: IPv4 172.16.0.0/12",
      "Subnet: IPv4 192.168.0.0/16",
      "Subnet: IPv6 8592:757c:efae:4e45::/64",
    ]);
    // Within a kind, the newest rule comes first.
    const two = new ctx.net.BlockList();
    two.addAddress("1.1.1.1");
    two.addAddress("2.2.2.2");
    assert.deepEqual(two.rules, ["Address: IPv4 2.2.2.2", "Address: IPv4 1.1.1.1"]);
    // Across families: an IPv6 subnet covering every IPv4-mapped address, and /0.
    const mapped = new ctx.net.BlockList();
    mapped.addSubnet("::ffff:0:0", 96, "ipv6");
    assert.equal(mapped.check("8.8.8.8"), true);
    assert.equal(mapped.check("::1", "ipv6"), false);
    const everything = new ctx.net.BlockList();
    everything.addSubnet("::", 0, "ipv6");
    assert.equal(everything.check("8.8.8.8"), true);
    assert.equal(everything.check("2001:db8::1", "ipv6"), true);
    assert.equal(new ctx.net.BlockList().check("127.0.0.1"), false);
  }),

  defineCase("bad-input", "BlockList: Node's errors for bad arguments", async (ctx) => {
    const blockList = new ctx.net.BlockList();
    throwsCode(() => blockList.addAddress(1), "ERR_INVALID_ARG_TYPE", 'The "address" argument must be of type string. Received type number (1)');
    throwsCode(() => blockList.addAddress("1.2.3.4", 5), "ERR_INVALID_ARG_TYPE", 'The "family" argument must be of type string. Received type number (5)');
    throwsCode(() => blockList.addAddress("1.2.3.4", "x"), "ERR_INVALID_ARG_VALUE", "The property 'options.family' is invalid. Received 'x'");
    throwsCode(() => blockList.addAddress("zz"), "ERR_INVALID_ADDRESS", "Invalid socket address");
    throwsCode(() => blockList.addSubnet("1.2.3.4", 33), "ERR_OUT_OF_RANGE", 'The value of "prefix" is out of range. It must be >= 0 && <= 32. Received 33');
    throwsCode(() => blockList.addSubnet("::", 129, "ipv6"), "ERR_OUT_OF_RANGE", 'The value of "prefix" is out of range. It must be >= 0 && <= 128. Received 129');
    throwsCode(() => blockList.addSubnet("1.2.3.4", "8"), "ERR_INVALID_ARG_TYPE", `The "prefix" argument must be of type number. Received type string ('8')`);
    throwsCode(() => blockList.addSubnet("1.2.3.4", 1.5), "ERR_OUT_OF_RANGE", 'The value of "prefix" is out of range. It must be an integer. Received 1.5');
    throwsCode(() => blockList.addSubnet(5, 8), "ERR_INVALID_ARG_TYPE", 'The "network" argument must be of type string. Received type number (5)');
    throwsCode(
      () => blockList.addRange("1.2.3.9", "1.2.3.1"),
      "ERR_INVALID_ARG_VALUE",
      "The argument 'start' must come before end. Received SocketAddress { address: '1.2.3.9', port: 0, family: 'ipv4', flowlabel: 0 }",
    );
    throwsCode(() => blockList.addRange("1.2.3.4"), "ERR_INVALID_ARG_TYPE", 'The "end" argument must be of type string. Received undefined');
    throwsCode(() => blockList.check(1), "ERR_INVALID_ARG_TYPE", 'The "address" argument must be of type string. Received type number (1)');
    assert.deepEqual(blockList.rules, []);
  }),

  defineCase("addresses", "BlockList: toJSON and fromJSON, isBlockList", async (ctx) => {
    const { BlockList } = ctx.net;
    const blockList = new BlockList();
    blockList.addAddress("1.2.3.4");
    blockList.addRange("10.0.0.1", "10.0.0.9");
    blockList.addSubnet("fe80::", 10, "ipv6");
    blockList.addAddress("::1", "ipv6");
    const json = blockList.toJSON();
    assert.deepEqual(json, blockList.rules);
    assert.equal(JSON.stringify(blockList), JSON.stringify(json));
    for (const data of [json, JSON.stringify(json)]) {
      const copy = new BlockList();
      copy.fromJSON(data);
      assert.deepEqual([...copy.rules].sort(), [...json].sort());
      assert.equal(copy.check("10.0.0.5"), true);
      assert.equal(copy.check("fe80::5", "ipv6"), true);
      assert.equal(copy.check("10.0.0.10"), false);
    }
    // Lines that are not rules are skipped; a rule that is wrong throws as add* would.
    const lenient = new BlockList();
    lenient.fromJSON(["garbage", "address: ipv4 1.2.3.4", "Subnet: IPv4 1.2.3.0", "Range: IPv4 1.2.3.4"]);
    assert.deepEqual(lenient.rules, []);
    const message = "must be of type string or string[]";
    throwsCode(() => new BlockList().fromJSON(5), "ERR_INVALID_ARG_TYPE", `The "data" argument ${message}. Received type number (5)`);
    throwsCode(() => new BlockList().fromJSON([1]), "ERR_INVALID_ARG_TYPE", `The "data" argument ${message}. Received an instance of Array`);
    throwsCode(() => new BlockList().fromJSON("{}"), "ERR_INVALID_ARG_TYPE", `The "data" argument ${message}. Received an instance of Object`);
    assert.throws(() => new BlockList().fromJSON("x"), SyntaxError);
    throwsCode(() => new BlockList().fromJSON(["Address: IPv4 999.1.1.1"]), "ERR_INVALID_ADDRESS");
    throwsCode(() => new BlockList().fromJSON(["Subnet: IPv4 1.2.3.0/99"]), "ERR_OUT_OF_RANGE");
    throwsCode(() => new BlockList().fromJSON(["Range: IPv4 10.0.0.9-10.0.0.1"]), "ERR_INVALID_ARG_VALUE");
    assert.equal(BlockList.isBlockList(blockList), true);
    assert.equal(BlockList.isBlockList({ rules: [], check: () => false }), false);
    assert.equal(BlockList.isBlockList(undefined), false);
  }, { requires: ["node22"] }),

  defineCase("addresses", "BlockList (Node 24.21): CIDR strings, several addresses at once, size, PRIVATE_RANGES; one rule per address", async (ctx) => {
    const { BlockList, SocketAddress } = ctx.net;
    const blockList = new BlockList();
    blockList.addCIDR("10.0.0.0/8");
    blockList.addCIDR("2001:db8::/32"); // IPv6: the address has a ':'.
    blockList.addCIDR("::ffff:172.16.0.0/108");
    blockList.addCIDRs(["192.168.1.0/24", "fe80::/10"]);
    blockList.addAddresses(["::1", "::2"], "ipv6");
    blockList.addAddresses(["8.8.8.8", new SocketAddress({ address: "2001:4860::8888", family: "ipv6" })]);
    assert.equal(blockList.size, 9);
    assert.equal(blockList.size, blockList.rules.length);
    assert.deepEqual([...blockList.rules].sort(), [
      "Address: IPv4 8.8.8.8",
      "Address: IPv6 2001:4860::8888",
      "Address: IPv6 ::1",
      "Address: IPv6 ::2",
      "Subnet: IPv4 10.0.0.0/8",
      "Subnet: IPv4 192.168.1.0/24",
      "Subnet: IPv6 2001:db8::/32",
      "Subnet: IPv6 ::ffff:172.16.0.0/108",
      "Subnet: IPv6 fe80::/10",
    ]);
    // Subnets keep the newest first, after the addresses (whose order is Node's own).
    assert.deepEqual(blockList.rules.slice(4), [
      "Subnet: IPv6 fe80::/10",
      "Subnet: IPv4 192.168.1.0/24",
      "Subnet: IPv6 ::ffff:172.16.0.0/108",
      "Subnet: IPv6 2001:db8::/32",
      "Subnet: IPv4 10.0.0.0/8",
    ]);
    const checks: Array<[string, string, boolean]> = [
      ["10.200.0.1", "ipv4", true],
      ["2001:db8:ffff::1", "ipv6", true],
      ["172.16.9.9", "ipv4", true], // An IPv4-mapped subnet, checked in IPv4 notation.
      ["192.168.2.1", "ipv4", false],
      ["fe80::1%1", "ipv6", true], // A scope is not part of the address.
      ["::2", "ipv6", true],
      ["::ffff:8.8.8.8", "ipv6", true],
      ["2001:4860::8888", "IPv6", true], // The family in any case.
      ["8.8.8.8", "IPV4", true],
      ["::1", "nonsense", true], // A family other than ipv4 reads an IPv6 address.
      ["8.8.8.8", "nonsense", false],
      ["::ffff:8.8.8.8", "ipv4", false],
    ];
    for (const [address, family, expected] of checks) {
      assert.equal(blockList.check(address, family), expected, `${address} (${family})`);
    }
    // One rule per address, in any of its forms: adding it again replaces the rule.
    const one = new BlockList();
    one.addAddress("1.2.3.4");
    one.addAddress("::ffff:1.2.3.4", "ipv6");
    assert.deepEqual(one.rules, ["Address: IPv6 ::ffff:1.2.3.4"]);
    one.addAddress("1.2.3.4");
    one.addAddresses(["0:0::1", "::1"], "ipv6");
    assert.deepEqual([...one.rules].sort(), ["Address: IPv4 1.2.3.4", "Address: IPv6 ::1"]);
    assert.equal(one.size, 2);
    // Subnets and ranges are not merged.
    one.addCIDR("1.0.0.0/8");
    one.addSubnet("1.0.0.0", 8);
    one.addRange("5.5.5.1", "5.5.5.2");
    one.addRange("5.5.5.1", "5.5.5.2");
    assert.equal(one.size, 6);
    one.addAddresses([]);
    one.addCIDRs([]);
    assert.equal(one.size, 6);
    // The private ranges: a frozen list of CIDR strings, for addCIDRs().
    assert.deepEqual(BlockList.PRIVATE_RANGES, [
      "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8",
      "::1/128", "169.254.0.0/16", "fe80::/10", "fc00::/7",
    ]);
    assert.equal(Object.isFrozen(BlockList.PRIVATE_RANGES), true);
    const privateOnly = new BlockList();
    privateOnly.addCIDRs(BlockList.PRIVATE_RANGES);
    assert.equal(privateOnly.size, 8);
    for (const address of ["10.1.1.1", "172.31.0.1", "192.168.0.1", "127.0.0.1", "169.254.1.1"]) {
      assert.equal(privateOnly.check(address), true, address);
    }
    for (const address of ["::1", "fe80::1", "fd00::1"]) assert.equal(privateOnly.check(address, "ipv6"), true, address);
    for (const address of ["8.8.8.8", "172.32.0.1", "100.64.0.1"]) assert.equal(privateOnly.check(address), false, address);
    assert.equal(privateOnly.check("2001:db8::1", "ipv6"), false);
    // A CIDR rule is a subnet rule: it travels through toJSON() and fromJSON().
    const copy = new BlockList();
    copy.fromJSON(privateOnly.toJSON());
    assert.deepEqual([...copy.rules].sort(), [...privateOnly.rules].sort());
  }, { requires: ["node24.21"] }),

  defineCase("addresses", "BlockList (Node 24.21): removeAddress, removeRange, removeSubnet, removeCIDR and clear() take exact rules away", async (ctx) => {
    const { BlockList, SocketAddress } = ctx.net;
    const blockList = new BlockList();
    blockList.addAddress("1.2.3.4");
    blockList.addAddress("::1", "ipv6");
    blockList.addRange("11.0.0.1", "11.0.0.9");
    blockList.addSubnet("10.1.2.3", 8); // Kept as written: 10.1.2.3/8.
    blockList.addCIDR("192.168.0.0/16");
    blockList.addCIDR("192.168.0.0/16");
    blockList.addCIDR("172.16.0.0/12");
    assert.equal(blockList.size, 7);
    // An address goes in either of its forms.
    blockList.removeAddress("::ffff:1.2.3.4", "ipv6");
    blockList.removeAddress(new SocketAddress({ address: "::1", family: "ipv6" }));
    assert.equal(blockList.check("1.2.3.4"), false);
    assert.equal(blockList.check("::1", "ipv6"), false);
    // A range only as it was added, in its own family.
    blockList.removeRange("11.0.0.1", "11.0.0.8");
    blockList.removeRange("::ffff:11.0.0.1", "::ffff:11.0.0.9", "ipv6");
    assert.equal(blockList.check("11.0.0.5"), true);
    blockList.removeRange("11.0.0.1", "11.0.0.9");
    assert.equal(blockList.check("11.0.0.5"), false);
    // A subnet only with the network address as it was written and the same prefix.
    blockList.removeSubnet("10.0.0.0", 8);
    blockList.removeSubnet("::ffff:10.1.2.3", 104, "ipv6");
    assert.equal(blockList.check("10.9.9.9"), true);
    blockList.removeSubnet("10.1.2.3", 8);
    assert.equal(blockList.check("10.9.9.9"), false);
    // One rule at a time: the same subnet added twice stays until removed twice.
    blockList.removeCIDR("192.168.0.0/16");
    assert.equal(blockList.check("192.168.1.1"), true);
    assert.deepEqual(blockList.rules, ["Subnet: IPv4 172.16.0.0/12", "Subnet: IPv4 192.168.0.0/16"]);
    blockList.removeSubnet("192.168.0.0", 16);
    assert.equal(blockList.check("192.168.1.1"), false);
    // Taking away what is not there changes nothing.
    blockList.removeAddress("9.9.9.9");
    blockList.removeRange("9.9.9.9", "9.9.9.1"); // Even backwards: nothing to match.
    blockList.removeSubnet("9.0.0.0", 8);
    blockList.removeCIDR("::/0");
    assert.deepEqual(blockList.rules, ["Subnet: IPv4 172.16.0.0/12"]);
    assert.equal(blockList.size, 1);
    blockList.addAddress("5.6.7.8");
    blockList.clear();
    assert.deepEqual(blockList.rules, []);
    assert.equal(blockList.size, 0);
    assert.equal(blockList.check("172.16.0.1"), false);
    assert.equal(blockList.check("5.6.7.8"), false);
    blockList.addAddress("5.6.7.8");
    assert.deepEqual(blockList.rules, ["Address: IPv4 5.6.7.8"]);
  }, { requires: ["node24.21"] }),

  defineCase("bad-input", "BlockList (Node 24.21): Node's errors for CIDR strings and the list methods; a bad list adds nothing", async (ctx) => {
    const { BlockList } = ctx.net;
    const blockList = new BlockList();
    const noPrefix = (cidr: string) => `The argument 'cidr' must contain a prefix length (e.g. "10.0.0.0/8"). Received '${cidr}'`;
    const badPrefix = (cidr: string) => `The argument 'cidr' prefix length must be a valid integer. Received '${cidr}'`;
    throwsCode(() => blockList.addCIDR(5), "ERR_INVALID_ARG_TYPE", 'The "cidr" argument must be of type string. Received type number (5)');
    throwsCode(() => blockList.addCIDR("10.0.0.0"), "ERR_INVALID_ARG_VALUE", noPrefix("10.0.0.0"));
    throwsCode(() => blockList.addCIDR(""), "ERR_INVALID_ARG_VALUE", noPrefix(""));
    for (const cidr of ["10.0.0.0/", "10.0.0.0/08", "10.0.0.0/+8", "10.0.0.0/-0", "10.0.0.0/ 8", "10.0.0.0/8 ", "10.0.0.0/1e1", "10.0.0.0/8.5"]) {
      throwsCode(() => blockList.addCIDR(cidr), "ERR_INVALID_ARG_VALUE", badPrefix(cidr));
    }
    throwsCode(() => blockList.addCIDR("10.0.0.0/33"), "ERR_OUT_OF_RANGE", 'The value of "prefix" is out of range. It must be >= 0 && <= 32. Received 33');
    throwsCode(() => blockList.addCIDR("10.0.0.0/-1"), "ERR_OUT_OF_RANGE", 'The value of "prefix" is out of range. It must be >= 0 && <= 32. Received -1');
    throwsCode(() => blockList.addCIDR("::/129"), "ERR_OUT_OF_RANGE", 'The value of "prefix" is out of range. It must be >= 0 && <= 128. Received 129');
    // The prefix is what follows the last '/': the rest must be an address.
    for (const cidr of ["10.0.0.0/8/9", "x/8", "/8", " 10.0.0.0/8", "[::1]/128", "10.0.0.0//8"]) {
      throwsCode(() => blockList.addCIDR(cidr), "ERR_INVALID_ADDRESS", "Invalid socket address");
    }
    throwsCode(() => blockList.removeCIDR("1.2.3.4"), "ERR_INVALID_ARG_VALUE", noPrefix("1.2.3.4"));
    throwsCode(() => blockList.addCIDRs("10.0.0.0/8"), "ERR_INVALID_ARG_TYPE", `The "cidrs" argument must be an instance of Array. Received type string ('10.0.0.0/8')`);
    throwsCode(() => blockList.addCIDRs(["10.0.0.0/8", 5]), "ERR_INVALID_ARG_TYPE", 'The "cidrs[1]" argument must be of type string. Received type number (5)');
    throwsCode(() => blockList.addCIDRs(["10.0.0.0/8", "1.2.3.4"]), "ERR_INVALID_ARG_VALUE", noPrefix("1.2.3.4"));
    assert.deepEqual(blockList.rules, [], "a list that does not parse adds nothing");
    throwsCode(() => blockList.addAddresses("1.2.3.4"), "ERR_INVALID_ARG_TYPE", `The "addresses" argument must be an instance of Array. Received type string ('1.2.3.4')`);
    throwsCode(() => blockList.addAddresses([], 5), "ERR_INVALID_ARG_TYPE", 'The "family" argument must be of type string. Received type number (5)');
    throwsCode(() => blockList.addAddresses(["1.2.3.4", 5]), "ERR_INVALID_ARG_TYPE", 'The "addresses[1]" argument must be of type string. Received type number (5)');
    throwsCode(() => blockList.addAddresses(["1.2.3.4", "1.2.3"]), "ERR_INVALID_ADDRESS", "Invalid socket address");
    throwsCode(() => blockList.addAddresses(["::1"], "ipv7"), "ERR_INVALID_ARG_VALUE", "The property 'options.family' is invalid. Received 'ipv7'");
    assert.deepEqual(blockList.rules, [], "addAddresses() adds all or nothing");
    // Past parsing, a bad subnet throws as addSubnet() does, the ones before it added.
    throwsCode(() => blockList.addCIDRs(["10.0.0.0/8", "1.2.3.4/40"]), "ERR_OUT_OF_RANGE");
    assert.deepEqual(blockList.rules, ["Subnet: IPv4 10.0.0.0/8"]);
    throwsCode(() => blockList.removeAddress(5), "ERR_INVALID_ARG_TYPE", 'The "address" argument must be of type string. Received type number (5)');
    throwsCode(() => blockList.removeAddress("1.2.3"), "ERR_INVALID_ADDRESS", "Invalid socket address");
    throwsCode(() => blockList.removeRange("1.1.1.1", 5), "ERR_INVALID_ARG_TYPE", 'The "end" argument must be of type string. Received type number (5)');
    throwsCode(() => blockList.removeSubnet("1.0.0.0", 33), "ERR_OUT_OF_RANGE", 'The value of "prefix" is out of range. It must be >= 0 && <= 32. Received 33');
    throwsCode(() => blockList.removeSubnet("1.0.0.0", "8"), "ERR_INVALID_ARG_TYPE", `The "prefix" argument must be of type number. Received type string ('8')`);
    throwsCode(() => blockList.removeSubnet("1.0.0.0", 1.5), "ERR_OUT_OF_RANGE", 'The value of "prefix" is out of range. It must be an integer. Received 1.5');
    throwsCode(() => blockList.removeSubnet("1.0.0.0", 8, "ipv7"), "ERR_INVALID_ARG_VALUE", "The property 'options.family' is invalid. Received 'ipv7'");
    assert.deepEqual(blockList.rules, ["Subnet: IPv4 10.0.0.0/8"]);
  }, { requires: ["node24.21"] }),

  defineCase("addresses", "SocketAddress.parse: an address and port as a URL's host reads them", async (ctx) => {
    const { SocketAddress } = ctx.net;
    const parsed = (input: string) => SocketAddress.parse(input)?.toJSON();
    assert.deepEqual(parsed("1.2.3.4:8080"), { address: "1.2.3.4", port: 8080, family: "ipv4", flowlabel: 0 });
    assert.deepEqual(parsed("[::1]:8"), { address: "::1", port: 8, family: "ipv6", flowlabel: 0 });
    assert.deepEqual(parsed("[::1]"), { address: "::1", port: 0, family: "ipv6", flowlabel: 0 });
    // http's default port is no port at all for a URL.
    assert.deepEqual(parsed("1.2.3.4:80"), { address: "1.2.3.4", port: 0, family: "ipv4", flowlabel: 0 });
    assert.equal(parsed("127.1:5")?.address, "127.0.0.1"); // The URL host parser's IPv4 forms.
    for (const input of ["::1", "localhost:80", "1.2.3.4:99999", "", " 1.2.3.4:5"]) {
      assert.equal(SocketAddress.parse(input), undefined, JSON.stringify(input));
    }
    throwsCode(() => SocketAddress.parse(5), "ERR_INVALID_ARG_TYPE", 'The "input" argument must be of type string. Received type number (5)');
  }, { requires: ["node22"] }),

  defineCase("server", "createServer({ blockList }): a blocked peer is disconnected before any `connection`", async (ctx) => {
    const blockList = new ctx.net.BlockList();
    blockList.addAddress("127.0.0.2");
    const accepted: string[] = [];
    const server = await ctx.server((s) => accepted.push(s.remoteAddress), { blockList });
    assert.equal(server.blockList, blockList);
    const port = server.address().port;
    const blocked = ctx.track(ctx.net.connect({ port, host: "127.0.0.1", localAddress: "127.0.0.2" }));
    blocked.on("error", () => {}); // Disconnected: a FIN, or a reset on some systems.
    blocked.resume();
    await closed(blocked);
    const allowed = ctx.track(ctx.net.connect({ port, host: "127.0.0.1" }));
    await once(allowed, "connect");
    allowed.end();
    await closed(allowed);
    assert.deepEqual(accepted, ["127.0.0.1"]);
    throwsCode(() => ctx.net.createServer({ blockList: 5 }), "ERR_INVALID_ARG_TYPE", NOT_A_BLOCKLIST);
  }, { requires: ["node22"] }),

  defineCase("connect", "connect({ blockList }) to a blocked address: the attempt, then ERR_IP_BLOCKED", async (ctx) => {
    const server = await ctx.server((s) => s.end());
    const blockList = new ctx.net.BlockList();
    blockList.addSubnet("127.0.0.0", 8);
    const socket = ctx.track(ctx.net.connect({ port: server.address().port, host: "127.0.0.1", blockList }));
    const log = recordConnect(socket);
    const [err] = await once(socket, "error");
    assert.equal(err.code, "ERR_IP_BLOCKED");
    assert.equal(err.message, "IP(127.0.0.1) is blocked by net.BlockList");
    assert.equal(await closed(socket), true);
    assert.deepEqual(log, ["connectionAttempt 127.0.0.1/4", "error:ERR_IP_BLOCKED"]);
    throwsCode(() => new ctx.net.Socket({ blockList: 5 }), "ERR_INVALID_ARG_TYPE", NOT_A_BLOCKLIST);
    throwsCode(() => ctx.net.connect({ port: 1, host: "127.0.0.1", blockList: 5 }), "ERR_INVALID_ARG_TYPE", NOT_A_BLOCKLIST);
  }, { requires: ["node22"] }),

  defineCase("connect", "connect({ blockList }) with several addresses: a blocked one fails without an attempt", async (ctx) => {
    const server = await ctx.server((s) => s.end());
    const blockList = new ctx.net.BlockList();
    blockList.addAddress("127.0.0.2");
    const socket = ctx.track(ctx.net.connect({
      port: server.address().port,
      host: "example.test",
      lookup: fakeLookup([{ address: "127.0.0.2", family: 4 }, { address: "127.0.0.1", family: 4 }]),
      autoSelectFamily: true,
      blockList,
    }));
    const log = recordConnect(socket);
    await once(socket, "connect");
    assert.deepEqual(log, ["connectionAttemptFailed 127.0.0.2/4 ERR_IP_BLOCKED", "connectionAttempt 127.0.0.1/4", "connect"]);
    assert.deepEqual(socket.autoSelectFamilyAttemptedAddresses, [`127.0.0.1:${server.address().port}`]);
    socket.resume();
    await closed(socket);
  }, { requires: ["node22"] }),

  defineCase("connect", "connect({ blockList }) with every address blocked: an AggregateError of ERR_IP_BLOCKED", async (ctx) => {
    const blockList = new ctx.net.BlockList();
    blockList.addRange("127.0.0.1", "127.0.0.2");
    const socket = ctx.track(ctx.net.connect({
      port: 9,
      host: "example.test",
      lookup: fakeLookup([{ address: "127.0.0.2", family: 4 }, { address: "127.0.0.1", family: 4 }]),
      autoSelectFamily: true,
      blockList,
    }));
    const log = recordConnect(socket);
    const [err] = await once(socket, "error");
    assert.equal(err instanceof AggregateError, true);
    // (Node sets the first error's code on it.)
    assert.equal(err.code, "ERR_IP_BLOCKED");
    assert.deepEqual(err.errors.map((e: any) => e.message), [
      "IP(127.0.0.2) is blocked by net.BlockList",
      "IP(127.0.0.1) is blocked by net.BlockList",
    ]);
    assert.deepEqual(log, [
      "connectionAttemptFailed 127.0.0.2/4 ERR_IP_BLOCKED",
      "connectionAttemptFailed 127.0.0.1/4 ERR_IP_BLOCKED",
      "error:ERR_IP_BLOCKED",
    ]);
  }, { requires: ["node22"] }),

  defineCase("connect", "socket.connect({ blockList }) on a new Socket(): the option is the constructor's only", async (ctx) => {
    const server = await ctx.server((s) => s.end());
    const blockList = new ctx.net.BlockList();
    blockList.addAddress("127.0.0.1");
    const socket = ctx.track(new ctx.net.Socket());
    socket.connect({ port: server.address().port, host: "127.0.0.1", blockList });
    await once(socket, "connect");
    socket.resume();
    await closed(socket);
  }, { requires: ["node22"] }),
];

export default cases;
