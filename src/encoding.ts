/**
 * Node's `Buffer` string encodings without `Buffer`: {@link normalizeEncoding} (encoding
 * names and aliases), {@link encode} (`Buffer.from(text, encoding)`), {@link decode}
 * (`buf.toString(encoding)`) and {@link StreamDecoder} (`string_decoder.StringDecoder`),
 * matching Node byte for byte, lenient parsing and replacement characters included.
 *
 * UTF-8 goes through `TextEncoder` and a `TextDecoder` created with `ignoreBOM: true`
 * (Node keeps a leading byte order mark): both replace invalid input exactly as Node does
 * (lone surrogates become EF BF BD, each maximal invalid subsequence one U+FFFD).
 *
 * @module
 */

import { unknownEncoding } from "./errors.ts";
import {
  base64ToBytes,
  bytesToAscii,
  bytesToBase64,
  bytesToHex,
  bytesToLatin1,
  bytesToUtf16le,
  hexToBytes,
  latin1ToBytes,
  utf16leToBytes,
} from "./_encoding_codecs.ts";

/** Node's canonical encoding names, as `socket.readableEncoding` reports them. */
export type Encoding =
  | "utf8"
  | "utf16le"
  | "latin1"
  | "ascii"
  | "base64"
  | "base64url"
  | "hex";

/** Every accepted name, lower-cased, with its canonical form. */
const NAMES: ReadonlyMap<string, Encoding> = new Map<string, Encoding>([
  ["utf8", "utf8"],
  ["utf-8", "utf8"],
  ["ucs2", "utf16le"],
  ["ucs-2", "utf16le"],
  ["utf16le", "utf16le"],
  ["utf-16le", "utf16le"],
  ["latin1", "latin1"],
  ["binary", "latin1"],
  ["ascii", "ascii"],
  ["base64", "base64"],
  ["base64url", "base64url"],
  ["hex", "hex"],
]);

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Normalizes an encoding name the way Node does internally (`normalizeEncoding` in
 * `lib/internal/util.js`, used by `StringDecoder` and `readable.setEncoding`).
 *
 * Names are matched case-insensitively; the aliases are `utf-8`, `ucs2`, `ucs-2`,
 * `utf-16le` and `binary`. Like Node, `undefined`, `null` and `""` mean the default and give
 * `"utf8"`, and a `String` object is read as its text. Anything else unknown gives
 * `undefined`: callers throw `ERR_UNKNOWN_ENCODING` then. Note that Node's other entry points
 * differ around the edges: `Buffer.isEncoding` is `false` for `undefined`, `null` and `""`,
 * `buf.toString("")` and `buf.toString(null)` throw, and `Buffer.from(text, enc)` treats any
 * non-string or empty `enc` as UTF-8.
 *
 * @param value An encoding name, or any value.
 * @returns The canonical name, or `undefined` when `value` names no encoding.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(normalizeEncoding("UTF-8"), "utf8");
 * assert.equal(normalizeEncoding("ucs2"), "utf16le");
 * assert.equal(normalizeEncoding("Binary"), "latin1");
 * assert.equal(normalizeEncoding(undefined), "utf8");
 * assert.equal(normalizeEncoding("utf16"), undefined);
 * ```
 */
export function normalizeEncoding(value: unknown): Encoding | undefined {
  if (value == null || value === "utf8" || value === "utf-8") return "utf8";
  if (typeof value === "string") {
    if (value === "") return "utf8";
    if (value.length < 3 || value.length > 9) return undefined;
    return NAMES.get(value.toLowerCase());
  }
  // Node switches on `value.length` and compares `${value}` lower-cased with the names of
  // that length: this accepts String objects (and look-alikes) too.
  const length = (value as { length?: unknown }).length;
  if (typeof length !== "number" || length < 3 || length > 9) return undefined;
  const name = `${value as string}`.toLowerCase();
  return name.length === length ? NAMES.get(name) : undefined;
}

/**
 * Encodes `text` to bytes like `Buffer.from(text, encoding)`.
 *
 * - `utf8`: lone surrogates become U+FFFD (EF BF BD).
 * - `utf16le`: two bytes per UTF-16 code unit, lone surrogates kept.
 * - `latin1`, `ascii`: the low byte of each code unit (so `ascii` equals `latin1`).
 * - `hex`: digit pairs of either case, up to the first pair with a non-digit; an odd last
 *   digit is dropped.
 * - `base64`, `base64url`: both alphabets accepted, whitespace and other characters
 *   skipped, padding optional, decoding stops at the first `=`.
 *
 * Like Node, `hex` and `base64` look at the low byte of each code unit only, so a character
 * such as U+0141 reads as `A` (0x41).
 *
 * @param text The string to encode.
 * @param encoding A canonical encoding name.
 * @returns The encoded bytes: a new array that the caller owns.
 * @throws {TypeError} `ERR_UNKNOWN_ENCODING` when `encoding` is not a canonical name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(encode("hé", "utf8"), new Uint8Array([0x68, 0xc3, 0xa9]));
 * assert.deepEqual(encode("0aFx", "hex"), new Uint8Array([0x0a]));
 * assert.deepEqual(encode(" aGk\n", "base64"), new Uint8Array([0x68, 0x69]));
 * ```
 */
export function encode(text: string, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case "utf8":
      return utf8Encoder.encode(text);
    case "utf16le":
      return utf16leToBytes(text);
    case "latin1":
    case "ascii":
      return latin1ToBytes(text);
    case "base64":
    case "base64url":
      return base64ToBytes(text);
    case "hex":
      return hexToBytes(text);
    default:
      throw unknownEncoding(encoding);
  }
}

/**
 * Decodes bytes to a string like `buf.toString(encoding)`.
 *
 * - `utf8`: each maximal invalid subsequence becomes one U+FFFD; a leading BOM is kept.
 * - `utf16le`: little-endian code units, lone surrogates kept, an odd last byte dropped.
 * - `latin1`: each byte as U+0000..U+00FF; `ascii`: each byte with its high bit cleared.
 * - `base64`: padded with `=`; `base64url`: `-` and `_`, unpadded.
 * - `hex`: two lower-case digits per byte.
 *
 * @param bytes The bytes to decode.
 * @param encoding A canonical encoding name.
 * @returns The decoded string.
 * @throws {TypeError} `ERR_UNKNOWN_ENCODING` when `encoding` is not a canonical name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const bytes = new Uint8Array([0x68, 0xc3, 0xa9, 0xff]);
 * assert.equal(decode(bytes, "utf8"), "hé\ufffd");
 * assert.equal(decode(bytes, "ascii"), "hC)\x7f");
 * assert.equal(decode(bytes, "base64"), "aMOp/w==");
 * assert.equal(decode(bytes, "base64url"), "aMOp_w");
 * assert.equal(decode(bytes, "hex"), "68c3a9ff");
 * ```
 */
export function decode(bytes: Uint8Array, encoding: Encoding): string {
  switch (encoding) {
    case "utf8":
      return utf8Decoder.decode(bytes);
    case "utf16le":
      return bytesToUtf16le(bytes);
    case "latin1":
      return bytesToLatin1(bytes);
    case "ascii":
      return bytesToAscii(bytes);
    case "base64":
      return bytesToBase64(bytes, false);
    case "base64url":
      return bytesToBase64(bytes, true);
    case "hex":
      return bytesToHex(bytes);
    default:
      throw unknownEncoding(encoding);
  }
}

// How each encoding is streamed: which incomplete tail, if any, is held between chunks.
const STATELESS = 0;
const UTF8 = 1;
const UTF16LE = 2;
const BASE64 = 3;
type Kind = typeof STATELESS | typeof UTF8 | typeof UTF16LE | typeof BASE64;

function kindOf(encoding: Encoding): Kind {
  switch (encoding) {
    case "utf8":
      return UTF8;
    case "utf16le":
      return UTF16LE;
    case "base64":
    case "base64url":
      return BASE64;
    case "latin1":
    case "ascii":
    case "hex":
      return STATELESS;
    default:
      throw unknownEncoding(encoding);
  }
}

/**
 * Decodes a byte stream chunk by chunk with the semantics of Node's
 * `string_decoder.StringDecoder`: {@link StreamDecoder.write} returns what is complete so
 * far and keeps an incomplete tail (a UTF-8 sequence, half a UTF-16 code unit or a high
 * surrogate, a base64 group of fewer than 3 bytes) for the next chunk;
 * {@link StreamDecoder.end} flushes it.
 *
 * Outputs equal Node's write for write, including its quirks: a UTF-8 tail is decoded on its
 * own once its lead byte's length is reached or a non-continuation byte arrives; a UTF-16
 * code unit completed from a held odd byte is returned at once even when it is a high
 * surrogate; at the end, a truncated UTF-8 sequence gives U+FFFD, a held odd UTF-16 byte is
 * dropped (a held high surrogate is returned), and base64 gives its last group padded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const decoder = new StreamDecoder("utf8");
 * assert.equal(decoder.write(new Uint8Array([0x68, 0xe2, 0x82])), "h");
 * assert.equal(decoder.write(new Uint8Array([0xac])), "€");
 * assert.equal(decoder.end(new Uint8Array([0xf0, 0x9f])), "\ufffd");
 * ```
 */
export class StreamDecoder {
  /** The canonical encoding this decoder was created with. */
  readonly encoding: Encoding;
  private readonly kind_: Kind;
  /** The incomplete tail: `buffered_` bytes held, `missing_` more expected. */
  private readonly tail_ = new Uint8Array(4);
  private buffered_ = 0;
  private missing_ = 0;

  /**
   * Creates a decoder for one stream.
   *
   * @param encoding A canonical encoding name (see {@link normalizeEncoding}).
   * @throws {TypeError} `ERR_UNKNOWN_ENCODING` when `encoding` is not a canonical name.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * assert.equal(new StreamDecoder("hex").encoding, "hex");
   * ```
   */
  constructor(encoding: Encoding) {
    this.kind_ = kindOf(encoding);
    this.encoding = encoding;
  }

  /**
   * Decodes the next chunk.
   *
   * @param chunk The next bytes of the stream; the decoder keeps no reference to it.
   * @returns The characters completed by this chunk (possibly `""`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const decoder = new StreamDecoder("base64");
   * assert.equal(decoder.write(new Uint8Array([1, 2, 3, 4])), "AQID");
   * assert.equal(decoder.write(new Uint8Array([5, 6])), "BAUG");
   * ```
   */
  write(chunk: Uint8Array): string {
    const kind = this.kind_;
    if (kind === STATELESS) return decode(chunk, this.encoding);
    let data = chunk;
    let prefix = "";
    if (this.missing_ > 0) {
      if (kind === UTF8) {
        // A byte that is not a continuation cuts the held sequence short: the held bytes are
        // decoded alone and that byte starts the body.
        const limit = Math.min(data.length, this.missing_);
        for (let i = 0; i < limit; i++) {
          if ((data[i] & 0xc0) !== 0x80) {
            this.hold_(data.subarray(0, i));
            this.missing_ = 0;
            data = data.subarray(i);
            break;
          }
        }
      }
      const found = Math.min(data.length, this.missing_);
      this.hold_(data.subarray(0, found));
      this.missing_ -= found;
      data = data.subarray(found);
      if (this.missing_ === 0) {
        prefix = decode(this.tail_.subarray(0, this.buffered_), this.encoding);
        this.buffered_ = 0;
      }
    }
    const n = data.length;
    if (n === 0) return prefix;
    let keep = 0;
    let missing = 0;
    if (kind === UTF8) {
      if (data[n - 1] & 0x80) [keep, missing] = utf8Tail(data);
    } else if (kind === UTF16LE) {
      if (n % 2 === 1) keep = missing = 1;
      else if ((data[n - 1] & 0xfc) === 0xd8) keep = missing = 2;
    } else {
      keep = n % 3;
      missing = keep === 0 ? 0 : 3 - keep;
    }
    if (keep > 0) {
      this.tail_.set(data.subarray(n - keep));
      this.buffered_ = keep;
      this.missing_ = missing;
      data = data.subarray(0, n - keep);
    }
    return data.length === 0 ? prefix : prefix + decode(data, this.encoding);
  }

  /**
   * Ends the stream: decodes `chunk` when given, then flushes the incomplete tail. The
   * decoder can be used again afterwards, for a new stream.
   *
   * @param chunk Last bytes of the stream, if any.
   * @returns The remaining characters (possibly `""`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const decoder = new StreamDecoder("utf16le");
   * assert.equal(decoder.write(new Uint8Array([0x3d, 0xd8])), "");
   * assert.equal(decoder.end(), "\ud83d");
   * ```
   */
  end(chunk?: Uint8Array): string {
    const out = chunk === undefined ? "" : this.write(chunk);
    const held = this.buffered_;
    this.buffered_ = 0;
    this.missing_ = 0;
    // decode() drops half a UTF-16 code unit, as Node's flush does.
    return held === 0 ? out : out + decode(this.tail_.subarray(0, held), this.encoding);
  }

  /** Appends `bytes` to the held tail. */
  private hold_(bytes: Uint8Array): void {
    this.tail_.set(bytes, this.buffered_);
    this.buffered_ += bytes.length;
  }
}

/**
 * Where a UTF-8 chunk ending in a non-ASCII byte is cut, as Node's decoder does: looking
 * back at most 4 bytes for a lead byte whose sequence the chunk does not complete.
 *
 * @returns `[bytes to hold, bytes still missing]`, `[0, 0]` to keep nothing.
 */
function utf8Tail(data: Uint8Array): [number, number] {
  const n = data.length;
  for (let i = n - 1, count = 1;; i--, count++) {
    const byte = data[i];
    if ((byte & 0xc0) === 0x80) {
      // A continuation byte: keep looking unless 4 were seen or the chunk starts here.
      if (count >= 4 || i === 0) return [0, 0];
      continue;
    }
    let length: number;
    if ((byte & 0xe0) === 0xc0) length = 2;
    else if ((byte & 0xf0) === 0xe0) length = 3;
    else if ((byte & 0xf8) === 0xf0) length = 4;
    else return [0, 0];
    return count >= length ? [0, 0] : [count, length - count];
  }
}
