import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';
import { input } from './helpers.js';

// Every differentiable op against central finite differences. Inputs are random (seeded),
// kept 2·eps away from kinks where an op has one. Unless a case says otherwise:
// eps = 1e-2, tol = 1e-3 on error = |a − n| / max(|a|, |n|, 1e-2), see gradCheck's TSDoc;
// the cases whose float32 forward pass sums more terms per output state their own tol.
type Case = {
  name: string;
  inputs: () => T.Tensor[];
  f: (...xs: A.Variable[]) => A.Variable;
  eps?: number;
  tol?: number;
};

const away = { gap: 0.05 };
const positive = { low: 0.5, high: 2 };

const cases: Case[] = [
  {
    name: 'add with broadcasting [3,4] + [4]',
    inputs: () => [input([3, 4], 1), input([4], 2)],
    f: (a, b) => A.add(a, b),
  },
  {
    name: 'add with broadcasting [3,1] + [1,4]',
    inputs: () => [input([3, 1], 1), input([1, 4], 2)],
    f: (a, b) => A.add(a, b),
  },
  { name: 'add a number', inputs: () => [input([5], 1)], f: (a) => A.add(a, 3) },
  {
    name: 'sub with broadcasting [2,3,4] − [3,1]',
    inputs: () => [input([2, 3, 4], 3), input([3, 1], 4)],
    f: (a, b) => A.sub(a, b),
  },
  { name: 'sub from a number', inputs: () => [input([5], 1)], f: (a) => A.sub(2, a) },
  {
    name: 'mul with broadcasting [3,4] · [3,1]',
    inputs: () => [input([3, 4], 5), input([3, 1], 6)],
    f: (a, b) => A.mul(a, b),
  },
  { name: 'mul of a variable with itself', inputs: () => [input([6], 5)], f: (a) => A.mul(a, a) },
  {
    name: 'div with broadcasting',
    inputs: () => [input([3, 4], 7), input([4], 8, positive)],
    f: (a, b) => A.div(a, b),
  },
  { name: 'div a number by a tensor', inputs: () => [input([5], 8, positive)], f: (b) => A.div(1, b) },
  {
    name: 'pow with tensor base and exponent',
    inputs: () => [input([3, 4], 9, positive), input([3, 4], 10, { low: -2, high: 2 })],
    f: (a, b) => A.pow(a, b),
  },
  { name: 'pow with a number exponent', inputs: () => [input([6], 9, positive)], f: (a) => A.pow(a, 3) },
  { name: 'pow with a number base', inputs: () => [input([6], 9)], f: (b) => A.pow(2, b) },
  { name: 'maximum', inputs: () => [input([4, 3], 11), input([4, 3], 12)], f: (a, b) => A.maximum(a, b) },
  {
    name: 'minimum with broadcasting',
    inputs: () => [input([4, 3], 11), input([3], 13)],
    f: (a, b) => A.minimum(a, b),
  },
  { name: 'neg', inputs: () => [input([7], 14)], f: (a) => A.neg(a) },
  { name: 'abs', inputs: () => [input([7], 15, away)], f: (a) => A.abs(a) },
  { name: 'sign (zero gradient)', inputs: () => [input([7], 16, away)], f: (a) => A.sign(a) },
  { name: 'sqrt', inputs: () => [input([7], 17, positive)], f: (a) => A.sqrt(a) },
  { name: 'square', inputs: () => [input([7], 18)], f: (a) => A.square(a) },
  { name: 'exp', inputs: () => [input([7], 19)], f: (a) => A.exp(a) },
  { name: 'log', inputs: () => [input([7], 20, positive)], f: (a) => A.log(a) },
  { name: 'log1p', inputs: () => [input([7], 21, { low: -0.5, high: 2 })], f: (a) => A.log1p(a) },
  { name: 'relu', inputs: () => [input([3, 5], 22, away)], f: (a) => A.relu(a) },
  { name: 'leakyRelu', inputs: () => [input([3, 5], 23, away)], f: (a) => A.leakyRelu(a, 0.1) },
  { name: 'sigmoid', inputs: () => [input([3, 5], 24, { low: -4, high: 4 })], f: (a) => A.sigmoid(a) },
  { name: 'tanh', inputs: () => [input([3, 5], 25)], f: (a) => A.tanh(a) },
  { name: 'softplus', inputs: () => [input([3, 5], 26, { low: -4, high: 4 })], f: (a) => A.softplus(a) },
  {
    name: 'clip',
    inputs: () => [input([12], 27, { low: -2, high: 2 }).materializeSync()],
    f: (a) => A.clip(A.add(a, 0.013), -1, 1),
  },
  {
    name: 'where',
    inputs: () => [input([3, 4], 28), input([4], 29)],
    f: (a, b) => A.where(T.greater(input([3, 4], 30), 0), a, b),
  },
  {
    name: 'softThreshold with a number',
    inputs: () => [input([10], 31, { low: -2, high: 2, gap: 0.6 })],
    f: (a) => A.softThreshold(a, 0.5),
  },
  {
    name: 'softThreshold with a tensor threshold',
    inputs: () => [input([2, 5], 31, { gap: 0.8 }), input([5], 32, { low: 0.2, high: 0.6 })],
    f: (a, t) => A.softThreshold(a, t),
  },
  { name: 'hardThreshold', inputs: () => [input([10], 33, { gap: 0.6 })], f: (a) => A.hardThreshold(a, 0.5) },
  { name: 'matmul', inputs: () => [input([3, 4], 34), input([4, 5], 35)], f: (a, b) => A.matmul(a, b) },
  {
    name: 'matmul aᵀ·b',
    inputs: () => [input([4, 3], 36), input([4, 5], 37)],
    f: (a, b) => A.matmul(a, b, { transposeA: true }),
  },
  {
    name: 'matmul a·bᵀ',
    inputs: () => [input([3, 4], 38), input([5, 4], 39)],
    f: (a, b) => A.matmul(a, b, { transposeB: true }),
  },
  {
    name: 'matmul aᵀ·bᵀ',
    inputs: () => [input([4, 3], 40), input([5, 4], 41)],
    f: (a, b) => A.matmul(a, b, { transposeA: true, transposeB: true }),
  },
  {
    name: 'matmul batched 3-D',
    inputs: () => [input([2, 3, 4], 42), input([2, 4, 2], 43)],
    f: (a, b) => A.matmul(a, b),
  },
  {
    name: 'matmul batched with a shared 2-D operand',
    inputs: () => [input([2, 3, 4], 44), input([4, 2], 45)],
    f: (a, b) => A.matmul(a, b),
  },
  {
    name: 'matmul shared 2-D a with batched bᵀ',
    inputs: () => [input([3, 4], 46), input([2, 5, 4], 47)],
    f: (a, b) => A.matmul(a, b, { transposeB: true }),
    tol: 5e-3,
  },
  { name: 'sum over all', inputs: () => [input([3, 4], 48)], f: (a) => A.sum(a) },
  { name: 'sum over axis 0', inputs: () => [input([3, 4], 49)], f: (a) => A.sum(a, { axis: 0 }) },
  {
    name: 'sum over axis -1 keepDims',
    inputs: () => [input([2, 3, 4], 50)],
    f: (a) => A.sum(a, { axis: -1, keepDims: true }),
  },
  { name: 'mean over all', inputs: () => [input([3, 4], 51)], f: (a) => A.mean(a) },
  { name: 'mean over axis 1', inputs: () => [input([2, 3, 4], 52)], f: (a) => A.mean(a, { axis: 1 }) },
  { name: 'max over all', inputs: () => [input([3, 4], 53, { distinct: true })], f: (a) => A.max(a) },
  { name: 'max over axis 1', inputs: () => [input([3, 4], 54, { distinct: true })], f: (a) => A.max(a, { axis: 1 }) },
  { name: 'min over axis 0', inputs: () => [input([3, 4], 55, { distinct: true })], f: (a) => A.min(a, { axis: 0 }) },
  { name: 'normL1', inputs: () => [input([3, 4], 56, away)], f: (a) => A.normL1(a) },
  { name: 'normL1 over axis 1', inputs: () => [input([3, 4], 57, away)], f: (a) => A.normL1(a, { axis: 1 }) },
  { name: 'normL2', inputs: () => [input([3, 4], 58)], f: (a) => A.normL2(a) },
  { name: 'normL2 over axis 0', inputs: () => [input([3, 4], 59)], f: (a) => A.normL2(a, { axis: 0 }) },
  {
    name: 'normLInf',
    inputs: () => [input([3, 4], 60, { distinct: true, low: 0.1, high: 2 })],
    f: (a) => A.normLInf(A.neg(a)),
  },
  {
    name: 'normLInf over axis 1',
    inputs: () => [input([3, 4], 61, { distinct: true, low: -2, high: 1 })],
    f: (a) => A.normLInf(a, { axis: 1 }),
  },
  { name: 'logSumExp', inputs: () => [input([3, 4], 62, { low: -3, high: 3 })], f: (a) => A.logSumExp(a) },
  {
    name: 'logSumExp over axis 0 keepDims',
    inputs: () => [input([3, 4], 63)],
    f: (a) => A.logSumExp(a, { axis: 0, keepDims: true }),
  },
  { name: 'softmax', inputs: () => [input([3, 5], 64)], f: (a) => A.softmax(a) },
  { name: 'softmax over axis 0', inputs: () => [input([3, 5], 65)], f: (a) => A.softmax(a, 0) },
  { name: 'logSoftmax', inputs: () => [input([3, 5], 66)], f: (a) => A.logSoftmax(a) },
  { name: 'reshape', inputs: () => [input([3, 4], 67)], f: (a) => A.mul(A.reshape(a, [2, -1]), input([2, 6], 68)) },
  { name: 'transpose 2-D', inputs: () => [input([3, 4], 69)], f: (a) => A.mul(A.transpose(a), input([4, 3], 70)) },
  { name: 'transpose 3-D with perm', inputs: () => [input([2, 3, 4], 71)], f: (a) => A.transpose(a, [1, 2, 0]) },
  { name: 'sliceRows', inputs: () => [input([5, 3], 72)], f: (a) => A.sliceRows(a, 1, 4) },
  { name: 'gather rows with repeats', inputs: () => [input([4, 3], 73)], f: (a) => A.gather(a, [2, 0, 2, 3]) },
  { name: 'gather along axis 1', inputs: () => [input([2, 4, 3], 74)], f: (a) => A.gather(a, [3, 1], 1) },
  { name: 'concat axis 0', inputs: () => [input([2, 3], 75), input([1, 3], 76)], f: (a, b) => A.concat([a, b], 0) },
  { name: 'concat axis 1', inputs: () => [input([2, 3], 77), input([2, 2], 78)], f: (a, b) => A.concat([a, b], 1) },
  { name: 'columnNorms', inputs: () => [input([4, 3], 79)], f: (a) => A.columnNorms(a) },
  { name: 'normalizeColumns', inputs: () => [input([4, 3], 80)], f: (a) => A.normalizeColumns(a), tol: 3e-3 },
  {
    name: 'softmaxCrossEntropyRows (logits and targets)',
    inputs: () => [input([3, 4], 81), T.softmax(input([3, 4], 82))],
    f: (z, p) => A.softmaxCrossEntropyRows(z, p),
  },
  {
    name: 'a composite: tanh(x·W + b)',
    inputs: () => [input([4, 3], 83), input([3, 2], 84), input([2], 85)],
    f: (x, w, b) => A.tanh(A.add(A.matmul(x, w), b)),
  },
];

describe('every differentiable op passes gradCheck (cpu backend)', () => {
  beforeAll(() => {
    T.setBackend('cpu');
  });
  for (const c of cases) {
    it(`${c.name}: matches central differences`, () => {
      const xs = c.inputs();
      const r = A.gradCheck(c.f, xs, { eps: c.eps ?? 1e-2, tol: c.tol ?? 1e-3 });
      for (const x of xs) x.dispose();
      expect(r.ok, JSON.stringify(r)).toBe(true);
    });
  }
  it('the op count covered: every differentiable op of @sparsekit/tensor', () => {
    const ops = [
      'add',
      'sub',
      'mul',
      'div',
      'pow',
      'maximum',
      'minimum',
      'neg',
      'abs',
      'sign',
      'sqrt',
      'square',
      'exp',
      'log',
      'log1p',
      'relu',
      'leakyRelu',
      'sigmoid',
      'tanh',
      'softplus',
      'clip',
      'where',
      'softThreshold',
      'hardThreshold',
      'matmul',
      'sum',
      'mean',
      'max',
      'min',
      'normL1',
      'normL2',
      'normLInf',
      'logSumExp',
      'softmax',
      'logSoftmax',
      'reshape',
      'transpose',
      'sliceRows',
      'gather',
      'concat',
      'columnNorms',
      'normalizeColumns',
    ];
    for (const op of ops) expect(typeof (A as Record<string, unknown>)[op], op).toBe('function');
  });
});
