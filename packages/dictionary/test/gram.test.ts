import { memory, type Tensor } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { correlations, gramMatrix, rowSquaredNorms } from '../src/gram.js';
import { runAsync, runSync } from '../src/steps.js';
import { abt, randomMatrix } from './reference.js';

describe('gramMatrix, correlations and rowSquaredNorms', () => {
  const D = randomMatrix(12, 7, 3);
  const X = randomMatrix(9, 7, 4);

  it('computes DDᵀ in float64, exactly symmetric', () => {
    const G = gramMatrix(D, 12, 7);
    const want = abt(D, D, 12, 12, 7);
    G.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) expect(G[i * 12 + j]).toBe(G[j * 12 + i]);
  });

  it('computes X·Dᵀ with one tensor kernel and leaves no tensor behind', () => {
    const before = memory().liveTensors;
    const C = runSync(correlations(X, 9, D, 12, 7));
    expect(memory().liveTensors).toBe(before);
    const want = abt(X, D, 9, 12, 7);
    C.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    const fromArray = runSync(correlations(Array.from(X), 9, Array.from(D), 12, 7));
    expect(fromArray).toEqual(C);
  });

  it('yields the product for its driver to read: await data() gives the same values, and no tensor is left behind', async () => {
    const before = memory().liveTensors;
    const sync = runSync(correlations(X, 9, D, 12, 7));
    const steps = correlations(X, 9, D, 12, 7);
    const asked = steps.next();
    expect(asked.done).toBe(false);
    expect((asked.value as Tensor).shape).toEqual([9, 12]);
    expect(steps.next(await (asked.value as Tensor).data())).toEqual({ done: true, value: sync });
    expect(memory().liveTensors).toBe(before);
    expect(await runAsync(correlations(X, 9, D, 12, 7))).toEqual(sync);
  });

  it('releases its tensors when the driver closes it without reading (a failed read)', () => {
    const before = memory().liveTensors;
    const steps = correlations(X, 9, D, 12, 7);
    steps.next();
    expect(memory().liveTensors).toBe(before + 3);
    steps.return(new Float32Array(0));
    expect(memory().liveTensors).toBe(before);
  });

  it('computes ‖xᵢ‖² per row', () => {
    const sq = rowSquaredNorms([3, 4, 0, 1, 1, 1], 2, 3);
    expect(Array.from(sq)).toEqual([25, 3]);
  });
});
