/**
 * `isIP`, `isIPv4`, `isIPv6` with Node's exact grammar (IPv6 zone ids allowed, IPv4-mapped
 * forms accepted), plus the address helpers the core uses.
 *
 * @module
 */

const V4_SEG = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
const V4_STR = `(?:${V4_SEG}\\.){3}${V4_SEG}`;
const IPV4 = new RegExp(`^${V4_STR}$`);
const V6_SEG = "(?:[0-9a-fA-F]{1,4})";
const IPV6 = new RegExp(
  "^(?:" +
    `(?:${V6_SEG}:){7}(?:${V6_SEG}|:)|` +
    `(?:${V6_SEG}:){6}(?:${V4_STR}|:${V6_SEG}|:)|` +
    `(?:${V6_SEG}:){5}(?::${V4_STR}|(?::${V6_SEG}){1,2}|:)|` +
    `(?:${V6_SEG}:){4}(?:(?::${V6_SEG}){0,1}:${V4_STR}|(?::${V6_SEG}){1,3}|:)|` +
    `(?:${V6_SEG}:){3}(?:(?::${V6_SEG}){0,2}:${V4_STR}|(?::${V6_SEG}){1,4}|:)|` +
    `(?:${V6_SEG}:){2}(?:(?::${V6_SEG}){0,3}:${V4_STR}|(?::${V6_SEG}){1,5}|:)|` +
    `(?:${V6_SEG}:){1}(?:(?::${V6_SEG}){0,4}:${V4_STR}|(?::${V6_SEG}){1,6}|:)|` +
    `(?::(?:(?::${V6_SEG}){0,5}:${V4_STR}|(?::${V6_SEG}){1,7}|:))` +
    ")(?:%[0-9a-zA-Z-.:]{1,})?$",
);

/**
 * Whether `input` is an IPv4 address in dotted-decimal form.
 *
 * @param input Any value; non-strings are converted with `String()` as Node does.
 * @returns `true` for an IPv4 address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isIPv4("127.0.0.1"), true);
 * assert.equal(isIPv4("::1"), false);
 * ```
 */
export function isIPv4(input: unknown): boolean {
  // The test's own string conversion, as Node's: an object's toString() counts, a symbol throws.
  return IPV4.test(input as string);
}

/**
 * Whether `input` is an IPv6 address (a `%zone` suffix is allowed).
 *
 * @param input Any value; non-strings are converted with `String()` as Node does.
 * @returns `true` for an IPv6 address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isIPv6("::1"), true);
 * assert.equal(isIPv6("fe80::1%eth0"), true);
 * ```
 */
export function isIPv6(input: unknown): boolean {
  return IPV6.test(input as string);
}

/**
 * The IP version of `input`: 4, 6, or 0 when it is not an IP address.
 *
 * @param input Any value.
 * @returns 4, 6 or 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isIP("10.0.0.1"), 4);
 * assert.equal(isIP("localhost"), 0);
 * ```
 */
export function isIP(input: unknown): 0 | 4 | 6 {
  if (isIPv4(input)) return 4;
  if (isIPv6(input)) return 6;
  return 0;
}
