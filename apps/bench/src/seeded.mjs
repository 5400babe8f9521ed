// Seeded benchmark inputs in [−1, 1), the same in Node and in the browser page (which cannot load
// harness.mjs, a Node module): xorshift32, dependency-free.
/** `n` float32 values from seed `seed`. */
export function seededArray(n, seed) {
  let s = seed >>> 0 || 1;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    a[i] = (s / 4294967296) * 2 - 1;
  }
  return a;
}
