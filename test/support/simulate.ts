/** mulberry32: a small seeded PRNG, so simulated data is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The level a uniform draw `r` falls in, for level probabilities `probs`. */
export function draw(probs: readonly number[], r: number): number {
  let acc = 0;
  for (let l = 0; l < probs.length; l++) {
    acc += probs[l]!;
    if (r < acc) return l;
  }
  return probs.length - 1;
}
