import { setBackend, tensor } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { GROUPINGS, groupNorm, groupSum } from '../src/index.js';

beforeAll(() => {
  setBackend('cpu');
});

describe('group reductions', () => {
  const x = (): ReturnType<typeof tensor> =>
    tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  it('sums rows, columns or the whole tensor, shaped to broadcast back', () => {
    expect(groupSum(x(), 'rows').arraySync()).toEqual([[6], [15]]);
    expect(groupSum(x(), 'columns').arraySync()).toEqual([[5, 7, 9]]);
    expect(groupSum(x(), 'tensor').arraySync()).toEqual([[21]]);
    expect(Array.from(groupSum(tensor([1, -2, 3]), 'rows').dataSync())).toEqual([1, -2, 3]);
    expect(GROUPINGS).toEqual(['rows', 'columns', 'tensor']);
  });

  it('groupNorm is the L2 norm of each group', () => {
    expect(
      groupNorm(
        tensor([
          [3, 4],
          [0, 0],
        ]),
        'rows',
      ).arraySync(),
    ).toEqual([[5], [0]]);
    expect(
      groupNorm(
        tensor([
          [3, 0],
          [4, 0],
        ]),
        'columns',
      ).arraySync(),
    ).toEqual([[5, 0]]);
  });

  it('rejects an unknown grouping', () => {
    expect(() => groupSum(x(), 'neurons' as 'rows')).toThrow(
      /groupSum: groups must be one of rows, columns, tensor, got neurons/,
    );
  });
});
