import { describe, expect, it } from 'vitest';
import { isTensor } from '../src/index.js';

describe('isTensor', () => {
  it('answers by the registered brand, from any copy', () => {
    const proto = {};
    Object.defineProperty(proto, Symbol.for('sparsekit.tensor'), { get: () => true });
    expect(isTensor(Object.create(proto))).toBe(true);
    const own = Object.create(null) as Record<symbol, unknown>;
    Object.defineProperty(own, Symbol.for('sparsekit.tensor'), { value: true });
    expect(isTensor(own)).toBe(true);
  });

  it('rejects look-alikes without the brand, or with a non-true brand', () => {
    const wrong = { [Symbol.for('sparsekit.tensor')]: 1 };
    const unregistered = { [Symbol('sparsekit.tensor')]: true };
    for (const x of [
      null,
      undefined,
      1,
      'Tensor',
      {},
      [],
      wrong,
      unregistered,
      { shape: [1], data: () => 0, dataSync: () => 0 },
    ]) {
      expect(isTensor(x)).toBe(false);
    }
  });
});
