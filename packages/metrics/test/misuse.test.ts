import { ShapeError, SparseKitError, setBackend, tensor, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.js';

// Misuse fails loudly: for every public function, wrong types, shapes, NaN/Inf, out-of-range
// values and unknown options each throw a SparseKitError subclass whose message names the
// function and the argument, and leave the inputs unchanged.

setBackend('cpu');

type Case = [what: string, call: () => unknown, message: RegExp, kind?: typeof ShapeError | typeof ValueError];

const w = [0, 0.5, -1, 0];
const f32 = Float32Array.from([0, 2, 0, 1]);
const yTrue = [0, 1, 2, 2];
const yPred = [0, 2, 2, 1];
const scores = { data: [0.9, 0.1, 0, 0.1, 0.2, 0.7, 0, 0.5, 0.5, 0.3, 0.3, 0.4], shape: [4, 3] };
const atoms = [
  [1, 0],
  [0, 1],
  [0, 0],
];
const model = { 'fc.weight': { data: [1, 0, 0, 2], shape: [2, 2] }, 'fc.bias': [0.5, 0] };
const inputs = () => JSON.stringify([w, Array.from(f32), yTrue, yPred, scores, atoms, model]);

const measures: Array<[string, (x: never) => unknown]> = [
  ['l0', (x) => M.l0(x)],
  ['sparsityRatio', (x) => M.sparsityRatio(x)],
  ['l1', (x) => M.l1(x)],
  ['l2', (x) => M.l2(x)],
  ['lInf', (x) => M.lInf(x)],
  ['pqMean', (x) => M.pqMean(x, 1, 2)],
  ['hoyer', (x) => M.hoyer(x)],
  ['gini', (x) => M.gini(x)],
];

const table: Case[] = [
  // Every sparsity measure: wrong type, NaN, ±Inf, a non-number entry.
  ...measures.flatMap(([name, f]): Case[] => [
    [
      `${name}: a number`,
      () => f(3 as never),
      new RegExp(`^${name}: x must be an array-like of numbers .*got number 3`),
    ],
    [
      `${name}: a string`,
      () => f('0101' as never),
      new RegExp(`^${name}: x must be an array-like of numbers .*got string "0101"`),
    ],
    [
      `${name}: NaN`,
      () => f([1, NaN, 0] as never),
      new RegExp(`^${name}: x\\[1\\] must be a finite number, got number NaN`),
    ],
    [
      `${name}: +Inf in a Float32Array`,
      () => f(Float32Array.from([0, 1, Infinity]) as never),
      new RegExp(`^${name}: x\\[2\\] must be a finite number, got number Infinity`),
    ],
    [
      `${name}: -Inf`,
      () => f([-Infinity] as never),
      new RegExp(`^${name}: x\\[0\\] must be a finite number, got number -Infinity`),
    ],
    [
      `${name}: a string entry`,
      () => f([1, '2'] as never),
      new RegExp(`^${name}: x\\[1\\] must be a finite number, got string "2"`),
    ],
    [
      `${name}: a NaN tensor`,
      () => f(tensor([1, NaN]) as never),
      new RegExp(`^${name}: x\\[1\\] must be a finite number, got number NaN`),
    ],
  ]),
  [
    'sparsityRatio: empty',
    () => M.sparsityRatio([]),
    /^sparsityRatio: x must have at least one element, got length 0/,
    ShapeError,
  ],
  ['hoyer: empty', () => M.hoyer([]), /^hoyer: x must have at least one element/, ShapeError],
  ['l0: negative tol', () => M.l0(w, { tol: -1 }), /^l0: options.tol must be a finite number >= 0, got number -1/],
  ['l0: NaN tol', () => M.l0(w, { tol: NaN }), /^l0: options.tol must be a finite number >= 0, got number NaN/],
  ['l0: unknown option', () => M.l0(w, { tolerance: 0.1 } as never), /^l0: unknown option 'tolerance'/],
  [
    'sparsityRatio: unknown option',
    () => M.sparsityRatio(w, { eps: 0.1 } as never),
    /^sparsityRatio: unknown option 'eps'/,
  ],
  ['pqMean: p 0', () => M.pqMean(w, 0, 2), /^pqMean: p must be a finite number > 0, got number 0/],
  ['pqMean: q below p', () => M.pqMean(w, 2, 1), /^pqMean: q must be a number greater than p \(2\), got number 1/],
  ['pqMean: NaN q', () => M.pqMean(w, 1, NaN), /^pqMean: q must be a number greater than p \(1\), got number NaN/],
  // Model reports
  ['sparsityReport: a number', () => M.sparsityReport(5 as never), /^sparsityReport: /],
  ['sparsityReport: empty', () => M.sparsityReport({}), /^sparsityReport: .*no parameters/],
  [
    'sparsityReport: NaN weight',
    () => M.sparsityReport({ w: [1, NaN] }),
    /^sparsityReport: w\[1\] must be a finite number, got number NaN/,
  ],
  [
    'sparsityReport: shape and data disagree',
    () => M.sparsityReport({ w: { data: [1, 2, 3], shape: [2, 2] } }),
    /^sparsityReport: .*w.*\[2, 2\]/,
    ShapeError,
  ],
  [
    'sparsityReport: unknown option',
    () => M.sparsityReport(model, { threshold: 0.1 } as never),
    /^sparsityReport: unknown option 'threshold'/,
  ],
  [
    'sparsityReport: negative tol',
    () => M.sparsityReport(model, { tol: -0.1 }),
    /^sparsityReport: options.tol must be a finite number >= 0, got number -0.1/,
  ],
  [
    'formatReport: not a report',
    () => M.formatReport({ layers: 1 } as never),
    /^formatReport: report must be the result of sparsityReport\(\)/,
  ],
  // Classification
  [
    'accuracy: lengths differ',
    () => M.accuracy([0, 1], [0]),
    /^accuracy: yTrue and yPred must have the same length, got 2 and 1/,
    ShapeError,
  ],
  ['accuracy: empty', () => M.accuracy([], []), /^accuracy: yTrue must have at least one element/, ShapeError],
  [
    'accuracy: NaN',
    () => M.accuracy([0, NaN], [0, 1]),
    /^accuracy: yTrue\[1\] must be a finite number, got number NaN/,
  ],
  [
    'accuracy: a tensor',
    () => M.accuracy(tensor([0, 1]) as never, [0, 1]),
    /^accuracy: yTrue must be an array-like of numbers/,
  ],
  [
    'topKAccuracy: k 0',
    () => M.topKAccuracy(yTrue, scores, 0),
    /^topKAccuracy: k must be a positive integer, got number 0/,
  ],
  [
    'topKAccuracy: fractional k',
    () => M.topKAccuracy(yTrue, scores, 1.5),
    /^topKAccuracy: k must be a positive integer, got number 1.5/,
  ],
  [
    'topKAccuracy: label out of range',
    () => M.topKAccuracy([0, 1, 2, 3], scores, 1),
    /^topKAccuracy: yTrue\[3\] must be a class label, an integer in \[0, 3\), got number 3/,
  ],
  [
    'topKAccuracy: row count',
    () => M.topKAccuracy([0, 1], scores, 1),
    /^topKAccuracy: scores must have one row per label \(2\), got 4 rows/,
    ShapeError,
  ],
  [
    'topKAccuracy: a tensor of scores',
    () => M.topKAccuracy(yTrue, tensor([[1]]) as never, 1),
    /^topKAccuracy: scores must be a host matrix; read a tensor first/,
  ],
  [
    'topKAccuracy: Inf score',
    () => M.topKAccuracy([0], [[Infinity, 0]], 1),
    /^topKAccuracy: scores\[0\]\[0\] must be a finite number, got number Infinity/,
  ],
  [
    'confusionMatrix: a stray label',
    () => M.confusionMatrix([0, 1, 100000], [0, 1, 1]),
    /^confusionMatrix: the largest label, yTrue\[2\] = 100000, implies 100001 classes/,
  ],
  [
    'confusionMatrix: fractional label',
    () => M.confusionMatrix([0, 1.5], [0, 1]),
    /^confusionMatrix: yTrue\[1\] must be a class label, a non-negative integer, got number 1.5/,
  ],
  [
    'confusionMatrix: negative label',
    () => M.confusionMatrix([0, 1], [-1, 1]),
    /^confusionMatrix: yPred\[0\] must be a class label, a non-negative integer, got number -1/,
  ],
  [
    'confusionMatrix: label over nClasses',
    () => M.confusionMatrix([0, 2], [0, 1], { nClasses: 2 }),
    /^confusionMatrix: yTrue\[1\] must be a class label, an integer in \[0, 2\), got number 2/,
  ],
  [
    'confusionMatrix: nClasses too large',
    () => M.confusionMatrix([0], [0], { nClasses: 1e6 }),
    /^confusionMatrix: options.nClasses must be at most 4096, got 1000000/,
  ],
  [
    'confusionMatrix: NaN nClasses',
    () => M.confusionMatrix([0], [0], { nClasses: NaN }),
    /^confusionMatrix: options.nClasses must be a positive integer, got number NaN/,
  ],
  [
    'confusionMatrix: unknown option',
    () => M.confusionMatrix([0], [0], { labels: [0, 1] } as never),
    /^confusionMatrix: unknown option 'labels'/,
  ],
  [
    'precisionRecallF1: label 1e9',
    () => M.precisionRecallF1([0, 1], [0, 1e9]),
    /^precisionRecallF1: the largest label, yPred\[1\] = 1000000000/,
  ],
  [
    'precisionRecallF1: zeroDivision 2',
    () => M.precisionRecallF1(yTrue, yPred, { zeroDivision: 2 as never }),
    /^precisionRecallF1: options.zeroDivision must be 0 or 1, got number 2/,
  ],
  [
    'precisionRecallF1: unknown option',
    () => M.precisionRecallF1(yTrue, yPred, { average: 'macro' } as never),
    /^precisionRecallF1: unknown option 'average'/,
  ],
  [
    'precisionRecallF1: Inf label',
    () => M.precisionRecallF1([0, Infinity], [0, 1]),
    /^precisionRecallF1: yTrue\[1\] must be a finite number, got number Infinity/,
  ],
  // Regression
  ['mse: lengths differ', () => M.mse([1, 2], [1]), /^mse: yTrue and yPred must have the same length/, ShapeError],
  ['mae: NaN', () => M.mae([1, 2], [1, NaN]), /^mae: yPred\[1\] must be a finite number, got number NaN/],
  ['r2: empty', () => M.r2([], []), /^r2: yTrue must have at least one element/, ShapeError],
  ['psnr: peak 0', () => M.psnr([1], [1], 0), /^psnr: peak must be a finite number > 0/],
  [
    'psnr: Infinite peak',
    () => M.psnr([1], [1], Infinity),
    /^psnr: peak must be a finite number > 0 .*got number Infinity/,
  ],
  [
    'psnr: Inf estimate',
    () => M.psnr([1], [Infinity], 1),
    /^psnr: estimate\[0\] must be a finite number, got number Infinity/,
  ],
  // Dictionaries
  ['atomRecovery: row counts differ', () => M.atomRecovery(atoms, [[1, 0]]), /^atomRecovery: .*rows/, ShapeError],
  [
    'atomRecovery: threshold 0',
    () => M.atomRecovery(atoms, atoms, { threshold: 0 }),
    /^atomRecovery: options.threshold must be a number in \(0, 1\], got number 0/,
  ],
  [
    'atomRecovery: unknown option',
    () => M.atomRecovery(atoms, atoms, { tol: 0.1 } as never),
    /^atomRecovery: unknown option 'tol'/,
  ],
  [
    'atomRecovery: NaN atom',
    () => M.atomRecovery([[NaN, 0]], [[1, 0]]),
    /^atomRecovery: trueAtoms\[0\]\[0\] must be a finite number, got number NaN/,
  ],
  [
    'atomRecovery: a zero true atom',
    () =>
      M.atomRecovery(
        [
          [0, 1],
          [0, 0],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    /^atomRecovery: .*zero/,
  ],
];

describe('misuse of @sparsekit/metrics', () => {
  it.each(table)('%s', async (_what, call, message, kind = ValueError) => {
    const before = inputs();
    let error: unknown;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    expect(error, 'it must throw').toBeInstanceOf(SparseKitError);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(message);
    expect(inputs()).toBe(before);
  });
});
