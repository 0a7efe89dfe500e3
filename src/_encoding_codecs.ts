/**
 * Private byte <-> string codecs behind `encoding.ts`: latin1, ascii, utf16le, hex and
 * base64, each written to match Node's `Buffer` byte for byte. UTF-8 goes through the
 * platform's `TextEncoder`/`TextDecoder` in `encoding.ts` instead.
 *
 * Strings are built from byte (or code unit) arrays with `String.fromCharCode.apply` on
 * bounded slices, and pure-ASCII output (hex, base64) goes through `TextDecoder` when large,
 * so no codec concatenates character by character.
 *
 * @module
 */

/** Slice size for `String.fromCharCode.apply`: far below every engine's argument limit. */
const CHUNK = 0x2000;

/** ASCII output at least this long is turned into a string by `TextDecoder`. */
const NATIVE_ASCII_MIN = 64;

const asciiDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The character codes of an ASCII string. (A plain loop: spreading a string and mapping it,
 * at module load, cost Bun ~1 MiB of resident memory in every process that imports crossnet.)
 */
function codesOf(chars: string): Uint8Array {
  const codes = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) codes[i] = chars.charCodeAt(i);
  return codes;
}

/** Turns a run of values 0..0xFFFF into a string, one UTF-16 code unit each. */
function unitsToString(units: Uint8Array | Uint16Array): string {
  const n = units.length;
  if (n <= CHUNK) return String.fromCharCode.apply(null, units as unknown as number[]);
  let out = "";
  for (let i = 0; i < n; i += CHUNK) {
    out += String.fromCharCode.apply(null, units.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

/** Bytes known to be < 0x80 as a string. */
function asciiCodesToString(codes: Uint8Array): string {
  return codes.length >= NATIVE_ASCII_MIN ? asciiDecoder.decode(codes) : unitsToString(codes);
}

/** Index of the first byte >= 0x80, or `bytes.length`. */
function firstNonAscii(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n && bytes[i] < 0x80) i++;
  return i;
}

/** Each byte as the code point of the same value (`buf.toString("latin1")`). */
export function bytesToLatin1(bytes: Uint8Array): string {
  if (bytes.length >= NATIVE_ASCII_MIN && firstNonAscii(bytes) === bytes.length) {
    return asciiDecoder.decode(bytes);
  }
  return unitsToString(bytes);
}

/** Each byte with its high bit cleared (`buf.toString("ascii")`). */
export function bytesToAscii(bytes: Uint8Array): string {
  const n = bytes.length;
  const first = firstNonAscii(bytes);
  if (first === n) return n >= NATIVE_ASCII_MIN ? asciiDecoder.decode(bytes) : unitsToString(bytes);
  const masked = bytes.slice();
  for (let i = first; i < n; i++) masked[i] &= 0x7f;
  return asciiCodesToString(masked);
}

/** The low byte of every UTF-16 code unit (`Buffer.from(text, "latin1" | "ascii")`). */
export function latin1ToBytes(text: string): Uint8Array {
  const n = text.length;
  const out = new Uint8Array(n);
  // Storing into a Uint8Array keeps the low 8 bits, as Node does.
  for (let i = 0; i < n; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Little-endian code unit pairs; a trailing odd byte is ignored (`buf.toString("utf16le")`). */
export function bytesToUtf16le(bytes: Uint8Array): string {
  const count = bytes.length >>> 1;
  let units: Uint16Array;
  if (LITTLE_ENDIAN && (bytes.byteOffset & 1) === 0) {
    units = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  } else {
    units = new Uint16Array(count);
    for (let i = 0; i < count; i++) units[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  }
  return unitsToString(units);
}

/** Every UTF-16 code unit as two little-endian bytes, lone surrogates kept. */
export function utf16leToBytes(text: string): Uint8Array {
  const n = text.length;
  if (LITTLE_ENDIAN) {
    const units = new Uint16Array(n);
    for (let i = 0; i < n; i++) units[i] = text.charCodeAt(i);
    return new Uint8Array(units.buffer);
  }
  const out = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    const unit = text.charCodeAt(i);
    out[2 * i] = unit & 0xff;
    out[2 * i + 1] = unit >>> 8;
  }
  return out;
}

const HEX_DIGITS = codesOf("0123456789abcdef");

/** Value of each hex digit by character code, -1 for any other byte. */
const UNHEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  UNHEX["0123456789abcdef".charCodeAt(i)] = i;
  UNHEX["0123456789ABCDEF".charCodeAt(i)] = i;
}

/** Two lower-case hex digits per byte (`buf.toString("hex")`). */
export function bytesToHex(bytes: Uint8Array): string {
  const n = bytes.length;
  const codes = new Uint8Array(2 * n);
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const byte = bytes[i];
    codes[j] = HEX_DIGITS[byte >>> 4];
    codes[j + 1] = HEX_DIGITS[byte & 15];
  }
  return asciiCodesToString(codes);
}

/**
 * `Buffer.from(text, "hex")`: pairs of digits (either case) up to the first pair holding a
 * non-digit; an odd last digit is dropped. Like Node, which reads a string with characters
 * above U+00FF through 8-bit casts, only the low byte of each code unit is looked at.
 */
export function hexToBytes(text: string): Uint8Array {
  const max = text.length >>> 1;
  const out = new Uint8Array(max);
  let i = 0;
  for (; i < max; i++) {
    const hi = UNHEX[text.charCodeAt(2 * i) & 0xff];
    const lo = UNHEX[text.charCodeAt(2 * i + 1) & 0xff];
    if (hi < 0 || lo < 0) break;
    out[i] = (hi << 4) | lo;
  }
  return i === max ? out : out.subarray(0, i);
}

const BASE64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE64_CODES = codesOf(BASE64_CHARS);
const BASE64URL_CODES = codesOf(BASE64URL_CHARS);
const PAD = 0x3d; // "="

/** Value of each base64 digit by character code (both alphabets), -1 for any other byte. */
const UNBASE64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  UNBASE64[BASE64_CODES[i]] = i;
  UNBASE64[BASE64URL_CODES[i]] = i;
}

/**
 * `buf.toString("base64")` (padded, `+/`) or, with `url`, `buf.toString("base64url")`
 * (unpadded, `-_`).
 */
export function bytesToBase64(bytes: Uint8Array, url: boolean): string {
  const n = bytes.length;
  const digits = url ? BASE64URL_CODES : BASE64_CODES;
  const rest = n % 3;
  const full = n - rest;
  const size = (full / 3) * 4 + (rest === 0 ? 0 : url ? rest + 1 : 4);
  const codes = new Uint8Array(size);
  let j = 0;
  for (let i = 0; i < full; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    codes[j] = digits[v >>> 18];
    codes[j + 1] = digits[(v >>> 12) & 63];
    codes[j + 2] = digits[(v >>> 6) & 63];
    codes[j + 3] = digits[v & 63];
    j += 4;
  }
  if (rest === 1) {
    const v = bytes[full];
    codes[j] = digits[v >>> 2];
    codes[j + 1] = digits[(v & 3) << 4];
    if (!url) codes[j + 2] = codes[j + 3] = PAD;
  } else if (rest === 2) {
    const v = (bytes[full] << 8) | bytes[full + 1];
    codes[j] = digits[v >>> 10];
    codes[j + 1] = digits[(v >>> 4) & 63];
    codes[j + 2] = digits[(v << 2) & 63];
    if (!url) codes[j + 3] = PAD;
  }
  return asciiCodesToString(codes);
}

/**
 * `Buffer.from(text, "base64" | "base64url")`, as lenient as Node: digits of both alphabets
 * are accepted, any other character (whitespace, garbage) is skipped, decoding stops at the
 * first `=`, and a final group of 2 or 3 digits yields 1 or 2 bytes (a lone digit yields
 * none). Like Node, only the low byte of each code unit is looked at.
 */
export function base64ToBytes(text: string): Uint8Array {
  let end = text.length;
  // Node sizes the output from the length without up to two trailing "=": an upper bound.
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  if (end > 1 && text.charCodeAt(end - 1) === PAD) end--;
  const out = new Uint8Array((end * 3) >>> 2);
  const n = text.length;
  let k = 0;
  let acc = 0;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i) & 0xff;
    const value = UNBASE64[code];
    if (value < 0) {
      if (code === PAD) break;
      continue;
    }
    acc = (acc << 6) | value;
    if (++digits === 4) {
      out[k] = acc >>> 16;
      out[k + 1] = (acc >>> 8) & 0xff;
      out[k + 2] = acc & 0xff;
      k += 3;
      acc = 0;
      digits = 0;
    }
  }
  if (digits === 2) {
    out[k++] = acc >>> 4;
  } else if (digits === 3) {
    out[k] = acc >>> 10;
    out[k + 1] = (acc >>> 2) & 0xff;
    k += 2;
  }
  return k === out.length ? out : out.subarray(0, k);
}
