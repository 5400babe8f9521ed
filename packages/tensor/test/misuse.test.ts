import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';

// Issue 8, misuse suite: for every public function of @sparsekit/tensor, wrong types, wrong
// shapes, NaN/Inf where a finite value is required, out-of-range values and unknown option
// keys each throw a SparseKitError subclass whose message starts with the function's name and
// names the argument; the rejected call creates no tensor and leaves its inputs as they were.

beforeAll(() => {
  T.setBackend('cpu');
});
afterAll(() => T.disposeBackend());

type ErrorClass = typeof T.ShapeError | typeof T.ValueError | typeof T.BackendError;

interface Case {
  /** The function as its messages name it. */
  fn: string;
  /** The argument the message must name. */
  arg: string;
  error: ErrorClass;
  /** What is wrong, for the test title. */
  what: string;
  /** Builds the inputs (before the count of live tensors is taken) and returns the bad call. */
  make: (inputs: T.Tensor[]) => () => unknown;
}

const S = T.ShapeError;
const V = T.ValueError;
const m23 = (): T.Tensor =>
  T.tensor([
    [1, -2, 3],
    [4, 5, -6],
  ]);
const v3 = (): T.Tensor => T.tensor([1, 2, 3]);
const variable = (t: T.Tensor): unknown => ({ value: t, grad: null });

/** A case whose inputs are the given tensors (their data is checked unchanged afterwards). */
function c(
  fn: string,
  arg: string,
  error: ErrorClass,
  what: string,
  tensors: Array<() => T.Tensor>,
  call: (...t: T.Tensor[]) => unknown,
): Case {
  return {
    fn,
    arg,
    error,
    what,
    make: (inputs) => {
      const ts = tensors.map((f) => f());
      inputs.push(...ts);
      return () => call(...ts);
    },
  };
}

const UNARY = [
  'neg',
  'abs',
  'sign',
  'sqrt',
  'square',
  'exp',
  'log',
  'log1p',
  'relu',
  'sigmoid',
  'tanh',
  'softplus',
] as const;
const BINARY = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'equal',
  'notEqual',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
] as const;
const REDUCTIONS = [
  'sum',
  'mean',
  'max',
  'min',
  'normL1',
  'normL2',
  'normLInf',
  'argmax',
  'argmin',
  'logSumExp',
  'softmax',
  'logSoftmax',
] as const;
const op = (name: string): ((...a: unknown[]) => unknown) =>
  (T as unknown as Record<string, (...a: unknown[]) => unknown>)[name];

const cases: Case[] = [
  // Creation.
  c('tensor', 'data', V, 'a string element', [], () => T.tensor(['1'] as never)),
  c('tensor', 'data', V, 'a null element', [], () => T.tensor([[1, null]] as never)),
  c('tensor', 'data', V, 'an array-like object', [], () => T.tensor({ length: 1, 0: 1 } as never)),
  c('tensor', 'data', V, 'a BigInt64Array', [], () => T.tensor(new BigInt64Array(1) as never)),
  c('tensor', 'data', S, 'ragged nesting', [], () => T.tensor([[1], [1, 2]])),
  c('tensor', 'shape', S, 'a shape of the wrong size', [], () => T.tensor([1, 2, 3], [2])),
  c('tensor', 'shape', S, 'a negative dimension', [], () => T.tensor([1, 2], [-2])),
  c('full', 'shape', S, 'a fractional dimension', [], () => T.full([1.5], 0)),
  c('full', 'value', V, 'a string value', [], () => T.full([2], '1' as never)),
  c('zeros', 'shape', S, 'a shape that is a number', [], () => T.zeros(3 as never)),
  c('ones', 'shape', S, 'NaN in the shape', [], () => T.ones([NaN])),
  c('eye', 'size', S, 'a negative size', [], () => T.eye(-1)),
  c('eye', 'size', S, 'an infinite size', [], () => T.eye(Infinity)),
  c('arange', 'step', V, 'a zero step', [], () => T.arange(0, 5, 0)),
  c('arange', 'stop', V, 'an infinite stop', [], () => T.arange(0, Infinity)),
  c('arange', 'start', V, 'a NaN start', [], () => T.arange(NaN, 3)),
  c('linspace', 'num', V, 'a fractional count', [], () => T.linspace(0, 1, 2.5)),
  c('linspace', 'start', V, 'a NaN start', [], () => T.linspace(NaN, 1, 3)),
  c('rand', 'high', V, 'high below low', [], () => T.rand([2], { low: 1, high: 0 })),
  c('rand', 'low', V, 'an infinite low', [], () => T.rand([2], { low: -Infinity })),
  c('rand', 'seed', V, 'a NaN seed', [], () => T.rand([2], { seed: NaN })),
  c('rand', 'sead', V, 'an unknown option', [], () => T.rand([2], { sead: 1 } as never)),
  c('rand', 'options', V, 'options that are a number', [], () => T.rand([2], 7 as never)),
  c('randn', 'std', V, 'a negative std', [], () => T.randn([2], { std: -1 })),
  c('randn', 'mean', V, 'a NaN mean', [], () => T.randn([2], { mean: NaN })),
  c('randn', 'stdev', V, 'an unknown option', [], () => T.randn([2], { stdev: 1 } as never)),
  c('randint', 'low', V, 'a fractional low', [], () => T.randint(0.5, 3, [2])),
  c('randint', 'high', V, 'high not above low', [], () => T.randint(3, 3, [2])),
  c('randint', 'high', V, 'a range float32 cannot hold', [], () => T.randint(0, 2 ** 25, [2])),
  c('randint', 'shape', S, 'a bad shape', [], () => T.randint(0, 3, [-1])),
  c('randint', 'seed', V, 'a string seed', [], () => T.randint(0, 3, [2], { seed: '1' } as never)),
  c('permutation', 'n', V, 'a negative n', [], () => T.permutation(-1)),
  c('permutation', 'seeds', V, 'an unknown option', [], () => T.permutation(3, { seeds: 1 } as never)),
  // Elementwise.
  ...UNARY.flatMap((name) => [
    c(name, 'x', V, 'a number where a tensor is expected', [], () => op(name)(3)),
    c(name, 'x', V, 'an array where a tensor is expected', [], () => op(name)([1, 2])),
    c(name, 'x', V, 'an autograd Variable', [v3], (t) => op(name)(variable(t))),
  ]),
  ...BINARY.flatMap((name) => [
    c(name, 'a', V, 'a string operand', [v3], (t) => op(name)('1', t)),
    c(name, 'b', V, 'a null operand', [v3], (t) => op(name)(t, null)),
    c(name, 'b', S, 'shapes that do not broadcast', [m23, () => T.ones([2])], (a, b) => op(name)(a, b)),
    c(name, 'a', V, 'two numbers', [], () => op(name)(1, 2)),
  ]),
  c('leakyRelu', 'alpha', V, 'a NaN alpha', [v3], (t) => T.leakyRelu(t, NaN)),
  c('clip', 'min', V, 'a NaN bound', [v3], (t) => T.clip(t, NaN, 1)),
  c('clip', 'min', V, 'min above max', [v3], (t) => T.clip(t, 2, 1)),
  c('where', 'cond', V, 'a non-tensor condition', [v3], (t) => T.where([1, 0, 1] as never, t, 0)),
  c('where', 'where', S, 'a branch that does not broadcast', [v3, () => T.ones([2])], (t, a) => T.where(t, a, 0)),
  c('softThreshold', 't', V, 'a negative threshold', [v3], (t) => T.softThreshold(t, -1)),
  c('softThreshold', 't', V, 'an infinite threshold', [v3], (t) => T.softThreshold(t, Infinity)),
  c('hardThreshold', 't', V, 'a NaN threshold', [v3], (t) => T.hardThreshold(t, NaN)),
  // Linear algebra.
  c('matmul', 'a', V, 'an array operand', [m23], (b) => T.matmul([[1]] as never, b)),
  c('matmul', 'inner dimensions', S, 'mismatched inner dimensions', [m23, m23], (a, b) => T.matmul(a, b)),
  c('matmul', 'a', S, 'a 1-D operand', [v3, m23], (a, b) => T.matmul(a, b)),
  c('matmul', 'transpose_b', V, 'an unknown option', [m23, m23], (a, b) =>
    T.matmul(a, b, { transpose_b: true } as never),
  ),
  c('matmul', 'transposeA', V, 'a non-boolean flag', [m23, m23], (a, b) => T.matmul(a, b, { transposeA: 1 } as never)),
  // Reductions.
  ...REDUCTIONS.flatMap((name) => [
    c(name, 'x', V, 'a plain array', [], () => op(name)([1, 2, 3])),
    c(name, 'axis', S, 'an axis past the rank', [m23], (t) => op(name)(t, 2)),
    c(name, 'axis', S, 'a negative axis past the rank', [m23], (t) => op(name)(t, { axis: -3 })),
    c(name, 'axis', V, 'a fractional axis', [m23], (t) => op(name)(t, 0.5)),
    c(name, 'axis', V, 'a string axis', [m23], (t) => op(name)(t, '1')),
    c(name, 'axes', V, 'an unknown option', [m23], (t) => op(name)(t, { axes: 1 })),
  ]),
  c('sum', 'keepDims', V, 'a non-boolean keepDims', [m23], (t) => T.sum(t, { axis: 0, keepDims: 1 } as never)),
  c('max', 'empty axis', S, 'an empty axis (max has no identity)', [() => T.zeros([2, 0])], (t) => T.max(t, 1)),
  // Shape.
  c('reshape', 'x', V, 'a non-tensor', [], () => T.reshape([1, 2] as never, [2])),
  c('reshape', 'shape', S, 'a size mismatch', [m23], (t) => T.reshape(t, [4, 2])),
  c('reshape', 'shape', S, 'two inferred dimensions', [m23], (t) => T.reshape(t, [-1, -1])),
  c('transpose', 'perm', V, 'a perm that is not a permutation', [m23], (t) => T.transpose(t, [0, 0])),
  c('transpose', 'perm[1]', S, 'an axis past the rank', [m23], (t) => T.transpose(t, [0, 5])),
  c('transpose', 'perm', V, 'a perm that is a string', [m23], (t) => T.transpose(t, '10' as never)),
  c('sliceRows', 'x', V, 'a plain array', [], () => T.sliceRows([[1]] as never, 0, 1)),
  c('eye', 'size', S, 'a fractional column count', [], () => T.eye(2, 1.5)),
  c('sliceRows', 'end', V, 'an end past the rows', [m23], (t) => T.sliceRows(t, 0, 5)),
  c('sliceRows', 'start', V, 'a NaN start', [m23], (t) => T.sliceRows(t, NaN, 1)),
  c('gather', 'indices', V, 'an index out of range', [m23], (t) => T.gather(t, [0, 2])),
  c('gather', 'indices', V, 'a NaN index', [m23], (t) => T.gather(t, [NaN])),
  c('gather', 'axis', S, 'an axis past the rank', [m23], (t) => T.gather(t, [0], 3)),
  c('concat', 'tensors', V, 'an empty list', [], () => T.concat([])),
  c('concat', 'tensors[1]', S, 'incompatible shapes', [m23, v3], (a, b) => T.concat([a, b])),
  c('oneHot', 'depth', V, 'a zero depth', [], () => T.oneHot([0, 1], 0)),
  c('oneHot', 'depth', V, 'an infinite depth', [], () => T.oneHot([0, 1], Infinity)),
  c('oneHot', 'indices', V, 'an index past the depth', [], () => T.oneHot([0, 3], 3)),
  c('shuffle', 'x', S, 'a scalar', [() => T.tensor(1)], (t) => T.shuffle(t)),
  c('shuffle', 'seeds', V, 'an unknown option', [m23], (t) => T.shuffle(t, { seeds: 1 } as never)),
  c('shuffle', 'seed', V, 'an infinite seed', [m23], (t) => T.shuffle(t, { seed: Infinity })),
  // Sparsity.
  c('topKMask', 'k', V, 'a negative k', [m23], (t) => T.topKMask(t, -1)),
  c('topKMask', 'k', V, 'a NaN k', [m23], (t) => T.topKMask(t, NaN)),
  c('topKMask', 'axis', S, 'an axis past the rank', [m23], (t) => T.topKMask(t, 1, 2)),
  c('topKMask', 'dim', V, 'an unknown option', [m23], (t) => T.topKMask(t, 1, { dim: 0 } as never)),
  c('columnNorms', 'x', V, 'a 1-D tensor', [v3], (t) => T.columnNorms(t)),
  c('normalizeColumns', 'eps', V, 'a NaN eps', [m23], (t) => T.normalizeColumns(t, NaN)),
  c('normalizeColumns', 'eps', V, 'a negative eps', [m23], (t) => T.normalizeColumns(t, -1)),
  c('CsrTensor.fromArray', 'shape', S, 'a shape of the wrong size', [], () => T.CsrTensor.fromArray([1, 2, 3], [2, 2])),
  c('CsrTensor.fromArray', 'tol', V, 'a NaN tolerance', [], () => T.CsrTensor.fromArray([1, 2, 3, 4], [2, 2], NaN)),
  c('CsrTensor.fromDenseSync', 'x', S, 'a 1-D tensor', [v3], (t) => T.CsrTensor.fromDenseSync(t)),
  c(
    'CsrTensor',
    'rowPtr',
    V,
    'a decreasing rowPtr',
    [],
    () => new T.CsrTensor([3, 2], new Float32Array(1), new Int32Array(1), Int32Array.from([0, 1, 0, 1])),
  ),
  c('spmm', 'a', V, 'a dense tensor as the sparse operand', [m23, m23], (a, b) => T.spmm(a as never, b)),
  c('spmm', 'b', S, 'mismatched inner dimensions', [() => T.ones([3, 2])], (b) =>
    T.spmm(T.CsrTensor.fromArray([1, 0, 0, 1], [2, 2]), b),
  ),
  // Memory and reading.
  c('tidy', 'fn', V, 'a non-function', [], () => T.tidy(3 as never)),
  c('tidy', 'fn', V, 'an async function', [], () => T.tidy(async () => 1)),
  c('keep', 't', V, 'a non-tensor', [], () => T.keep([1] as never)),
  c('item', 'tensor', V, 'a tensor of 3 elements', [v3], (t) => t.item()),
  c('itemSync', 'tensor', V, 'a tensor of 3 elements', [v3], (t) => t.itemSync()),
  c('dataSync', 'tensor', V, 'a disposed tensor', [v3], (t) => {
    const u = T.add(t, 1);
    u.dispose();
    return u.dataSync();
  }),
  c('materializeAllSync', 'tensors[1]', V, 'a disposed tensor in the list', [v3], (t) => {
    const u = T.mul(t, 2);
    u.dispose();
    return T.materializeAllSync([t, u]);
  }),
  c('materializeAllSync', 'tensors[0]', V, 'a number in the list', [], () => T.materializeAllSync([3] as never)),
  c('materializeAll', 'tensors', V, 'a tensor instead of a list', [v3], (t) => T.materializeAll(t as never)),
  c('materialize', 'tensor', V, 'a disposed tensor', [v3], (t) => {
    const u = T.add(t, 1);
    u.dispose();
    return u.materialize();
  }),
  c('data', 'tensor', V, 'a disposed tensor', [v3], (t) => {
    const u = T.exp(t);
    u.dispose();
    return u.data();
  }),
  c('initBackend', 'webgpu', T.BackendError, 'webgpu where no adapter exists', [], () => T.initBackend('webgpu')),
  // Backends and the generator.
  c('setBackend', 'backend', T.BackendError, 'an unknown name', [], () => T.setBackend('metal' as never)),
  c('Random', 'seed', V, 'a NaN seed', [], () => new T.Random(NaN)),
  c('Random.int', 'high', V, 'an empty range', [], () => new T.Random(1).int(3, 3)),
  c('checkOptions', 'options', V, 'options that are an array', [], () => T.checkOptions('checkOptions', [1], ['a'])),
];

describe('misuse of every public function gives a typed error that names it and changes nothing', () => {
  for (const k of cases) {
    it(`${k.fn}: ${k.what} → ${k.error.name} naming '${k.arg}'`, async () => {
      const inputs: T.Tensor[] = [];
      const call = k.make(inputs);
      const before = inputs.map((t) => Array.from(t.dataSync()));
      const live = T.memory().liveTensors;
      const stats = T.kernelStats().compiled;
      let thrown: unknown;
      try {
        const r = call();
        if (r instanceof Promise) await r;
      } catch (e) {
        thrown = e;
      }
      expect(thrown, 'the call did not throw').toBeInstanceOf(k.error);
      expect(thrown).toBeInstanceOf(T.SparseKitError);
      const message = (thrown as Error).message;
      expect(message.startsWith(`${k.fn}: `), message).toBe(true);
      expect(message, 'the message names the argument').toContain(k.arg);
      expect(T.memory().liveTensors, 'a rejected call creates nothing').toBeLessThanOrEqual(live);
      expect(T.kernelStats().compiled, 'a rejected call compiles nothing').toBe(stats);
      inputs.forEach((t, i) => {
        expect(t.isDisposed, `input ${i} disposed`).toBe(false);
        expect(Array.from(t.dataSync()), `input ${i} changed`).toEqual(before[i]);
      });
    });
  }

  it('a rejected draw leaves the generator where it was', () => {
    const r = new T.Random(5);
    expect(() => r.int(2, 1)).toThrow(T.ValueError);
    const fresh = new T.Random(5);
    expect([r.nextUint32(), r.nextUint32()]).toEqual([fresh.nextUint32(), fresh.nextUint32()]);
  });

  it('a rejected setBackend keeps the backend and its tensors usable', () => {
    const t = v3();
    const info = T.getBackend();
    expect(() => T.setBackend('metal' as never)).toThrow(T.BackendError);
    expect(T.getBackend()).toBe(info);
    expect(Array.from(T.add(t, 1).dataSync())).toEqual([2, 3, 4]);
  });
});
