import { disposeBackend, setBackend, tensor, ValueError } from '@sparsekit/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gini, hoyer, l0, l1, l2, lInf, pqMean, sparsityRatio } from '../src/index.js';

// Each measure takes a Tensor too and then returns a Promise, reading the values with
// `await t.data()` (the one read that works on every backend, WebGPU included).
describe('measures on tensors', () => {
  beforeAll(() => setBackend('cpu'));
  afterAll(() => disposeBackend());

  const values = [0, 1.5, -2, 0, 0.25, 0, 3, -0.5];
  const cases: Array<[string, (x: never) => unknown]> = [
    ['l0', (x) => l0(x)],
    ['l0 with tol', (x) => l0(x, { tol: 0.3 })],
    ['sparsityRatio', (x) => sparsityRatio(x)],
    ['l1', (x) => l1(x)],
    ['l2', (x) => l2(x)],
    ['lInf', (x) => lInf(x)],
    ['pqMean', (x) => pqMean(x, 1, 2)],
    ['hoyer', (x) => hoyer(x)],
    ['gini', (x) => gini(x)],
  ];
  for (const [name, f] of cases) {
    it(`${name} of a tensor resolves to ${name} of its float32 values`, async () => {
      const t = tensor(values, [2, 4]);
      const result = f(t as never);
      expect(result).toBeInstanceOf(Promise);
      expect(await result).toBe(f(Float32Array.from(values) as never));
    });
  }

  it('rejects (does not throw) on bad values and options', async () => {
    const bad = tensor([1, Number.NaN], [2]);
    const pending = gini(bad);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toThrow(new ValueError('gini', 'x[1] must be a finite number, got number NaN'));
    await expect(l0(tensor([1], [1]), { tol: -1 })).rejects.toThrow(ValueError);
  });

  it('rejects on a disposed tensor', async () => {
    const t = tensor([1, 2], [2]);
    t.dispose();
    await expect(hoyer(t)).rejects.toThrow();
  });
});
