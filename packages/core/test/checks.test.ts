import { describe, expect, it } from 'vitest';
import { checkInteger, checkRange, ValueError } from '../src/index.js';

describe('checkRange', () => {
  it('returns numbers inside the range, ends included unless open', () => {
    expect(checkRange('f', 'x', 0, 0, 1)).toBe(0);
    expect(checkRange('f', 'x', 1, 0, 1)).toBe(1);
    expect(checkRange('f', 'x', 0.5, 0, 1, { lo: true, hi: true })).toBe(0.5);
    expect(checkRange('f', 'x', -1e300, Number.NEGATIVE_INFINITY, 0)).toBe(-1e300);
  });

  it('rejects what is outside, open ends, NaN, Infinity and non-numbers, naming all', () => {
    expect(() => checkRange('prune', 'sparsity', 1.5, 0, 1, { hi: true })).toThrow(
      new ValueError('prune', 'sparsity must be a finite number in [0, 1), got number 1.5'),
    );
    expect(() => checkRange('f', 'x', 0, 0, 1, { lo: true })).toThrow(
      'f: x must be a finite number in (0, 1], got number 0',
    );
    expect(() => checkRange('f', 'x', Number.NaN, 0, 1)).toThrow('got number NaN');
    expect(() => checkRange('f', 'x', Number.POSITIVE_INFINITY, 0, Number.POSITIVE_INFINITY)).toThrow(
      'got number Infinity',
    );
    expect(() => checkRange('f', 'x', '0.5', 0, 1)).toThrow('got string "0.5"');
    expect(() => checkRange('f', 'x', undefined, 0, 1)).toThrow(ValueError);
  });
});

describe('checkInteger', () => {
  it('returns integers in [min, max]', () => {
    expect(checkInteger('f', 'k', 0)).toBe(0);
    expect(checkInteger('f', 'k', 7, 1, 7)).toBe(7);
    expect(checkInteger('f', 'k', -3, -5)).toBe(-3);
  });

  it('rejects fractions, out-of-range values, NaN and non-numbers, naming the range', () => {
    expect(() => checkInteger('omp', 'k', 2.5, 1)).toThrow(
      new ValueError('omp', 'k must be an integer >= 1, got number 2.5'),
    );
    expect(() => checkInteger('omp', 'k', 9, 1, 8)).toThrow('omp: k must be an integer in [1, 8], got number 9');
    expect(() => checkInteger('f', 'k', -1)).toThrow('k must be an integer >= 0, got number -1');
    expect(() => checkInteger('f', 'k', Number.NaN)).toThrow('got number NaN');
    expect(() => checkInteger('f', 'k', 3n)).toThrow('got bigint 3n');
  });
});
