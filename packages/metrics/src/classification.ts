import { checkOptions, describeValue, ShapeError, ValueError } from '@sparsekit/core';
import { hostMatrix, type MatrixLike, nonEmptyVector, pairedVectors } from './input.js';

/** Options of the metrics over class labels. */
export interface ClassOptions {
  /**
   * Number of classes C; labels are integers in [0, C). Default: 1 + the largest label
   * seen in either argument. At most {@link MAX_CLASSES} (a confusion matrix: at most
   * {@link MAX_CONFUSION_CLASSES}); a larger C, given or inferred from a stray label,
   * is refused with a `ValueError` before anything is allocated.
   */
  nClasses?: number;
}

/**
 * The most classes {@link precisionRecallF1} accepts (its per-class arrays are O(C)): 2¹⁶.
 * A label of 1e9 would otherwise allocate arrays of a billion entries.
 */
export const MAX_CLASSES = 65_536;

/**
 * The most classes {@link confusionMatrix} accepts: 4096, i.e. a C×C matrix of at most
 * 2²⁴ cells. `confusionMatrix([0, 1, 100000], …)` would otherwise build 10¹⁰ cells and
 * run the process out of memory.
 */
export const MAX_CONFUSION_CLASSES = 4_096;

/** Options of {@link precisionRecallF1}. */
export interface PrecisionRecallOptions extends ClassOptions {
  /**
   * The value a ratio takes when it is 0/0: precision of a class never predicted, recall
   * of a class absent from `yTrue`. Default 0 — scikit-learn's default
   * (`zero_division="warn"`) also yields 0; where it would warn, the class is listed in
   * {@link ClassificationScores.illDefined} instead.
   */
  zeroDivision?: 0 | 1;
}

/** Precision, recall and F1 averaged over classes. */
export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Result of {@link precisionRecallF1}; arrays are indexed by class. */
export interface ClassificationScores {
  /** tp / (tp + fp) per class. */
  precision: number[];
  /** tp / (tp + fn) per class. */
  recall: number[];
  /** 2·p·r / (p + r) per class from the values above (0 where p + r = 0), as scikit-learn 1.2 does. */
  f1: number[];
  /** Number of true samples of each class. */
  support: number[];
  /** Unweighted mean over classes. */
  macro: AveragedScores;
  /** Mean over classes weighted by support. */
  weighted: AveragedScores;
  /** From the summed counts (equals accuracy for single-label data). */
  micro: AveragedScores;
  /** Classes whose precision / recall was 0/0 and took the `zeroDivision` value. */
  illDefined: { precision: number[]; recall: number[] };
}

/**
 * Fraction of positions where `yPred` equals `yTrue` (any finite values, usually integer
 * labels). Range [0, 1]. Matches scikit-learn's `accuracy_score`.
 * @throws ShapeError on empty or unequal-length inputs; ValueError on NaN/±Infinity.
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = pairedVectors('accuracy', ['yTrue', yTrue], ['yPred', yPred]);
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return hits / t.length;
}

/**
 * Top-k accuracy: the fraction of samples whose true class is among the `k` highest of
 * its row of `scores` ([n, C], one row per sample). Ties rank as in scikit-learn's
 * `top_k_accuracy_score` (a stable ascending sort, reversed): among equal scores the
 * higher class index ranks first. `k ≥ C` gives 1. Range [0, 1].
 * @throws ShapeError when `scores` is not [yTrue.length, C]; ValueError on labels outside
 * [0, C), a `k` that is not a positive integer, or NaN/±Infinity.
 */
export function topKAccuracy(yTrue: ArrayLike<number>, scores: MatrixLike, k: number): number {
  const op = 'topKAccuracy';
  const s = hostMatrix(op, 'scores', scores);
  const t = labelVector(op, 'yTrue', nonEmptyVector(op, 'yTrue', yTrue), s.cols);
  if (s.rows !== t.length)
    throw new ShapeError(op, `scores must have one row per label (${t.length}), got ${s.rows} rows`);
  if (!Number.isInteger(k) || k < 1) throw new ValueError(op, `k must be a positive integer, got ${describeValue(k)}`);
  let hits = 0;
  for (let i = 0; i < s.rows; i++) {
    const base = i * s.cols;
    const label = t[i];
    const own = s.data[base + label];
    let rank = 0;
    for (let j = 0; j < s.cols; j++) {
      const v = s.data[base + j];
      if (v > own || (v === own && j > label)) rank++;
    }
    if (rank < k) hits++;
  }
  return hits / s.rows;
}

/**
 * Confusion matrix C×C: entry [i][j] counts samples of true class i predicted as j (rows
 * true, columns predicted, as scikit-learn's `confusion_matrix`).
 * @throws ShapeError on empty or unequal-length inputs; ValueError on labels that are not
 * integers in [0, nClasses).
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: ClassOptions = {},
): number[][] {
  const { t, p, nClasses } = labelPair('confusionMatrix', yTrue, yPred, options, MAX_CONFUSION_CLASSES);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < t.length; i++) m[t[i]][p[i]]++;
  return m;
}

/**
 * Per-class precision, recall and F1 with support, and their macro, weighted and micro
 * averages — scikit-learn's `precision_recall_fscore_support` with `labels = 0…C−1`.
 * A 0/0 ratio takes `options.zeroDivision` (default 0, scikit-learn's default) and the
 * class is listed in `illDefined`.
 * @throws ShapeError on empty or unequal-length inputs; ValueError on labels that are not
 * integers in [0, nClasses) or a `zeroDivision` other than 0 or 1.
 */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: PrecisionRecallOptions = {},
): ClassificationScores {
  const op = 'precisionRecallF1';
  checkOptions(op, options, ['nClasses', 'zeroDivision']);
  const zero = options?.zeroDivision ?? 0;
  if (zero !== 0 && zero !== 1)
    throw new ValueError(op, `options.zeroDivision must be 0 or 1, got ${describeValue(zero)}`);
  const { t, p, nClasses } = labelPair(op, yTrue, yPred, options, MAX_CLASSES);
  const tp = new Array<number>(nClasses).fill(0);
  const predicted = new Array<number>(nClasses).fill(0);
  const support = new Array<number>(nClasses).fill(0);
  for (let i = 0; i < t.length; i++) {
    support[t[i]]++;
    predicted[p[i]]++;
    if (t[i] === p[i]) tp[t[i]]++;
  }
  const illDefined = { precision: [] as number[], recall: [] as number[] };
  const ratio = (num: number, den: number, c: number, list: number[]): number => {
    if (den !== 0) return num / den;
    list.push(c);
    return zero;
  };
  const precision = tp.map((v, c) => ratio(v, predicted[c], c, illDefined.precision));
  const recall = tp.map((v, c) => ratio(v, support[c], c, illDefined.recall));
  const f1 = precision.map((pc, c) => fScore(pc, recall[c]));
  const mean = (xs: number[], w?: number[]): number => {
    let s = 0;
    let ws = 0;
    xs.forEach((x, c) => {
      const wc = w ? w[c] : 1;
      s += x * wc;
      ws += wc;
    });
    return s / ws;
  };
  // Every sample has one true and one predicted class, so Σfp = Σfn and all three
  // micro averages equal the accuracy.
  const micro = tp.reduce((a, b) => a + b, 0) / t.length;
  return {
    precision,
    recall,
    f1,
    support,
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted: { precision: mean(precision, support), recall: mean(recall, support), f1: mean(f1, support) },
    micro: { precision: micro, recall: micro, f1: micro },
    illDefined,
  };
}

function fScore(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** Checks integer labels in [0, nClasses) (any non-negative integer when nClasses is undefined). */
function labelVector(op: string, arg: string, y: ArrayLike<number>, nClasses?: number): ArrayLike<number> {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || (nClasses !== undefined && v >= nClasses)) {
      const range = nClasses === undefined ? 'a non-negative integer' : `an integer in [0, ${nClasses})`;
      throw new ValueError(op, `${arg}[${i}] must be a class label, ${range}, got ${describeValue(v)}`);
    }
  }
  return y;
}

function labelPair(
  op: string,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: ClassOptions,
  maxClasses: number,
): { t: ArrayLike<number>; p: ArrayLike<number>; nClasses: number } {
  checkOptions(op, options, op === 'precisionRecallF1' ? ['nClasses', 'zeroDivision'] : ['nClasses']);
  const [t0, p0] = pairedVectors(op, ['yTrue', yTrue], ['yPred', yPred]);
  const given = options.nClasses;
  if (given !== undefined) {
    if (!Number.isInteger(given) || given < 1)
      throw new ValueError(op, `options.nClasses must be a positive integer, got ${describeValue(given)}`);
    if (given > maxClasses) throw new ValueError(op, `options.nClasses must be at most ${maxClasses}, got ${given}`);
  }
  const t = labelVector(op, 'yTrue', t0, given);
  const p = labelVector(op, 'yPred', p0, given);
  if (given !== undefined) return { t, p, nClasses: given };
  // Inferred from the largest label present; checked before anything of size C is made.
  let n = 0;
  let where = '';
  for (const [arg, y] of [
    ['yTrue', t],
    ['yPred', p],
  ] as const) {
    for (let i = 0; i < y.length; i++) {
      if (y[i] + 1 > n) {
        n = y[i] + 1;
        where = `${arg}[${i}]`;
      }
    }
  }
  if (n > maxClasses) {
    throw new ValueError(
      op,
      `the largest label, ${where} = ${n - 1}, implies ${n} classes, more than the ${maxClasses} this function handles; if it is a stray label fix it, else relabel the classes present as 0…k−1`,
    );
  }
  return { t, p, nClasses: n };
}
