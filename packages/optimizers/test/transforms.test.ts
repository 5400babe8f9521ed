import { setBackend, tensor } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addDecayedWeights,
  applyProx,
  chain,
  clipByGlobalNorm,
  l1Prox,
  scale,
  scaleByLearningRate,
  stepSchedule,
} from '../src/index.js';
import { expectClose } from './helpers.js';

const close = (x: ArrayLike<number>, e: number[]) =>
  expectClose(x, e, (a, b) => (b === 0 ? expect(a).toBe(0) : expect(a).toBeCloseTo(b, 6)));

beforeAll(() => {
  setBackend('cpu');
});

const data = (ts: { dataSync(): Float32Array }[]) => ts.map((t) => Array.from(t.dataSync()));

describe('transforms', () => {
  it('chain feeds each transformation the previous one’s updates and keeps their states in a list', () => {
    const tx = chain(addDecayedWeights(0.5), scale(2));
    const params = [tensor([1, 2])];
    const r = tx.update([tensor([1, 1])], tx.init(params), params);
    expect(data(r.updates)).toEqual([[3, 4]]);
    expect(r.state).toEqual([null, null]);
  });

  it('clipByGlobalNorm scales all updates together to the norm limit, and leaves small ones alone', () => {
    const tx = clipByGlobalNorm(1);
    const big = tx.update([tensor([3]), tensor([4])], null, []);
    expect(
      data(big.updates)
        .flat()
        .map((v) => +v.toFixed(6)),
    ).toEqual([0.6, 0.8]);
    const small = tx.update([tensor([0.3]), tensor([0.4])], null, []);
    expect(data(small.updates).flat()).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('scaleByLearningRate follows a schedule through its count', () => {
    const tx = scaleByLearningRate(stepSchedule({ lr: 1, stepSize: 1, gamma: 0.5 }));
    let state = tx.init([]);
    const seen: number[] = [];
    for (let t = 0; t < 3; t++) {
      const r = tx.update([tensor([1])], state, []);
      seen.push(r.updates[0].dataSync()[0]);
      state = r.state;
    }
    expect(seen).toEqual([-1, -0.5, -0.25]);
    expect(() => scaleByLearningRate(() => Number.NaN).update([tensor([1])], { count: 0 }, [])).toThrow(
      /schedule must return/,
    );
  });

  it('applyProx turns a descent step into a proximal step with exact zeros', () => {
    const tx = chain(scaleByLearningRate(0.1), applyProx(l1Prox(1), 0.1));
    const params = [tensor([1, 0.05, -0.5])];
    const r = tx.update([tensor([0, 0, 1])], tx.init(params), params);
    const next = params[0].dataSync().map((v, i) => v + r.updates[0].dataSync()[i]);
    close(next, [0.9, 0, -0.5]);
  });
});
