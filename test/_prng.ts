/**
 * Seeded pseudo-random numbers for the unit tests: every run sees the same inputs, and a
 * failure names an input that reproduces.
 *
 * @module
 */

/** A source of numbers in [0, 1). */
export type Rand = () => number;

/**
 * mulberry32: a small seeded PRNG.
 *
 * @example
 * ```ts
 * const rand = prng(1);
 * rand(); // the same number on every run
 * ```
 */
export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export const int = (rand: Rand, n: number): number => Math.floor(rand() * n);
