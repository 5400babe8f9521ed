/**
 * gather with a tensor of indices checks their range as it does for an array (issue 11's
 * remnant of issue 8): a bad index is a ValueError naming its position and value, whether
 * the indices are host data or computed by a kernel, and a rejected call leaves no tensor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';

for (const backend of ['cpu', 'webasm'] as const) {
  describe(`gather with tensor indices on ${backend}`, () => {
    beforeAll(() => {
      T.setBackend(backend);
    });
    afterAll(() => T.disposeBackend());

    const x = (): T.Tensor =>
      T.tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);

    it('gathers valid host and computed indices', () => {
      expect(T.gather(x(), T.tensor([2, 0, 2])).arraySync()).toEqual([
        [5, 6],
        [1, 2],
        [5, 6],
      ]);
      // Computed by a kernel: 0.5·[2, 4] = [1, 2].
      expect(T.gather(x(), T.mul(T.tensor([2, 4]), 0.5)).arraySync()).toEqual([
        [3, 4],
        [5, 6],
      ]);
      expect(T.gather(x(), T.tensor([1, 0]), 1).arraySync()).toEqual([
        [2, 1],
        [4, 3],
        [6, 5],
      ]);
    });

    for (const [what, values, i] of [
      ['an index past the end', [0, 3], 1],
      ['a negative index', [-1, 0], 0],
      ['a fractional index', [0, 1.5], 1],
      ['a NaN index', [0, 1, NaN], 2],
    ] as const) {
      it(`rejects ${what}, host or computed, and leaves nothing behind`, () => {
        const xs = x();
        const host = T.tensor([...values]);
        const computed = T.add(T.tensor([...values]), 0);
        for (const idx of [host, computed]) {
          const before = T.memory().liveTensors;
          let err: unknown;
          try {
            T.gather(xs, idx);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(T.ValueError);
          expect((err as Error).message).toBe(`gather: indices[${i}] must be an integer in [0, 3), got ${values[i]}`);
          expect(T.memory().liveTensors).toBe(before);
        }
      });
    }

    it('checks against the gathered axis', () => {
      expect(() => T.gather(x(), T.tensor([2]), 1)).toThrow(
        /^gather: indices\[0\] must be an integer in \[0, 2\), got 2$/,
      );
    });
  });
}
