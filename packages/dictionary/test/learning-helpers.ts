// Shared by the dictionary-learning tests: atom recovery as the K-SVD paper counts it, taken
// from @sparsekit/metrics (the one implementation in the repository), and a brute-force
// symmetric eigen-solver to check the rank-1 step against.
import { atomRecovery } from '@sparsekit/metrics';

/** Fraction of the true atoms (rows) matched by a learned atom (rows) with 1 − |⟨d̂, d⟩| < 0.01. */
export function recoveryRate(
  trueAtoms: { data: ArrayLike<number>; shape: readonly number[] },
  learned: { data: ArrayLike<number>; shape: readonly number[] },
): number {
  // metrics takes atoms as columns.
  const cols = (m: { data: ArrayLike<number>; shape: readonly number[] }) => {
    const [r, c] = m.shape as [number, number];
    const out = new Float64Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = m.data[i * c + j]!;
    return { data: out, shape: [c, r] };
  };
  return atomRecovery(cols(trueAtoms), cols(learned)).rate;
}

/** Eigenvalues of a symmetric matrix (s×s row-major) by cyclic Jacobi rotations, descending. */
export function symmetricEigenvalues(M: Float64Array, s: number): number[] {
  const a = Float64Array.from(M);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < s; p++) for (let q = p + 1; q < s; q++) off += a[p * s + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < s; p++) {
      for (let q = p + 1; q < s; q++) {
        const apq = a[p * s + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * s + q]! - a[p * s + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < s; k++) {
          const akp = a[k * s + p]!;
          const akq = a[k * s + q]!;
          a[k * s + p] = c * akp - sn * akq;
          a[k * s + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < s; k++) {
          const apk = a[p * s + k]!;
          const aqk = a[q * s + k]!;
          a[p * s + k] = c * apk - sn * aqk;
          a[q * s + k] = sn * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: s }, (_, i) => a[i * s + i]!).sort((x, y) => y - x);
}

/** The paper's synthetic problem (§V-A): 20×50 unit-norm atoms, 1,500 signals of 3 atoms, 20 dB SNR. */
export const PAPER = { nSamples: 1500, nComponents: 50, nFeatures: 20, nNonzeroCoefs: 3, snr: 20 } as const;
