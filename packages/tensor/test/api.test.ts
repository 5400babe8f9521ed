import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as T from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});
afterAll(() => T.disposeBackend());

const values = (t: T.Tensor): number[] => Array.from(t.dataSync());

// Brute-force reference: reduce a row-major array of `shape` along `axis` with `f`.
function refReduce(data: number[], shape: number[], axis: number, f: (xs: number[]) => number): number[] {
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const len = shape[axis];
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const xs: number[] = [];
      for (let p = 0; p < len; p++) xs.push(data[o * len * inner + p * inner + i]);
      out.push(f(xs));
    }
  }
  return out;
}

const REF: Record<string, (xs: number[]) => number> = {
  sum: (xs) => xs.reduce((a, b) => a + b, 0),
  mean: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  max: (xs) => Math.max(...xs),
  min: (xs) => Math.min(...xs),
  normL1: (xs) => xs.reduce((a, b) => a + Math.abs(b), 0),
  normL2: (xs) => Math.sqrt(xs.reduce((a, b) => a + b * b, 0)),
  normLInf: (xs) => Math.max(...xs.map(Math.abs)),
  argmax: (xs) => xs.indexOf(Math.max(...xs)),
  argmin: (xs) => xs.indexOf(Math.min(...xs)),
  logSumExp: (xs) => {
    const m = Math.max(...xs);
    return m + Math.log(xs.reduce((a, b) => a + Math.exp(b - m), 0));
  },
};

describe('reductions take the axis positionally or as { axis } (issue 8, item 3)', () => {
  it('sum(x, 1) on [2, 3] gives the row sums and max(x, 0) the column maxima', () => {
    const x = T.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(values(T.sum(x, 1))).toEqual([6, 15]);
    expect(values(T.max(x, 0))).toEqual([4, 5, 6]);
    expect(values(T.sum(x, -1))).toEqual([6, 15]);
    expect(values(T.sum(x))).toEqual([21]);
    expect(T.sum(x, { axis: 0, keepDims: true }).shape).toEqual([1, 3]);
  });

  const shape = [2, 3, 4];
  const data = Array.from({ length: 24 }, (_, i) => Math.round(Math.sin(i * 1.7) * 100) / 10);
  for (const name of Object.keys(REF)) {
    it(`${name} agrees with a brute-force reference on every axis, positive and negative, both forms`, () => {
      const fn = (T as unknown as Record<string, (x: T.Tensor, a?: unknown) => T.Tensor>)[name];
      const x = T.tensor(data, shape);
      for (let axis = -3; axis < 3; axis++) {
        const ax = axis < 0 ? axis + 3 : axis;
        const want = refReduce(data, shape, ax, REF[name]);
        const positional = fn(x, axis);
        const named = fn(x, { axis });
        expect(positional.shape).toEqual(shape.filter((_, d) => d !== ax));
        const got = values(positional);
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
        expect(values(named)).toEqual(got);
      }
    });
    it(`${name} rejects an out-of-range axis with a ShapeError and a fractional one with a ValueError`, () => {
      const fn = (T as unknown as Record<string, (x: T.Tensor, a?: unknown) => T.Tensor>)[name];
      const x = T.tensor(data, shape);
      for (const bad of [3, 7, -4]) {
        expect(() => fn(x, bad)).toThrow(T.ShapeError);
        expect(() => fn(x, bad)).toThrow(
          new RegExp(
            `^${name}: axis ${bad} is out of range for x of shape \\[2, 3, 4\\]; expected an integer in \\[-3, 2\\]$`,
          ),
        );
        expect(() => fn(x, { axis: bad })).toThrow(T.ShapeError);
      }
      expect(() => fn(x, 1.5)).toThrow(`${name}: axis must be an integer, got number 1.5`);
      expect(() => fn(x, { axes: 1 })).toThrow(
        `${name}: unknown option 'axes' in options (did you mean 'axis'?); allowed: axis, keepDims`,
      );
    });
  }

  it('softmax and logSoftmax take the axis both ways and reject a bad one', () => {
    const x = T.tensor([
      [1, 5, 2],
      [7, 0, 3],
    ]);
    for (const fn of [T.softmax, T.logSoftmax]) {
      expect(values(fn(x, 0))).toEqual(values(fn(x, { axis: 0 })));
      expect(values(fn(x, -2))).toEqual(values(fn(x, 0)));
      expect(() => fn(x, 2)).toThrow(T.ShapeError);
      expect(() => fn(x, { axis: 0, keepDims: true } as never)).toThrow(
        /unknown option 'keepDims' in options; allowed: axis/,
      );
    }
    const s = values(T.softmax(x, 0));
    expect(s[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + Math.exp(7)), 6);
  });

  it('topKMask takes the axis both ways and rejects a bad one', () => {
    const x = T.tensor([
      [1, 5, 2],
      [7, 0, 3],
    ]);
    expect(values(T.topKMask(x, 1, 1))).toEqual([0, 1, 0, 1, 0, 0]);
    expect(values(T.topKMask(x, 1, { axis: 0 }))).toEqual([0, 1, 0, 1, 0, 1]);
    expect(values(T.topKMask(x, 1, -2))).toEqual([0, 1, 0, 1, 0, 1]);
    expect(() => T.topKMask(x, 1, 2)).toThrow(T.ShapeError);
  });

  it('an axis on a scalar is a ShapeError that says to omit it', () => {
    expect(() => T.sum(T.tensor(3), 0)).toThrow(
      'sum: axis 0 is out of range for x of shape []; expected none: x is a scalar (omit the axis)',
    );
    expect(() => T.softmax(T.tensor(3))).toThrow(T.ShapeError);
  });
});

describe('tensor() accepts numbers, booleans and typed arrays only (issue 8, item 5)', () => {
  const garbage: Array<[string, unknown, RegExp | string]> = [
    ['numeric strings', ['0.5', 'abc'], 'tensor: data[0] must be a number or boolean, got string "0.5"'],
    [
      'a nested string',
      [
        [1, 2, 3],
        [4, 5, 'abc'],
      ],
      'tensor: data[1][2] must be a number or boolean, got string "abc"',
    ],
    ['null', [1, null, 3], 'tensor: data[1] must be a number or boolean, got null'],
    ['undefined', [1, undefined], 'tensor: data[1] must be a number or boolean, got undefined'],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole', [1, , 3], 'tensor: data[1] must be a number or boolean, got undefined'],
    [
      'an array-like object',
      { length: 2 },
      'tensor: data must be a number, a boolean, (nested) arrays of them, or a typed array, got object {length}',
    ],
    [
      'a BigInt64Array',
      new BigInt64Array(2),
      /got BigInt64Array of length 2 \(convert BigInt arrays with Float64Array\.from\(x, Number\)\)$/,
    ],
    ['BigInt elements', [1n, 2n], 'tensor: data[0] must be a number or boolean, got bigint 1n'],
    ['a string', 'abc', /^tensor: data must be .* got string "abc"$/],
    ['an object element', [{}], 'tensor: data[0] must be a number or boolean, got object {}'],
    ['a DataView', new DataView(new ArrayBuffer(4)), /got DataView$/],
  ];
  for (const [what, data, message] of garbage) {
    it(`rejects ${what} with a ValueError naming the element`, () => {
      const before = T.memory().liveTensors;
      expect(() => T.tensor(data as T.TensorData)).toThrow(T.ValueError);
      expect(() => T.tensor(data as T.TensorData)).toThrow(message);
      expect(T.memory().liveTensors).toBe(before);
    });
  }

  it('rejects ragged nesting with a ShapeError naming where', () => {
    expect(() => T.tensor([[1, 2], [3]])).toThrow(T.ShapeError);
    expect(() => T.tensor([[1, 2], [3]])).toThrow(
      'tensor: ragged nested array: data[1] has length 1, expected 2 (like data[0])',
    );
    expect(() => T.tensor([[1, 2], 3] as never)).toThrow(
      'tensor: ragged nested array: data[1] is a number where an array of length 2 was expected',
    );
    expect(() => T.tensor([1, [2]] as never)).toThrow(
      'tensor: ragged nested array: data[1] is an array where a number was expected (like data[0])',
    );
  });

  it('reads booleans as 1 and 0, typed arrays natively, and keeps NaN and ±Inf', () => {
    expect(values(T.tensor([true, false, true]))).toEqual([1, 0, 1]);
    expect(values(T.tensor(true))).toEqual([1]);
    for (const Ctor of [
      Float32Array,
      Float64Array,
      Int8Array,
      Int16Array,
      Int32Array,
      Uint8Array,
      Uint8ClampedArray,
      Uint16Array,
      Uint32Array,
    ]) {
      const t = T.tensor(new Ctor([1, 2, 3, 4]), [2, 2]);
      expect(t.shape).toEqual([2, 2]);
      expect(values(t)).toEqual([1, 2, 3, 4]);
    }
    expect(values(T.tensor([new Float64Array([0.1, 2]), new Float64Array([3, 4])]))).toEqual([
      Math.fround(0.1),
      2,
      3,
      4,
    ]);
    const special = values(T.tensor([NaN, Infinity, -Infinity]));
    expect(special[0]).toBeNaN();
    expect(special.slice(1)).toEqual([Infinity, -Infinity]);
    expect(T.tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('checks a given shape against the data', () => {
    expect(
      T.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [4],
      ).shape,
    ).toEqual([4]);
    expect(() =>
      T.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [3],
      ),
    ).toThrow('tensor: shape [3] needs 3 values, got data of shape [2, 2] (4 values)');
    expect(() => T.tensor([1, 2, 3], [2, 2])).toThrow(T.ShapeError);
    expect(() => T.tensor(1, [2])).toThrow(T.ShapeError);
  });
});

describe('tidy and async functions (issue 8, item 10)', () => {
  it('tidy(async fn) throws a ValueError pointing to tidyAsync and leaks nothing', async () => {
    const before = T.memory().liveTensors;
    const rejections: unknown[] = [];
    const onRejection = (e: unknown): void => void rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      expect(() => T.tidy(async () => T.add(T.ones([2]), 1))).toThrow(T.ValueError);
      expect(() => T.tidy(async () => T.ones([2]))).toThrow(
        /tidy: fn returned a Promise; .* Use await tidyAsync\(async \(\) => …\) instead/,
      );
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections).toEqual([]);
    expect(T.memory().liveTensors).toBe(before);
  });

  it('tidyAsync keeps what the async function returns and disposes the rest', async () => {
    const before = T.memory().liveTensors;
    const out = await T.tidyAsync(async () => {
      const a = T.ones([3]);
      const b = T.mul(a, 2);
      await b.data();
      return { c: T.add(b, 1) };
    });
    expect(values(out.c)).toEqual([3, 3, 3]);
    expect(T.memory().liveTensors).toBe(before + 1);
    out.c.dispose();
    expect(T.memory().liveTensors).toBe(before);
  });

  it('tidyAsync disposes everything and rethrows when the function rejects', async () => {
    const before = T.memory().liveTensors;
    await expect(
      T.tidyAsync(async () => {
        T.ones([4]);
        await Promise.resolve();
        T.zeros([4]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(T.memory().liveTensors).toBe(before);
  });

  it('tidyAsync refuses to overlap another tidyAsync or run inside tidy', async () => {
    let release!: () => void;
    const first = T.tidyAsync(() => new Promise<void>((r) => (release = r)));
    await expect(T.tidyAsync(async () => 1)).rejects.toThrow(
      /tidyAsync: cannot start inside tidy\(\) or while another tidyAsync\(\) is pending/,
    );
    release();
    await first;
    await expect(T.tidyAsync(async () => 2)).resolves.toBe(2);
    expect(() => T.tidy(() => void T.tidyAsync(async () => 3).catch(() => undefined))).not.toThrow();
  });

  it('a synchronous tidy inside tidyAsync works as usual', async () => {
    const before = T.memory().liveTensors;
    const out = await T.tidyAsync(async () => {
      const inner = T.tidy(() => T.add(T.ones([2]), T.ones([2])));
      await inner.data();
      return T.mul(inner, 3);
    });
    expect(values(out)).toEqual([6, 6]);
    out.dispose();
    expect(T.memory().liveTensors).toBe(before);
  });

  it('tidy, tidyAsync and keep reject what is not a function or tensor', async () => {
    expect(() => T.tidy(5 as never)).toThrow('tidy: fn must be a function, got number 5');
    await expect(T.tidyAsync(null as never)).rejects.toThrow('tidyAsync: fn must be a function, got null');
    expect(() => T.keep({} as never)).toThrow('keep: t must be a Tensor, got object {}');
  });
});

describe('printing (issue 8, item 14)', () => {
  it('toString shows the values, NumPy/PyTorch style', () => {
    expect(
      String(
        T.tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toBe('Tensor([[1, 2, 3],\n        [4, 5, 6]], shape=[2, 3])');
    expect(String(T.tensor([0.5, -1.25]))).toBe('Tensor([ 0.5000, -1.2500], shape=[2])');
    expect(String(T.tensor(3.25))).toBe('Tensor(3.2500, shape=[])');
    expect(String(T.tensor([NaN, Infinity, -1.5]))).toBe('Tensor([    NaN,     Inf, -1.5000], shape=[3])');
    expect(String(T.tensor([1e-6, 1, 1e6]))).toBe('Tensor([1.0000e-6, 1.0000e+0, 1.0000e+6], shape=[3])');
    expect(String(T.zeros([0, 3]))).toBe('Tensor([], shape=[0, 3])');
  });

  it('separates the blocks of a 3-D tensor by a blank line', () => {
    expect(
      String(
        T.tensor([
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ]),
      ),
    ).toBe('Tensor([[[1, 2],\n         [3, 4]],\n\n        [[5, 6],\n         [7, 8]]], shape=[2, 2, 2])');
  });

  it('summarises large tensors with ... and shows the shape', () => {
    expect(String(T.arange(2000))).toBe('Tensor([   0,    1,    2,  ..., 1997, 1998, 1999], shape=[2000])');
    const m = String(T.reshape(T.arange(1200), [40, 30]));
    expect(m.split('\n')).toEqual([
      'Tensor([[   0,    1,    2,  ...,   27,   28,   29],',
      '        [  30,   31,   32,  ...,   57,   58,   59],',
      '        [  60,   61,   62,  ...,   87,   88,   89],',
      '        ...,',
      '        [1110, 1111, 1112,  ..., 1137, 1138, 1139],',
      '        [1140, 1141, 1142,  ..., 1167, 1168, 1169],',
      '        [1170, 1171, 1172,  ..., 1197, 1198, 1199]], shape=[40, 30])',
    ]);
  });

  it('reads an unrealised tensor on a synchronous backend, and never throws', () => {
    const lazy = T.add(T.tensor([1, 2]), 1);
    expect(String(lazy)).toBe('Tensor([2, 3], shape=[2])');
    const gone = T.tensor([1]);
    gone.dispose();
    expect(String(gone)).toBe('Tensor(<disposed>, shape=[1])');
  });

  it('on a backend without synchronous readback (WebGPU) says the values need await, and reads nothing', () => {
    const t = T.add(T.tensor([1, 2]), 1);
    const info = T.getBackend() as { syncReadback: boolean };
    const readbacks = T.kernelStats().readbacks;
    // The WebGPU branch is the one where info.syncReadback is false; the browser lane runs it for real.
    info.syncReadback = false;
    try {
      expect(String(t)).toBe('Tensor(<on cpu: values need await t.data()>, shape=[2])');
    } finally {
      info.syncReadback = true;
    }
    expect(T.kernelStats().readbacks).toBe(readbacks);
    expect(String(t)).toBe('Tensor([2, 3], shape=[2])');
  });

  it('console.log and util.inspect show the values, not the internals', () => {
    const t = T.mul(
      T.tensor([
        [1, 2],
        [3, 4],
      ]),
      2,
    );
    expect(inspect(t)).toBe('Tensor([[2, 4],\n        [6, 8]], shape=[2, 2])');
    expect(inspect({ w: T.tensor([1]) })).toBe('{ w: Tensor([1], shape=[1]) }');
    expect(inspect(T.add(T.tensor([1]), 1))).not.toMatch(/function|kernel|pending|thread/);
  });

  it('print() logs toString()', () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      T.tensor([1, 2]).print();
      expect(spy).toHaveBeenCalledWith('Tensor([1, 2], shape=[2])');
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps value, op and pending off the tensor: no such fields to read or overwrite', () => {
    const t = T.add(T.tensor([1, 2]), 1);
    for (const key of ['value', 'op', 'pending', 'backend', 'disposedFlag']) expect(key in t).toBe(false);
    expect(Object.keys(t).sort()).toEqual(['dtype', 'id', 'shape', 'size']);
    (t as unknown as { value: unknown; op: unknown; pending: unknown }).value = new Float32Array([9, 9]);
    (t as unknown as { op: unknown }).op = null;
    (t as unknown as { pending: unknown }).pending = -5;
    expect(values(t)).toEqual([2, 3]);
    expect(JSON.stringify(t)).not.toMatch(/kernel|function/);
  });
});

describe('randint (issue 8, item 15)', () => {
  it('draws odd and even values alike up to 2^24 (the low bit is uniform)', () => {
    const n = 20000;
    const d = values(T.randint(0, 2 ** 24, [n], { seed: 11 }));
    const odd = d.filter((v) => v % 2 === 1).length / n;
    // Binomial(n, 1/2): σ = 0.5/√n ≈ 0.0035; 5σ is a bound no correct generator crosses by chance here.
    expect(Math.abs(odd - 0.5)).toBeLessThan((5 * 0.5) / Math.sqrt(n));
    expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d)).toBeLessThan(2 ** 24);
    expect(d.every(Number.isInteger)).toBe(true);
  });

  it('stays in [low, high) and reaches both ends', () => {
    const d = values(T.randint(-3, 3, [5000], { seed: 2 }));
    expect(Math.min(...d)).toBe(-3);
    expect(Math.max(...d)).toBe(2);
    const counts = new Map<number, number>();
    for (const v of d) counts.set(v, (counts.get(v) ?? 0) + 1);
    // Six values, ~833 each: σ ≈ 26, so every count lies within 833 ± 130.
    for (const c of counts.values()) expect(Math.abs(c - 5000 / 6)).toBeLessThan(130);
  });

  it('accepts the widest exact range and refuses ranges float32 cannot hold', () => {
    const d = values(T.randint(-(2 ** 24), 2 ** 24 + 1, [1000], { seed: 3 }));
    expect(d.every((v) => Number.isInteger(v) && v >= -(2 ** 24) && v <= 2 ** 24)).toBe(true);
    expect(() => T.randint(0, 2 ** 25, [3])).toThrow(T.ValueError);
    expect(() => T.randint(0, 2 ** 25, [3])).toThrow(
      /randint: \[low, high\) must lie within \[-2\^24, 2\^24\] .* got low=0, high=33554432/,
    );
    expect(() => T.randint(-(2 ** 24) - 1, 0, [3])).toThrow(T.ValueError);
  });
});

describe('unknown option keys and the shared value formatter (issue 8, item 15)', () => {
  // Made per call: tensors created at collection time would belong to the backend beforeAll replaces.
  const a = (): T.Tensor => T.ones([2, 3]);
  const b = (): T.Tensor => T.ones([2, 3]);
  const cases: Array<[string, () => unknown, string]> = [
    [
      'matmul',
      () => T.matmul(a(), b(), { transpose_b: true } as never),
      "matmul: unknown option 'transpose_b' in options (did you mean 'transposeB'?); allowed: transposeA, transposeB",
    ],
    [
      'sum',
      () => T.sum(a(), { axes: 1 } as never),
      "sum: unknown option 'axes' in options (did you mean 'axis'?); allowed: axis, keepDims",
    ],
    [
      'rand',
      () => T.rand([2], { sead: 1 } as never),
      "rand: unknown option 'sead' in options (did you mean 'seed'?); allowed: seed, low, high",
    ],
    [
      'randn',
      () => T.randn([2], { stddev: 1 } as never),
      "randn: unknown option 'stddev' in options; allowed: seed, mean, std",
    ],
    [
      'randint',
      () => T.randint(0, 2, [2], { seed: 1, size: 2 } as never),
      "randint: unknown option 'size' in options; allowed: seed",
    ],
    [
      'permutation',
      () => T.permutation(3, { Seed: 1 } as never),
      "permutation: unknown option 'Seed' in options (did you mean 'seed'?); allowed: seed",
    ],
    [
      'shuffle',
      () => T.shuffle(a(), { seeds: 1 } as never),
      "shuffle: unknown option 'seeds' in options (did you mean 'seed'?); allowed: seed",
    ],
    [
      'topKMask',
      () => T.topKMask(a(), 1, { dim: 0 } as never),
      "topKMask: unknown option 'dim' in options; allowed: axis",
    ],
    [
      'logSumExp',
      () => T.logSumExp(a(), { keepdims: true } as never),
      "logSumExp: unknown option 'keepdims' in options (did you mean 'keepDims'?); allowed: axis, keepDims",
    ],
  ];
  for (const [fn, call, message] of cases) {
    it(`${fn} names the unknown key and the allowed ones`, () => {
      expect(call).toThrow(T.ValueError);
      expect(call).toThrow(message);
    });
  }

  it('matmul flags must be booleans', () => {
    expect(() => T.matmul(a(), b(), { transposeB: 'yes' } as never)).toThrow(
      'matmul: options.transposeB must be a boolean, got string "yes"',
    );
    expect(values(T.matmul(a(), b(), { transposeB: true }))).toEqual([3, 3, 3, 3]);
  });

  it('an autograd Variable passed to a tensor op is told to use .value', () => {
    class Variable {
      grad = null;
      constructor(readonly value: T.Tensor) {}
    }
    const v = new Variable(T.ones([2]));
    expect(() => T.add(v as never, 1)).toThrow('add: a must be a Tensor, got Variable — use .value');
    expect(() => T.sum(v as never)).toThrow('sum: x must be a Tensor, got Variable — use .value');
    expect(() => T.exp({ value: T.ones([1]), grad: T.ones([1]) } as never)).toThrow('got Variable — use .value');
  });

  it('describeValue is one formatter for every message', () => {
    const disposed = T.ones([1]);
    disposed.dispose();
    const table: Array<[unknown, string]> = [
      [null, 'null'],
      [undefined, 'undefined'],
      [5, 'number 5'],
      [NaN, 'number NaN'],
      [-0, 'number -0'],
      [true, 'boolean true'],
      [3n, 'bigint 3n'],
      ['x'.repeat(40), `string "${'x'.repeat(32)}…"`],
      [Symbol('s'), 'symbol s'],
      [function named() {}, 'function named'],
      [[1, 2], 'array of length 2'],
      [new Float32Array(3), 'Float32Array of length 3'],
      [T.ones([2, 3]), 'Tensor of shape [2, 3]'],
      [disposed, 'Tensor of shape [1] (disposed)'],
      [{ a: 1, b: 2 }, 'object {a, b}'],
      [{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, 'object {a, b, c, d, e, …}'],
      [new Map(), 'Map'],
      [T.CsrTensor.fromDenseSync(T.eye(2)), 'CsrTensor of shape [2, 2]'],
    ];
    for (const [x, want] of table) expect(T.describeValue(x)).toBe(want);
  });

  it('checkOptions passes undefined and known keys, rejects non-objects', () => {
    expect(() => T.checkOptions('f', undefined, ['a'])).not.toThrow();
    expect(() => T.checkOptions('f', { a: 1 }, ['a'])).not.toThrow();
    expect(() => T.checkOptions('f', 3, ['a'])).toThrow('f: options must be an object, got number 3');
    expect(() => T.checkOptions('f', [1], ['a'], 'config')).toThrow(
      'f: config must be an object, got array of length 1',
    );
    expect(() => T.checkOptions('f', { b: 1 }, [])).toThrow("f: unknown option 'b' in options; it takes no options");
  });
});

describe('brand (issue 8, item 13, in one copy)', () => {
  it('isTensor answers by the registered brand; instanceof Tensor follows it', () => {
    const t = T.ones([1]);
    expect(T.isTensor(t)).toBe(true);
    expect(t instanceof T.Tensor).toBe(true);
    const foreign = Object.create(null) as Record<symbol, unknown>;
    Object.defineProperty(foreign, Symbol.for('sparsekit.tensor'), { value: true });
    expect(T.isTensor(foreign)).toBe(true);
    expect(foreign instanceof T.Tensor).toBe(true);
    for (const x of [null, undefined, 1, {}, [], { shape: [1], data: () => 0 }]) {
      expect(T.isTensor(x)).toBe(false);
      expect(x instanceof T.Tensor).toBe(false);
    }
  });
});
