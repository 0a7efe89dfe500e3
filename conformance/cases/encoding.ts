/**
 * encoding: `setEncoding` for every encoding name Node accepts, characters and base64 groups
 * split across chunks at every byte position, truncated characters at the end, and
 * `write(string, encoding)` / `end(string, encoding)`.
 *
 * Expected strings come from reference decoders written here (Node's semantics: the WHATWG
 * UTF-8 decoder with U+FFFD replacement, UTF-16LE keeping lone surrogates and dropping an odd
 * trailing byte, ASCII as `byte & 0x7f`, base64 padded, base64url unpadded), not from the
 * runtime's own Buffer, so they hold on every runtime. Expected bytes of writes are Node's
 * (`Buffer.from(string, encoding)` on Node 20, 22 and 24), written out as hex.
 *
 * Splits are made deterministic by waiting, between the two writes, until the receiver's
 * `bytesRead` shows that the first part has been read (so the decoder really sees two chunks).
 *
 * @module
 */

// deno-lint-ignore-file no-explicit-any

import assert from "node:assert/strict";
import { concat, defineCase, delay, once } from "../harness.ts";
import { connected } from "./_shared.ts";
import type { Case, Ctx } from "../harness.ts";

type Canonical = "utf8" | "utf16le" | "latin1" | "ascii" | "base64" | "base64url" | "hex";

/** Every spelling `setEncoding` accepts, and what Node normalizes it to. */
const ALIASES: ReadonlyArray<[string, Canonical]> = [
  ["utf8", "utf8"],
  ["utf-8", "utf8"],
  ["UTF8", "utf8"],
  ["UTF-8", "utf8"],
  ["Utf-8", "utf8"],
  ["utf16le", "utf16le"],
  ["utf-16le", "utf16le"],
  ["UTF-16LE", "utf16le"],
  ["ucs2", "utf16le"],
  ["ucs-2", "utf16le"],
  ["UCS2", "utf16le"],
  ["UCS-2", "utf16le"],
  ["latin1", "latin1"],
  ["binary", "latin1"],
  ["LATIN1", "latin1"],
  ["Binary", "latin1"],
  ["ascii", "ascii"],
  ["ASCII", "ascii"],
  ["base64", "base64"],
  ["BASE64", "base64"],
  ["base64url", "base64url"],
  ["Base64Url", "base64url"],
  ["hex", "hex"],
  ["HEX", "hex"],
];

// ---- reference decoders --------------------------------------------------------------------

function latin1String(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function refDecode(bytes: Uint8Array, enc: Canonical): string {
  switch (enc) {
    case "utf8":
      return new TextDecoder("utf-8").decode(bytes);
    case "utf16le": {
      let s = "";
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      }
      return s;
    }
    case "latin1":
      return latin1String(bytes);
    case "ascii": {
      let s = "";
      for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] & 0x7f);
      return s;
    }
    case "hex": {
      let s = "";
      for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, "0");
      return s;
    }
    case "base64":
      return btoa(latin1String(bytes));
    case "base64url":
      return btoa(latin1String(bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 0xff;
    out[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
}

function hexOf(bytes: Uint8Array): string {
  return refDecode(bytes, "hex");
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// ---- plumbing --------------------------------------------------------------------------------

/** Wait until `socket.bytesRead` reaches `n` (the bytes have been read and decoded). */
async function untilRead(socket: any, n: number): Promise<void> {
  for (let i = 0; socket.bytesRead < n; i++) {
    if (i > 2_000) assert.fail(`bytesRead stuck at ${socket.bytesRead}, expected ${n}`);
    await delay(1);
  }
}

/** Collect the 'data' strings of `socket` until 'end'. */
function collectStrings(socket: any): { strings: string[]; ended: Promise<void> } {
  const strings: string[] = [];
  socket.on("data", (s: any) => strings.push(s));
  const ended = new Promise<void>((resolve, reject) => {
    socket.once("end", () => resolve());
    socket.once("error", reject);
  });
  return { strings, ended };
}

/**
 * Send `message` once per split position i (1..length-1) as two writes, the second only once
 * the receiver has read the first; check what the receiver decoded after each message and at
 * the end.
 */
async function splitEverywhere(ctx: Ctx, enc: Canonical, message: Uint8Array): Promise<void> {
  const { client, peer } = await connected(ctx);
  assert.equal(peer.setEncoding(enc), peer);
  const { strings, ended } = collectStrings(peer);
  const sent: Uint8Array[] = [];
  let total = 0;
  for (let i = 1; i < message.length; i++) {
    client.write(message.slice(0, i));
    total += i;
    await untilRead(peer, total);
    client.write(message.slice(i));
    total += message.length - i;
    await untilRead(peer, total);
    sent.push(message);
    // Whatever is complete is delivered at once: every character (the messages end on a
    // character boundary), every byte for hex/latin1/ascii, every full 3-byte group for
    // base64. Only the rest waits for more bytes.
    const all = concat(sent);
    const complete = enc === "base64" || enc === "base64url"
      ? all.subarray(0, all.length - (all.length % 3))
      : all;
    assert.equal(strings.join(""), refDecode(complete, enc), `after the split at ${i}`);
  }
  client.end();
  await ended;
  for (const s of strings) {
    assert.equal(typeof s, "string");
    assert.ok(s.length > 0, "no empty 'data' strings");
  }
  if (enc === "base64" || enc === "base64url") {
    for (const s of strings.slice(0, -1)) assert.equal(s.length % 4, 0, "whole base64 groups");
  }
  assert.equal(strings.join(""), refDecode(concat(sent), enc));
}

/** Send `bytes` and FIN; resolve with the strings the receiver got (encoding `enc`). */
async function decodeToEnd(ctx: Ctx, enc: string, bytes: Uint8Array): Promise<string[]> {
  const { client, peer } = await connected(ctx);
  peer.setEncoding(enc);
  const { strings, ended } = collectStrings(peer);
  client.end(bytes);
  await ended;
  return strings;
}

/** What the peer receives, as hex, for `writes` done by the client and then end(). */
async function bytesOfWrites(
  ctx: Ctx,
  writes: ReadonlyArray<readonly [string, string]>,
): Promise<string> {
  const { client, peer } = await connected(ctx);
  const chunks: Uint8Array[] = [];
  peer.on("data", (c: Uint8Array) => chunks.push(c));
  const ended = once(peer, "end");
  for (const [s, enc] of writes) client.write(s, enc);
  client.end();
  await ended;
  return hexOf(concat(chunks));
}

/** Check `write(string, encoding)` against Node's bytes, entry by entry. */
async function checkWrites(
  ctx: Ctx,
  table: ReadonlyArray<readonly [string, string, string]>,
): Promise<void> {
  const got = await bytesOfWrites(ctx, table.map(([s, enc]) => [s, enc] as const));
  let offset = 0;
  for (const [s, enc, hex] of table) {
    assert.equal(
      got.slice(offset, offset + hex.length),
      hex,
      `write(${JSON.stringify(s)}, ${JSON.stringify(enc)})`,
    );
    offset += hex.length;
  }
  assert.equal(got.length, offset, "nothing more was sent");
}

const TEXT = "aé€😀"; // 1-, 2-, 3- and 4-byte UTF-8; a surrogate pair in UTF-16
const BINARY = new Uint8Array([0xfb, 0xff, 0xbf, 0x00, 0x7f, 0x80, 0xe9]);

const cases: Case[] = [
  defineCase("encoding", "without setEncoding, data chunks are Buffers", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const got: any[] = [];
    peer.on("data", (c: any) => got.push(c));
    const ended = once(peer, "end");
    client.end("héllo");
    await ended;
    assert.ok(got.length > 0);
    for (const c of got) {
      assert.ok(Buffer.isBuffer(c), "a Buffer");
      assert.ok(c instanceof Uint8Array);
    }
    assert.equal(Buffer.concat(got).toString(), "héllo", "chunk.toString() decodes UTF-8");
    assert.equal(got.map((c) => c.toString("hex")).join(""), "68c3a96c6c6f");
  }),

  defineCase("encoding", "setEncoding returns the socket and data become strings", async (ctx) => {
    const { client, peer } = await connected(ctx);
    assert.equal(client.setEncoding("utf8"), client);
    const { strings, ended } = collectStrings(client);
    peer.end("héllo");
    await ended;
    for (const s of strings) assert.equal(typeof s, "string");
    assert.equal(strings.join(""), "héllo");
  }),

  defineCase("encoding", "setEncoding() without an argument decodes UTF-8", async (ctx) => {
    const { client, peer } = await connected(ctx);
    assert.equal(client.setEncoding(), client);
    const { strings, ended } = collectStrings(client);
    peer.end(utf8(TEXT));
    await ended;
    assert.equal(strings.join(""), TEXT);
  }),

  defineCase("encoding", "every encoding name Node accepts, in any case", async (ctx) => {
    const payload = new Uint8Array(256 + 20);
    for (let i = 0; i < 256; i++) payload[i] = i;
    payload.set(utf8("€😀é plain"), 256);
    for (const [name, canonical] of ALIASES) {
      const strings = await decodeToEnd(ctx, name, payload);
      assert.equal(strings.join(""), refDecode(payload, canonical), `setEncoding(${JSON.stringify(name)})`);
    }
  }),

  defineCase("encoding", "setEncoding with an unknown encoding throws ERR_UNKNOWN_ENCODING", async (ctx) => {
    const { client, peer } = await connected(ctx);
    for (const name of ["bogus", "utf16", "utf-16", "latin-1", "utf32"]) {
      assert.throws(() => client.setEncoding(name), (err: any) => {
        assert.equal(err instanceof TypeError, true, "a TypeError");
        assert.equal(err.code, "ERR_UNKNOWN_ENCODING");
        assert.equal(err.message, `Unknown encoding: ${name}`);
        return true;
      });
    }
    // The socket is unchanged: chunks are still Buffers.
    const got: any[] = [];
    client.on("data", (c: any) => got.push(c));
    const ended = once(client, "end");
    peer.end("ok");
    await ended;
    assert.ok(got.every((c) => Buffer.isBuffer(c)));
  }),

  defineCase("encoding", "the server's socket decodes too", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.setEncoding("hex");
    const { strings, ended } = collectStrings(peer);
    client.end(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
    await ended;
    assert.equal(strings.join(""), "deadbeef");
  }),

  // ---- splits at every byte position ------------------------------------------------------

  defineCase("encoding", "utf8: 2-, 3- and 4-byte characters split at every byte", async (ctx) => {
    await splitEverywhere(ctx, "utf8", utf8(TEXT));
  }),

  defineCase("encoding", "utf8: a character split over three chunks", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.setEncoding("utf8");
    const { strings, ended } = collectStrings(peer);
    const emoji = utf8("😀");
    for (let i = 0; i < emoji.length; i++) {
      client.write(emoji.slice(i, i + 1));
      await untilRead(peer, i + 1);
      assert.equal(strings.join(""), i === emoji.length - 1 ? "😀" : "", `after byte ${i + 1}`);
    }
    client.end();
    await ended;
    assert.deepEqual(strings, ["😀"]);
  }),

  defineCase("encoding", "utf8: invalid sequences split anywhere decode as in one piece", async (ctx) => {
    // A lone continuation byte, an overlong form, an encoded surrogate, a byte never valid,
    // a sequence cut short by an ASCII byte: each becomes U+FFFD as Node's decoder does.
    const bytes = new Uint8Array([
      0x61, 0x80, 0x62, 0xc0, 0x80, 0x63, 0xed, 0xa0, 0x80, 0x64, 0xf5, 0x65, 0xe2, 0x82,
      0x66, 0xf0, 0x9f, 0x67,
    ]);
    await splitEverywhere(ctx, "utf8", bytes);
  }),

  defineCase("encoding", "utf16le: code units and surrogate pairs split at every byte", async (ctx) => {
    await splitEverywhere(ctx, "utf16le", utf16le(TEXT));
  }),

  defineCase("encoding", "base64: groups split at every byte", async (ctx) => {
    await splitEverywhere(ctx, "base64", BINARY);
  }),

  defineCase("encoding", "base64url: groups split at every byte", async (ctx) => {
    await splitEverywhere(ctx, "base64url", BINARY);
  }),

  defineCase("encoding", "hex, latin1 and ascii: split at every byte", async (ctx) => {
    for (const enc of ["hex", "latin1", "ascii"] as const) await splitEverywhere(ctx, enc, BINARY);
  }),

  defineCase("encoding", "two writes decode as one piece however they are chunked", async (ctx) => {
    // No waiting between the writes: they may arrive as one chunk or two. Either way the
    // concatenation of the strings is the one-shot decoding.
    const bytes = utf8(TEXT.repeat(50));
    for (const enc of ["utf8", "utf16le", "base64", "hex"] as const) {
      for (const i of [1, 2, 3, 5, 8, 13, 101, bytes.length - 1]) {
        const { client, peer } = await connected(ctx);
        peer.setEncoding(enc);
        const { strings, ended } = collectStrings(peer);
        client.write(bytes.slice(0, i));
        client.end(bytes.slice(i));
        await ended;
        assert.equal(strings.join(""), refDecode(bytes, enc), `${enc} split at ${i}`);
      }
    }
  }),

  // ---- truncated at the end -------------------------------------------------------------------

  defineCase("encoding", "utf8: a truncated character at the end yields U+FFFD before 'end'", async (ctx) => {
    const emoji = utf8("😀");
    const euro = utf8("€");
    for (const cut of [emoji.slice(0, 1), emoji.slice(0, 2), emoji.slice(0, 3), euro.slice(0, 2)]) {
      const { client, peer } = await connected(ctx);
      peer.setEncoding("utf8");
      const log: string[] = [];
      peer.on("data", (s: string) => log.push(`data ${JSON.stringify(s)}`));
      const ended = once(peer, "end").then(() => log.push("end"));
      client.write("a");
      await untilRead(peer, 1);
      client.end(cut);
      await ended;
      assert.deepEqual(log, ['data "a"', 'data "\ufffd"', "end"], `truncated after ${cut.length} bytes`);
    }
  }),

  defineCase("encoding", "utf16le: an odd last byte is dropped, a lone high surrogate kept", async (ctx) => {
    const odd = await decodeToEnd(ctx, "utf16le", new Uint8Array([0x61, 0x00, 0x62]));
    assert.equal(odd.join(""), "a");
    const high = await decodeToEnd(ctx, "utf16le", new Uint8Array([0x61, 0x00, 0x3d, 0xd8]));
    assert.equal(high.join(""), "a\ud83d");
    const highOdd = await decodeToEnd(ctx, "utf16le", new Uint8Array([0x3d, 0xd8, 0x00]));
    assert.equal(highOdd.join(""), "\ud83d");
  }),

  defineCase("encoding", "base64 and base64url: an incomplete group is flushed at the end", async (ctx) => {
    const one = new Uint8Array([0xfb]);
    const two = new Uint8Array([0xfb, 0xff]);
    assert.equal((await decodeToEnd(ctx, "base64", one)).join(""), "+w==");
    assert.equal((await decodeToEnd(ctx, "base64", two)).join(""), "+/8=");
    assert.equal((await decodeToEnd(ctx, "base64url", one)).join(""), "-w");
    assert.equal((await decodeToEnd(ctx, "base64url", two)).join(""), "-_8");
  }),

  // ---- write(string, encoding) -----------------------------------------------------------------

  defineCase("encoding", "write(string) defaults to UTF-8; lone surrogates become U+FFFD", async (ctx) => {
    await checkWrites(ctx, [
      ["héllo €😀", undefined as unknown as string, "68c3a96c6c6f20e282acf09f9880"],
      ["\ud83d", undefined as unknown as string, "efbfbd"],
      ["a\udc00b", undefined as unknown as string, "61efbfbd62"],
    ]);
  }),

  defineCase("encoding", "write(string, encoding) for the text encodings and their aliases", async (ctx) => {
    const text = "héllo €😀";
    await checkWrites(ctx, [
      [text, "utf8", "68c3a96c6c6f20e282acf09f9880"],
      [text, "utf-8", "68c3a96c6c6f20e282acf09f9880"],
      [text, "UTF-8", "68c3a96c6c6f20e282acf09f9880"],
      [text, "utf16le", "6800e9006c006c006f002000ac203dd800de"],
      [text, "utf-16le", "6800e9006c006c006f002000ac203dd800de"],
      [text, "ucs2", "6800e9006c006c006f002000ac203dd800de"],
      [text, "UCS-2", "6800e9006c006c006f002000ac203dd800de"],
      // latin1 and ascii keep the low byte of each UTF-16 code unit.
      [text, "latin1", "68e96c6c6f20ac3d00"],
      [text, "binary", "68e96c6c6f20ac3d00"],
      [text, "ascii", "68e96c6c6f20ac3d00"],
      [text, "ASCII", "68e96c6c6f20ac3d00"],
      ["ÿĀ", "latin1", "ff00"],
      ["\ud83d", "utf16le", "3dd8"],
    ]);
  }),

  defineCase("encoding", "write(string, 'base64' | 'base64url'): Node's lenient decoding", async (ctx) => {
    await checkWrites(ctx, [
      ["aGVsbG8=", "base64", "68656c6c6f"],
      ["aGVsbG8", "base64", "68656c6c6f"], // missing padding
      ["aGV sbG8\n=", "base64", "68656c6c6f"], // whitespace ignored
      ["a*G!V@s", "base64", "68656c"], // invalid characters skipped
      ["-_-_", "base64", "fbffbf"], // the url alphabet is accepted by base64
      ["+/+/", "base64url", "fbffbf"], // and the standard one by base64url
      ["-_-_", "base64url", "fbffbf"],
      ["aGVsbG8=", "base64url", "68656c6c6f"],
      ["ab=cd", "base64", "69"], // decoding stops at '='
      ["a", "base64", ""], // a single character is no byte
      ["BASE", "BASE64", "040484"],
    ]);
  }),

  defineCase("encoding", "write(string, 'hex'): odd length and invalid digits truncate", async (ctx) => {
    await checkWrites(ctx, [
      ["48656c6c6f", "hex", "48656c6c6f"],
      ["48656C6c6", "hex", "48656c6c"], // mixed case; the odd last digit is dropped
      ["4865zz6c", "hex", "4865"], // stops at the first invalid pair
      ["48 65", "hex", "48"],
      ["zz", "hex", ""],
      ["4", "hex", ""],
      ["CAFE", "HEX", "cafe"],
    ]);
  }),

  defineCase("encoding", "end(string, encoding) sends the decoded bytes, then FIN", async (ctx) => {
    const { client, peer } = await connected(ctx);
    const chunks: Uint8Array[] = [];
    peer.on("data", (c: Uint8Array) => chunks.push(c));
    const ended = once(peer, "end");
    client.write("00", "hex");
    const finished = new Promise<void>((resolve) => client.end("aGk=", "base64", () => resolve()));
    await ended;
    assert.equal(hexOf(concat(chunks)), "006869");
    await finished; // end's callback runs
  }),

  defineCase("encoding", "end(string, encoding) for hex, utf16le and latin1", async (ctx) => {
    for (const [s, enc, hex] of [
      ["cafe", "hex", "cafe"],
      ["hé", "utf16le", "6800e900"],
      ["hé", "latin1", "68e9"],
    ] as const) {
      const { client, peer } = await connected(ctx);
      const chunks: Uint8Array[] = [];
      peer.on("data", (c: Uint8Array) => chunks.push(c));
      const ended = once(peer, "end");
      client.end(s, enc);
      await ended;
      assert.equal(hexOf(concat(chunks)), hex, `end(${JSON.stringify(s)}, ${enc})`);
    }
  }),

  defineCase("encoding", "write and end with an unknown encoding throw ERR_UNKNOWN_ENCODING", async (ctx) => {
    const { client, peer } = await connected(ctx);
    for (const name of ["bogus", "utf-16", "UTF16"]) {
      for (const call of [() => client.write("abc", name), () => client.end("abc", name)]) {
        assert.throws(call, (err: any) => {
          assert.equal(err instanceof TypeError, true);
          assert.equal(err.code, "ERR_UNKNOWN_ENCODING");
          assert.equal(err.message, `Unknown encoding: ${name}`);
          return true;
        });
      }
    }
    // Nothing was sent and the socket still works.
    const chunks: Uint8Array[] = [];
    peer.on("data", (c: Uint8Array) => chunks.push(c));
    const ended = once(peer, "end");
    client.end("ok");
    await ended;
    assert.equal(hexOf(concat(chunks)), "6f6b");
  }),

  defineCase("encoding", "a written string is decoded by the peer's setEncoding", async (ctx) => {
    const { client, peer } = await connected(ctx);
    peer.setEncoding("utf16le");
    const { strings, ended } = collectStrings(peer);
    client.write(TEXT, "utf16le");
    client.end(fromHex("3dd800de"));
    await ended;
    assert.equal(strings.join(""), TEXT + "😀");
  }),
  defineCase("encoding", "paused, with an encoding set, readableLength counts characters: what was buffered as bytes becomes text at setEncoding(), what comes later is counted as decoded", async (ctx) => {
    const { client, peer } = await connected(ctx);
    client.pause();
    const waitFor = async (n: number) => {
      while (client.readableLength < n) await delay(2);
    };
    peer.write(utf8("h\u00e9llo\u20ac")); // 9 bytes, 6 characters
    await waitFor(9);
    assert.equal(client.readableLength, 9);
    client.setEncoding("utf8");
    assert.equal(client.readableLength, 6);
    peer.write(utf8("\u00fc!")); // 3 bytes, 2 characters
    await waitFor(8);
    assert.equal(client.readableLength, 8);
    let text = "";
    client.on("data", (d: string) => (text += d));
    client.resume();
    peer.end();
    await once(client, "end");
    assert.equal(text, "h\u00e9llo\u20ac\u00fc!");
  }),
];

export default cases;
