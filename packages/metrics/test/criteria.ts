// The six criteria of Hurley & Rickard, "Comparing Measures of Sparsity", IEEE Trans.
// Inf. Theory 55(10), 2009, as checks on one generated coefficient vector c ≥ 0. The
// paper states them for measures oriented so that larger means sparser (its Table I
// lists −ℓ1, −ℓp, … for that reason); `Oriented` adapts ours the same way.
import { Random } from '@sparsekit/tensor';

export type Criterion = 'robinHood' | 'scaling' | 'risingTide' | 'cloning' | 'billGates' | 'babies';

export const CRITERIA: readonly Criterion[] = ['robinHood', 'scaling', 'risingTide', 'cloning', 'billGates', 'babies'];

/** A sparsity measure oriented as in the paper: larger is sparser. */
export type Oriented = (c: Float64Array) => number;

/** Which criteria a measure satisfies. */
export type CriteriaTable = Record<Criterion, boolean>;

/** The table of a measure satisfying exactly `criteria`. */
export function satisfying(...criteria: Criterion[]): CriteriaTable {
  return Object.fromEntries(CRITERIA.map((c) => [c, criteria.includes(c)])) as CriteriaTable;
}

/** The table of a measure satisfying all criteria but `failed`. */
export function allBut(...failed: Criterion[]): CriteriaTable {
  return satisfying(...CRITERIA.filter((c) => !failed.includes(c)));
}

const REL = 1e-9;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= REL * Math.max(1, Math.abs(a), Math.abs(b));
}
function less(a: number, b: number): boolean {
  return a < b && !close(a, b);
}

/**
 * Seeded vectors: 5–40 entries of |normal| magnitude, never constant, at least two
 * non-zeros; a third have no
 * zeros, a third about 25 %, a third about 50 % (measures that only count zeros behave
 * differently with and without them).
 */
export function generatedVectors(seed: number, count = 60): Float64Array[] {
  const rng = new Random(seed);
  const out: Float64Array[] = [];
  while (out.length < count) {
    const n = rng.int(5, 41);
    const zeroFraction = [0, 0.25, 0.5][out.length % 3];
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = rng.uniform() < zeroFraction ? 0 : Math.abs(rng.normal()) + 0.01;
    // At least two non-zeros: a lone spike is already as sparse as a vector gets, so no
    // measure can grow under Bill Gates there.
    if (c.some((v) => v !== c[0]) && c.filter((v) => v !== 0).length >= 2) out.push(c);
  }
  return out;
}

/**
 * Whether `S` obeys `criterion` on `c` (one random instance of the criterion's move,
 * drawn from `rng`). Strict inequalities are strict beyond a 1e-9 relative margin;
 * invariances hold within it.
 */
export function obeys(S: Oriented, criterion: Criterion, c: Float64Array, rng: Random): boolean {
  const n = c.length;
  const before = S(c);
  switch (criterion) {
    case 'robinHood': {
      // D1: taking α from a richer cᵢ and giving it to a poorer cⱼ (order kept) makes it less sparse.
      let i = rng.int(0, n);
      let j = rng.int(0, n);
      while (c[i] === c[j]) {
        i = rng.int(0, n);
        j = rng.int(0, n);
      }
      if (c[i] < c[j]) [i, j] = [j, i];
      const alpha = (0.1 + 0.8 * rng.uniform()) * ((c[i] - c[j]) / 2);
      const d = c.slice();
      d[i] -= alpha;
      d[j] += alpha;
      return less(S(d), before);
    }
    case 'scaling': {
      // D2: S(αc) = S(c) for α > 0.
      const alpha = 10 ** (4 * rng.uniform() - 2);
      return close(S(c.map((v) => v * alpha)), before);
    }
    case 'risingTide': {
      // D3: adding α > 0 to every coefficient makes it less sparse (c not constant).
      const alpha = 0.05 + 2 * rng.uniform();
      return less(S(c.map((v) => v + alpha)), before);
    }
    case 'cloning': {
      // D4: S(c‖c) = S(c).
      const d = new Float64Array(2 * n);
      d.set(c);
      d.set(c, n);
      return close(S(d), before);
    }
    case 'billGates': {
      // P1: past some β, growing one coefficient further keeps making it sparser.
      const i = rng.int(0, n);
      const beta = 1000 * (c.reduce((a, b) => a + b, 0) + 1);
      const grown = (extra: number): Float64Array => {
        const d = c.slice();
        d[i] += beta + extra;
        return d;
      };
      const base = S(grown(0));
      return [0.5, 1, 4].every((k) => less(base, S(grown(k * beta))));
    }
    case 'babies': {
      // P2: appending a zero makes it sparser.
      const d = new Float64Array(n + 1);
      d.set(c);
      return less(before, S(d));
    }
  }
}

/**
 * The criteria `S` satisfies on 60 seeded vectors: `true` where it held on every one,
 * `false` where at least one vector is a counterexample. Tests compare this observed
 * table with the expected one, so both the ✓ and the ✗ entries are checked.
 */
export function observedCriteria(S: Oriented, seed: number): CriteriaTable {
  const vectors = generatedVectors(seed);
  const rng = new Random(seed + 1);
  const table = {} as CriteriaTable;
  for (const criterion of CRITERIA) table[criterion] = vectors.every((c) => obeys(S, criterion, c, rng));
  return table;
}
