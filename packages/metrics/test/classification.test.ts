import { ShapeError, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionMatrix,
  MAX_CLASSES,
  MAX_CONFUSION_CLASSES,
  precisionRecallF1,
  topKAccuracy,
} from '../src/index.js';
import fixtures from './fixtures/sklearn.json';

describe('accuracy', () => {
  it('is the fraction of exact matches', () => {
    expect(accuracy([0, 1, 2, 2], [0, 2, 2, 2])).toBe(0.75);
    expect(accuracy(new Int32Array([1, 1]), new Float32Array([1, 1]))).toBe(1);
  });

  it('rejects empty and unequal inputs and NaN', () => {
    expect(() => accuracy([], [])).toThrow(
      new ShapeError('accuracy', 'yTrue must have at least one element, got length 0'),
    );
    expect(() => accuracy([1, 2], [1])).toThrow(
      new ShapeError('accuracy', 'yTrue and yPred must have the same length, got 2 and 1'),
    );
    expect(() => accuracy([1, NaN], [1, 1])).toThrow('accuracy: yTrue[1] must be a finite number, got number NaN');
  });
});

describe('topKAccuracy', () => {
  // Row 0: class 2 is second (0.5 > 0.4). Row 1: class 0 ties class 1 at 0.3, and the
  // higher index ranks first, so class 0 is third.
  const scores = [
    [0.1, 0.5, 0.4],
    [0.3, 0.3, 0.4],
  ];

  it('counts a hit when the true class is among the k best, ties broken as scikit-learn', () => {
    expect(topKAccuracy([2, 0], scores, 1)).toBe(0);
    expect(topKAccuracy([2, 0], scores, 2)).toBe(0.5);
    expect(topKAccuracy([2, 0], scores, 3)).toBe(1);
    expect(topKAccuracy([2, 0], { data: scores.flat(), shape: [2, 3] }, 2)).toBe(0.5);
    expect(topKAccuracy([2, 0], scores, 10)).toBe(1);
  });

  it('matches scikit-learn top_k_accuracy_score, ties included', () => {
    for (const f of fixtures.topK) {
      for (const c of f.cases) expect(topKAccuracy(f.yTrue, f.scores, c.k)).toBeCloseTo(c.accuracy, 15);
    }
  });

  it('rejects mismatched rows, labels outside [0, C) and a bad k', () => {
    expect(() => topKAccuracy([0, 1, 2], scores, 1)).toThrow(
      new ShapeError('topKAccuracy', 'scores must have one row per label (3), got 2 rows'),
    );
    expect(() => topKAccuracy([3, 0], scores, 1)).toThrow(
      new ValueError('topKAccuracy', 'yTrue[0] must be a class label, an integer in [0, 3), got number 3'),
    );
    expect(() => topKAccuracy([2, 0], scores, 0)).toThrow(
      new ValueError('topKAccuracy', 'k must be a positive integer, got number 0'),
    );
    expect(() =>
      topKAccuracy(
        [2, 0],
        [
          [1, 2, 3],
          [1, 2],
        ],
        1,
      ),
    ).toThrow(ShapeError);
    expect(() => topKAccuracy([2, 0], { data: [1, 2, 3], shape: [2, 3] }, 1)).toThrow(
      new ShapeError('topKAccuracy', 'scores.data has 3 values but scores.shape [2, 3] needs 6'),
    );
  });
});

describe('confusionMatrix', () => {
  it('counts true classes in rows and predictions in columns', () => {
    expect(confusionMatrix([0, 1, 2, 2], [0, 2, 2, 2])).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 2],
    ]);
    expect(confusionMatrix([0], [0], { nClasses: 2 })).toEqual([
      [1, 0],
      [0, 0],
    ]);
  });

  it('matches scikit-learn confusion_matrix', () => {
    for (const c of fixtures.classification) {
      expect(confusionMatrix(c.yTrue, c.yPred, { nClasses: c.nClasses })).toEqual(c.confusionMatrix);
      expect(accuracy(c.yTrue, c.yPred)).toBe(c.accuracy);
    }
  });

  it('rejects labels that are not integers in [0, nClasses)', () => {
    expect(() => confusionMatrix([0, 1.5], [0, 1])).toThrow(
      new ValueError('confusionMatrix', 'yTrue[1] must be a class label, a non-negative integer, got number 1.5'),
    );
    expect(() => confusionMatrix([0, 1], [0, 2], { nClasses: 2 })).toThrow(
      'yPred[1] must be a class label, an integer in [0, 2), got number 2',
    );
    expect(() => confusionMatrix([0], [0], { nClasses: 0 })).toThrow(
      'options.nClasses must be a positive integer, got number 0',
    );
  });
});

describe('precisionRecallF1', () => {
  it('computes per-class scores and averages by hand', () => {
    // true 0 1 2 2, predicted 0 2 2 2: class 0 p=r=1; class 1 never predicted (p = 0/0), r = 0;
    // class 2 p = 2/3, r = 1, F1 = 0.8.
    const s = precisionRecallF1([0, 1, 2, 2], [0, 2, 2, 2]);
    expect(s.precision).toEqual([1, 0, 2 / 3]);
    expect(s.recall).toEqual([1, 0, 1]);
    expect(s.f1[2]).toBeCloseTo(0.8, 15);
    expect(s.f1.slice(0, 2)).toEqual([1, 0]);
    expect(s.support).toEqual([1, 1, 2]);
    expect(s.macro.precision).toBeCloseTo(5 / 9, 15);
    expect(s.weighted.recall).toBeCloseTo(0.75, 15);
    expect(s.micro).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75 });
    expect(s.illDefined).toEqual({ precision: [1], recall: [] });
  });

  it('uses zeroDivision for 0/0 ratios: 0 by default, 1 on request', () => {
    const s = precisionRecallF1([0, 0], [0, 0], { nClasses: 2, zeroDivision: 1 });
    expect(s.precision).toEqual([1, 1]);
    expect(s.recall).toEqual([1, 1]);
    expect(s.f1).toEqual([1, 1]);
    expect(s.illDefined).toEqual({ precision: [1], recall: [1] });
    expect(precisionRecallF1([0, 0], [0, 0], { nClasses: 2 }).f1).toEqual([1, 0]);
  });

  it('matches scikit-learn precision_recall_fscore_support with zero_division "warn"/0 and 1', () => {
    for (const c of fixtures.classification) {
      for (const [zero, expected] of [
        [0, c.zeroDivision0],
        [1, c.zeroDivision1],
      ] as const) {
        const s = precisionRecallF1(c.yTrue, c.yPred, { nClasses: c.nClasses, zeroDivision: zero });
        for (const key of ['precision', 'recall', 'f1'] as const) {
          s[key].forEach((v, i) => expect(v, `${c.name}: ${key}[${i}]`).toBeCloseTo(expected[key][i], 14));
          for (const avg of ['macro', 'weighted', 'micro'] as const) {
            expect(s[avg][key], `${c.name}: ${avg} ${key}`).toBeCloseTo(expected[avg][key], 14);
          }
        }
        expect(s.support).toEqual(expected.support);
      }
    }
  });

  it('rejects a zeroDivision other than 0 or 1', () => {
    expect(() => precisionRecallF1([0], [0], { zeroDivision: 'warn' as never })).toThrow(
      new ValueError('precisionRecallF1', 'options.zeroDivision must be 0 or 1, got string "warn"'),
    );
  });
});

// Issue 8, item 7: one stray label used to allocate C×C (or C) cells and kill the process.
describe('class counts are bounded before anything is allocated', () => {
  it('confusionMatrix([0, 1, 100000], [0, 1, 1]) throws at once, naming the stray label', () => {
    expect(() => confusionMatrix([0, 1, 100000], [0, 1, 1])).toThrow(
      new ValueError(
        'confusionMatrix',
        'the largest label, yTrue[2] = 100000, implies 100001 classes, more than the 4096 this function handles; if it is a stray label fix it, else relabel the classes present as 0…k−1',
      ),
    );
  });

  it('precisionRecallF1 with a label of 1e9 throws at once, naming it', () => {
    expect(() => precisionRecallF1([0, 1], [0, 1e9])).toThrow(
      /precisionRecallF1: the largest label, yPred\[1\] = 1000000000, implies 1000000001 classes, more than the 65536/,
    );
  });

  it('refuses an nClasses over the limit, and accepts one at it', () => {
    expect(() => confusionMatrix([0], [0], { nClasses: MAX_CONFUSION_CLASSES + 1 })).toThrow(
      'confusionMatrix: options.nClasses must be at most 4096, got 4097',
    );
    expect(() => precisionRecallF1([0], [0], { nClasses: MAX_CLASSES + 1 })).toThrow(
      'precisionRecallF1: options.nClasses must be at most 65536, got 65537',
    );
    expect(confusionMatrix([0], [4095])[0][4095]).toBe(1);
    expect(precisionRecallF1([0], [0], { nClasses: MAX_CLASSES }).support).toHaveLength(MAX_CLASSES);
  });

  it('rejects unknown option keys', () => {
    expect(() => confusionMatrix([0], [0], { numClasses: 2 } as never)).toThrow(
      /confusionMatrix: unknown option 'numClasses' in options \(did you mean 'nClasses'\?\)/,
    );
    expect(() => precisionRecallF1([0], [0], { zero_division: 1 } as never)).toThrow(
      /precisionRecallF1: unknown option 'zero_division'/,
    );
  });
});
