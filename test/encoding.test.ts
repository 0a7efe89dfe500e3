/**
 * `src/encoding.ts` against Node's own `Buffer` and `StringDecoder`, on crafted and seeded
 * random inputs. A failure message names the seed-derived input, so it reproduces.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { StringDecoder } from "node:string_decoder";
import { describe, expect, test } from "vitest";
import { int, prng, type Rand } from "./_prng.ts";
import {
  decode,
  encode,
  type Encoding,
  normalizeEncoding,
  StreamDecoder,
} from "../src/encoding.ts";

const ENCODINGS: Encoding[] = ["utf8", "utf16le", "latin1", "ascii", "base64", "base64url", "hex"];

const pick = <T>(rand: Rand, items: readonly T[]): T => items[int(rand, items.length)];

/** Bytes that matter to UTF-8 and UTF-16 decoding: boundaries of every byte class. */
const EDGE_BYTES = [
  0x00,
  0x0a,
  0x41,
  0x7f,
  0x80,
  0x8f,
  0x90,
  0x9f,
  0xa0,
  0xbb,
  0xbf,
  0xc0,
  0xc1,
  0xc2,
  0xdc,
  0xd8,
  0xdf,
  0xe0,
  0xe1,
  0xed,
  0xee,
  0xef,
  0xf0,
  0xf1,
  0xf4,
  0xf5,
  0xf7,
  0xf8,
  0xfb,
  0xfc,
  0xfe,
  0xff,
];

/** Random bytes, half of them from {@link EDGE_BYTES}. */
function randomBytes(rand: Rand, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    bytes[i] = rand() < 0.5 ? pick(rand, EDGE_BYTES) : int(rand, 256);
  }
  return bytes;
}

/** Valid UTF-8 text of random characters (1 to 4 bytes each), as bytes. */
function randomUtf8(rand: Rand, chars: number): Uint8Array {
  return new Uint8Array(Buffer.from(randomText(rand, chars, false), "utf8"));
}

/** Random text: ASCII, controls, Latin-1, BMP, astral, BOM and (if allowed) lone surrogates. */
function randomText(rand: Rand, length: number, loneSurrogates = true): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    const k = int(rand, loneSurrogates ? 8 : 7);
    if (k === 0) out += String.fromCharCode(0x20 + int(rand, 0x5f));
    else if (k === 1) out += String.fromCharCode(int(rand, 0x20));
    else if (k === 2) out += String.fromCharCode(0x80 + int(rand, 0x80));
    else if (k === 3) out += String.fromCharCode(0x100 + int(rand, 0xd700));
    else if (k === 4) out += String.fromCodePoint(0x10000 + int(rand, 0x100000));
    else if (k === 5) out += "\ufeff";
    else if (k === 6) out += String.fromCharCode(0xe000 + int(rand, 0x2000));
    else out += String.fromCharCode(0xd800 + int(rand, 0x800));
  }
  return out;
}

/** A random string over `alphabet`. */
function randomOver(rand: Rand, alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[int(rand, alphabet.length)];
  return out;
}

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const show = (bytes: Uint8Array): string => `[${hexOf(bytes).replace(/(..)(?!$)/g, "$1 ")}]`;

function expectDecode(bytes: Uint8Array, encoding: Encoding): void {
  const want = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(encoding);
  const got = decode(bytes, encoding);
  if (got !== want) expect(got, `decode ${encoding} ${show(bytes)}`).toBe(want);
}

function expectEncode(text: string, encoding: Encoding): void {
  const want = hexOf(Buffer.from(text, encoding));
  const got = encode(text, encoding);
  expect(got).toBeInstanceOf(Uint8Array);
  const gotHex = hexOf(got);
  if (gotHex !== want) expect(gotHex, `encode ${encoding} ${JSON.stringify(text)}`).toBe(want);
}

describe("decode matches buf.toString", () => {
  test("every encoding, random bytes of every length 0..300 and some large ones", () => {
    const rand = prng(1);
    const lengths = [...Array(301).keys(), 1000, 8191, 8192, 8193, 20_000, 100_001];
    for (const encoding of ENCODINGS) {
      for (const length of lengths) {
        expectDecode(randomBytes(rand, length), encoding);
        if (length > 0 && length < 64) expectDecode(randomUtf8(rand, length), encoding);
      }
    }
  });

  test("ASCII-only, all 256 byte values, valid UTF-8 and a BOM", () => {
    const rand = prng(2);
    const all = new Uint8Array(256).map((_, i) => i);
    const ascii = new Uint8Array(50_000).map(() => int(rand, 128));
    const text = randomUtf8(rand, 30_000);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xef, 0xbb, 0xbf]);
    for (const encoding of ENCODINGS) {
      for (const bytes of [all, ascii, text, bom, ascii.subarray(0, 63), ascii.subarray(0, 64)]) {
        expectDecode(bytes, encoding);
      }
    }
  });

  test("views at odd offsets (utf16le cannot alias them as Uint16Array)", () => {
    const rand = prng(3);
    const backing = randomBytes(rand, 20_003);
    for (const encoding of ENCODINGS) {
      for (const [start, end] of [[1, 2], [1, 8], [3, 300], [1, 20_002], [2, 20_003]]) {
        expectDecode(backing.subarray(start, end), encoding);
      }
    }
  });

  test("crafted invalid UTF-8", () => {
    const cases = [
      [0xc0, 0x80],
      [0xc1, 0xbf],
      [0xe0, 0x80, 0x80],
      [0xe0, 0x9f, 0xbf],
      [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0xe2, 0x82],
      [0xe2, 0x82, 0x41],
      [0xf0, 0x9f, 0x98],
      [0xf0, 0x9f, 0x98, 0x41],
      [0x80, 0x80, 0x80, 0x80, 0x80],
      [0xef, 0xbb, 0xbf],
      [0xef, 0xbf, 0xbe],
      [0xef, 0xbf, 0xbf],
      [0xf4, 0x8f, 0xbf, 0xbf],
    ];
    for (const bytes of cases) expectDecode(new Uint8Array(bytes), "utf8");
  });
});

describe("encode matches Buffer.from", () => {
  test("every encoding, random text (astral, lone surrogates, BOM, controls, > U+00FF)", () => {
    const rand = prng(4);
    const lengths = [...Array(201).keys(), 5000, 20_000];
    for (const encoding of ENCODINGS) {
      for (const length of lengths) expectEncode(randomText(rand, length), encoding);
    }
  });

  test("crafted text", () => {
    const cases = [
      "",
      "a",
      "\ud800",
      "\udc00",
      "a\ud800b\udc00",
      "\udc00\ud800",
      "\ud83d\ude00",
      "\ufeffA",
      "\u0000\u007f\u0080\u00ff\u0100\uffff",
      "é€😀",
    ];
    for (const encoding of ENCODINGS) for (const text of cases) expectEncode(text, encoding);
  });

  test("lenient base64 and base64url", () => {
    const cases = [
      "",
      "Q",
      "QQ",
      "QQ=",
      "QQ==",
      "QQ===",
      "QUI",
      "QUI=",
      "QUJD",
      "QUJDQ",
      "QUJDQQ==",
      "QU JD\nQQ",
      " \t\r\nQUJD \n",
      "QQ==QUJD",
      "QU=JD",
      "=QUJD",
      "QUJD====",
      "-_-_",
      "+/+/",
      "+/-_",
      "QU*JD!!QQ",
      "QUJD\u00e9QUJD",
      "\u0141\u0141\u0141\u0141",
      "QUJD\u013dQUJD",
      "QUJD\u0100QQ",
      "aGVsbG8gd29ybGQ",
      "aGVsbG8gd29ybGQ=",
      "YQ",
      "YWI",
      "YWJj",
      "Y",
      "====",
      "QQ\u013d\u013d",
      "Q=Q=",
      "QUJ\n=",
      "QUJDRA\n==\n",
    ];
    for (const text of cases) {
      expectEncode(text, "base64");
      expectEncode(text, "base64url");
    }
    const rand = prng(5);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_" +
      " \n\t\r*.!=\u00e9\u0141\u013d\u0100\u2028";
    for (let i = 0; i < 3000; i++) {
      const text = randomOver(
        rand,
        alphabet.slice(0, rand() < 0.5 ? 66 : alphabet.length),
        int(rand, 40),
      );
      expectEncode(text, "base64");
      expectEncode(text, "base64url");
    }
    // Large, with whitespace every 76 characters as in MIME.
    const big = Buffer.from(randomBytes(rand, 30_000)).toString("base64");
    expectEncode(big.replace(/.{76}/g, "$&\r\n"), "base64");
    expectEncode(big.replaceAll("=", ""), "base64url");
  });

  test("hex: odd length, invalid characters, upper case", () => {
    const cases = [
      "",
      "a",
      "ab",
      "abc",
      "ABCDEF",
      "aBcD",
      "0g",
      "g0",
      "12zz34",
      "12 34",
      "1234\n",
      "0x12",
      "\u0130\u0131",
      "a\u0162",
      "ff\u00ff",
      "7F80",
    ];
    for (const text of cases) expectEncode(text, "hex");
    const rand = prng(6);
    const alphabet = "0123456789abcdefABCDEF xg\u0130\u0141";
    for (let i = 0; i < 2000; i++) {
      const text = randomOver(
        rand,
        alphabet.slice(0, rand() < 0.7 ? 22 : alphabet.length),
        int(rand, 30),
      );
      expectEncode(text, "hex");
    }
    expectEncode(Buffer.from(randomBytes(rand, 50_000)).toString("hex").toUpperCase(), "hex");
  });
});

/** Node's per-write outputs (the last one is `end()`). */
function nodeOutputs(encoding: Encoding, chunks: Uint8Array[]): string[] {
  const decoder = new StringDecoder(encoding);
  const out = chunks.map((chunk) => decoder.write(Buffer.from(chunk)));
  out.push(decoder.end());
  return out;
}

/** Ours, with a reused decoder to check that `end()` resets it. */
function ourOutputs(decoder: StreamDecoder, chunks: Uint8Array[]): string[] {
  const out = chunks.map((chunk) => decoder.write(chunk));
  out.push(decoder.end());
  return out;
}

const decoders = new Map(ENCODINGS.map((e) => [e, new StreamDecoder(e)]));

function expectStream(encoding: Encoding, chunks: Uint8Array[]): void {
  const want = nodeOutputs(encoding, chunks);
  const got = ourOutputs(decoders.get(encoding)!, chunks);
  if (got.length !== want.length || got.some((s, i) => s !== want[i])) {
    expect(got, `${encoding} chunks ${chunks.map(show).join(" ")}`).toEqual(want);
  }
}

/** Every split in two, single bytes, and a few random chunkings (with empty chunks). */
function chunkings(rand: Rand, bytes: Uint8Array, randomCount: number): Uint8Array[][] {
  const out: Uint8Array[][] = [[bytes]];
  for (let i = 0; i <= bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  out.push(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)));
  for (let r = 0; r < randomCount; r++) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length;) {
      const size = rand() < 0.1 ? 0 : 1 + int(rand, 6);
      chunks.push(bytes.subarray(i, i + size));
      i += size;
    }
    out.push(chunks);
  }
  return out;
}

const CRAFTED_UTF8 = [
  [0xe2, 0x82, 0xac],
  [0xf0, 0x9f, 0x98, 0x80],
  [0x41, 0xc3, 0xa9, 0x42],
  [0xe2, 0x82],
  [0xe2, 0x82, 0x41],
  [0xe2, 0x41, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xf0, 0x9f, 0x98, 0x41],
  [0xf0, 0x9f, 0x41, 0x98],
  [0xf0, 0x41],
  [0xc3],
  [0xc3, 0xc3, 0xa9],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80],
  [0xc0, 0x80, 0xc1, 0xbf],
  [0xf5, 0x80, 0x80, 0x80],
  [0xf8, 0x80, 0x80, 0x80, 0x80],
  [0xff, 0xfe, 0x80],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80],
  [0xf0, 0x9f, 0x98, 0x80, 0x80, 0x80],
  [0xef, 0xbb, 0xbf, 0x41],
  [0xef, 0xbb, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xac, 0xc3, 0xa9, 0x41],
  [0xe2, 0x82, 0xe2, 0x82, 0xac],
  [0xf0, 0x80, 0x80, 0x80, 0xf0],
];

const CRAFTED_UTF16 = [
  [0x3d, 0xd8, 0x00, 0xde],
  [0x3d, 0xd8],
  [0x3d, 0xd8, 0x00],
  [0x00, 0xde, 0x3d, 0xd8],
  [0x3d, 0xd8, 0x3d, 0xd8, 0x00, 0xde],
  [0x41, 0x00, 0x3d, 0xd8, 0x41, 0x00],
  [0x41, 0x00, 0x42],
  [0x41],
  [0xff, 0xdb, 0xff, 0xdf, 0xff],
  [0xfe, 0xff, 0xff, 0xfe],
];

describe("StreamDecoder matches StringDecoder write for write", () => {
  test("crafted UTF-8 and UTF-16 sequences, every chunking", () => {
    const rand = prng(7);
    for (const bytes of CRAFTED_UTF8) {
      for (const chunks of chunkings(rand, new Uint8Array(bytes), 20)) expectStream("utf8", chunks);
    }
    for (const bytes of CRAFTED_UTF16) {
      for (const chunks of chunkings(rand, new Uint8Array(bytes), 20)) {
        expectStream("utf16le", chunks);
      }
    }
  });

  test("random inputs, every encoding, every chunking", () => {
    const rand = prng(8);
    for (const encoding of ENCODINGS) {
      for (let n = 0; n < 60; n++) {
        const bytes = n % 3 === 0
          ? randomUtf8(rand, int(rand, 12))
          : randomBytes(rand, int(rand, 30));
        for (const chunks of chunkings(rand, bytes, 5)) expectStream(encoding, chunks);
      }
    }
  });

  test("large random inputs in random chunks", () => {
    const rand = prng(9);
    for (const encoding of ENCODINGS) {
      const bytes = rand() < 0.5 ? randomUtf8(rand, 20_000) : randomBytes(rand, 50_000);
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length;) {
        const size = int(rand, 9000);
        chunks.push(bytes.subarray(i, i + size));
        i += size;
      }
      expectStream(encoding, chunks);
    }
  });

  test("end(chunk) and reuse after end()", () => {
    const decoder = new StreamDecoder("utf8");
    const node = new StringDecoder("utf8");
    const chunks = [[0xe2], [0x82, 0xac, 0xf0], [0x9f], [0x98]].map((b) => new Uint8Array(b));
    for (let round = 0; round < 2; round++) {
      for (const chunk of chunks.slice(0, -1)) {
        expect(decoder.write(chunk)).toBe(node.write(Buffer.from(chunk)));
      }
      const last = chunks[chunks.length - 1];
      expect(decoder.end(last)).toBe(node.end(Buffer.from(last)));
    }
    expect(decoder.end()).toBe("");
    expect(decoder.encoding).toBe("utf8");
  });
});

describe("normalizeEncoding", () => {
  /** Node's normalizeEncoding, observed through StringDecoder (which throws on unknown). */
  function nodeNormalize(value: unknown): string | undefined {
    try {
      // `encoding` is public in Node but missing from @types/node.
      const decoder = new StringDecoder(value as BufferEncoding) as unknown as { encoding: string };
      return decoder.encoding;
    } catch {
      return undefined;
    }
  }

  test("names, aliases, odd case, unknown names and non-strings", () => {
    const rand = prng(10);
    const names = [
      "utf8",
      "utf-8",
      "ucs2",
      "ucs-2",
      "utf16le",
      "utf-16le",
      "latin1",
      "binary",
      "ascii",
      "base64",
      "base64url",
      "hex",
    ];
    const values: unknown[] = [
      undefined,
      null,
      "",
      "UTF8",
      "Utf-8",
      "uCs2",
      "UCS-2",
      "utf-16LE",
      "Binary",
      "BASE64URL",
      "base64URL",
      "HeX",
      "latin-1",
      "utf16",
      "utf-16",
      "ucs",
      "buffer",
      "utf32",
      "base-64",
      "hex ",
      " hex",
      "utf8\0",
      "utf\u0130",
      "\u0130hex",
      "\u212aey",
      0,
      8,
      NaN,
      true,
      false,
      {},
      [],
      ["utf8"],
      new String("hex"),
      new String("UCS-2"),
      new String(""),
      Symbol("utf8"),
      { length: 4, toString: () => "utf8" },
      { length: 3, toString: () => "utf8" },
      () => "utf8",
    ];
    for (const name of names) {
      values.push(name, name.toUpperCase());
      for (let i = 0; i < 8; i++) {
        values.push([...name].map((c) => (rand() < 0.5 ? c.toUpperCase() : c)).join(""));
      }
    }
    for (const value of values) {
      expect(normalizeEncoding(value), `normalizeEncoding(${String(value)})`).toBe(
        nodeNormalize(value),
      );
      if (typeof value === "string" && value !== "") {
        expect(normalizeEncoding(value) !== undefined).toBe(Buffer.isEncoding(value));
      }
    }
  });
});

test("unknown encodings throw ERR_UNKNOWN_ENCODING", () => {
  const bad = "utf-8" as Encoding;
  for (
    const call of [
      () => encode("a", bad),
      () => decode(new Uint8Array(1), bad),
      () => new StreamDecoder(bad),
    ]
  ) {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(expect.objectContaining({ code: "ERR_UNKNOWN_ENCODING" }));
  }
});
