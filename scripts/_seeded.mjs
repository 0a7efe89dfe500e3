// What the seeded differentials (lifecycle-fuzz.mjs, unconnected-diff.mjs, server-diff.mjs)
// share: the program of a seed, and the comparison of node:net's log with crossnet's. Not a
// script of its own.

/** mulberry32: the same numbers for a seed on every run and runtime. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Run seeds `from`..`from + count - 1` (from argv[2] and argv[3], else the defaults): each
 * seed's program is 1 to `maxOps` operation names from `names`, run by `run(net, ops)` on
 * `reference` and on `candidate`; the first line where their logs part is printed. Sets the
 * exit code to 1 when a program differs.
 */
export async function compareSeeds({ names, maxOps, run, reference, candidate, defaultCount }) {
  const from = Number(process.argv[2] ?? 1);
  const count = Number(process.argv[3] ?? defaultCount);
  let diffs = 0;
  for (let seed = from; seed < from + count; seed++) {
    const rand = prng(seed);
    const ops = Array.from({ length: 1 + Math.floor(rand() * maxOps) }, () => names[Math.floor(rand() * names.length)]);
    const a = await run(reference, ops);
    const b = await run(candidate, ops);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] === b[i]) continue;
      diffs++;
      console.log(`seed ${seed} ${JSON.stringify(ops)}\n  ${i}: node:net ${a[i]}\n  ${i}: crossnet ${b[i]}`);
      break;
    }
  }
  console.log("programs differing:", diffs, "of", count);
  process.exitCode = diffs > 0 ? 1 : 0;
}
