import { checkOptions, describeValue, ShapeError, ValueError } from '@sparsekit/core';
import { type HostMatrix, hostMatrix, type MatrixLike } from './input.js';

/** Options of {@link atomRecovery}. */
export interface AtomRecoveryOptions {
  /**
   * A true atom d counts as recovered when some learned atom d̂ has 1 − |⟨d̂, d⟩| below
   * this (both unit-normalised). Default 0.01, the criterion of Aharon, Elad & Bruckstein,
   * "K-SVD", IEEE Trans. Signal Process. 54(11), 2006, in its synthetic experiments.
   */
  threshold?: number;
}

/** Result of {@link atomRecovery}. */
export interface AtomRecovery {
  /** Fraction of true atoms recovered, in [0, 1]. */
  rate: number;
  /** Number of true atoms recovered. */
  recovered: number;
  /** Number of true atoms. */
  atoms: number;
  /** For each true atom, the index of the closest learned atom (−1 if none can match). */
  bestMatch: number[];
  /** For each true atom, 1 − |⟨d̂, d⟩| to that closest learned atom, in [0, 1]. */
  distance: number[];
}

/**
 * Dictionary atom recovery: the fraction of true atoms (columns of `trueAtoms`, [m, K])
 * matched by a learned atom (columns of `learnedAtoms`, [m, K′]) with
 * 1 − |⟨d̂, d⟩| < threshold after scaling every column to unit ℓ2 norm. The sign is
 * ignored (d and −d are the same atom) and matching is not one-to-one, as in the K-SVD
 * paper. A zero learned column matches nothing (distance 1). O(m·K·K′).
 * @throws ShapeError when the row counts (signal dimension m) differ or a dictionary has
 * no columns; ValueError on a zero true atom, NaN/±Infinity, or a threshold outside (0, 1].
 */
export function atomRecovery(
  trueAtoms: MatrixLike,
  learnedAtoms: MatrixLike,
  options: AtomRecoveryOptions = {},
): AtomRecovery {
  const op = 'atomRecovery';
  checkOptions(op, options, ['threshold']);
  const threshold = options.threshold ?? 0.01;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
    throw new ValueError(op, `options.threshold must be a number in (0, 1], got ${describeValue(threshold)}`);
  }
  const d = hostMatrix(op, 'trueAtoms', trueAtoms);
  const e = hostMatrix(op, 'learnedAtoms', learnedAtoms);
  if (d.rows !== e.rows) {
    throw new ShapeError(
      op,
      `trueAtoms and learnedAtoms must have the same number of rows (signal dimension), got ${d.rows} and ${e.rows}`,
    );
  }
  if (d.cols === 0 || e.cols === 0) {
    throw new ShapeError(op, `both dictionaries need at least one atom (column), got ${d.cols} and ${e.cols}`);
  }
  const trueUnit = unitColumns(d, (c) => {
    throw new ValueError(op, `trueAtoms column ${c} is all zero; a true atom must have a direction`);
  });
  const learnedUnit = unitColumns(e, () => undefined);
  const m = d.rows;
  const bestMatch: number[] = [];
  const distance: number[] = [];
  let recovered = 0;
  for (let i = 0; i < d.cols; i++) {
    let best = -1;
    let bestDist = 1;
    for (let j = 0; j < e.cols; j++) {
      let dot = 0;
      for (let r = 0; r < m; r++) dot += trueUnit[i * m + r] * learnedUnit[j * m + r];
      const dist = Math.max(0, 1 - Math.abs(dot));
      if (dist < bestDist) {
        bestDist = dist;
        best = j;
      }
    }
    bestMatch.push(best);
    distance.push(bestDist);
    if (bestDist < threshold) recovered++;
  }
  return { rate: recovered / d.cols, recovered, atoms: d.cols, bestMatch, distance };
}

/** Columns scaled to unit norm, stored column-major (zero columns stay zero after `onZero`). */
function unitColumns(a: HostMatrix, onZero: (column: number) => void): Float64Array {
  const out = new Float64Array(a.rows * a.cols);
  for (let c = 0; c < a.cols; c++) {
    let max = 0;
    for (let r = 0; r < a.rows; r++) max = Math.max(max, Math.abs(a.data[r * a.cols + c]));
    if (max === 0) {
      onZero(c);
      continue;
    }
    // Divide by the largest entry first so the squares neither overflow nor underflow.
    let ss = 0;
    for (let r = 0; r < a.rows; r++) ss += (a.data[r * a.cols + c] / max) ** 2;
    const norm = Math.sqrt(ss) * max;
    for (let r = 0; r < a.rows; r++) out[c * a.rows + r] = a.data[r * a.cols + c] / norm;
  }
  return out;
}
