import { ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { formatReport, sparsityReport } from '../src/index.js';

const host = {
  'layers.0.weight': { data: [1, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 4], shape: [3, 4] },
  'layers.0.bias': [0.5, 0.1, 0],
  'layers.2.weight': { data: [1, 0, 0, 0, 0, 0], shape: [2, 3] },
  'layers.2.bias': [0, 0],
};

describe('formatReport', () => {
  it('prints one aligned row per parameter, then the total', async () => {
    expect(formatReport(await sparsityReport(host))).toBe(
      [
        'parameter             shape   params  non-zeros  sparsity  hoyer   gini  dead out/in  zero rows/cols  dense    CSR  compacted  MACs dense  MACs sparse',
        '--------------------  ------  ------  ---------  --------  -----  -----  -----------  --------------  -----  -----  ---------  ----------  -----------',
        'layers.0.weight       [3, 4]      12          4     66.7%  0.665  0.750        1 / 2   33.3% / 50.0%   48 B   48 B       16 B          12            4',
        'layers.0.bias         [3]          3          2     33.3%  0.759  0.556            -               -   12 B   24 B        8 B           0            0',
        'layers.2.weight       [2, 3]       6          1     83.3%  1.000  0.833        1 / 2   50.0% / 66.7%   24 B   20 B        4 B           6            1',
        'layers.2.bias         [2]          2          0    100.0%  1.000  0.500            -               -    8 B    8 B        4 B           0            0',
        '--------------------  ------  ------  ---------  --------  -----  -----  -----------  --------------  -----  -----  ---------  ----------  -----------',
        'total (4 parameters)              23          7     69.6%  0.717  0.828        2 / 4   40.0% / 57.1%   92 B  100 B       32 B          18            5',
      ].join('\n'),
    );
  });

  it('uses thousands separators and binary units for a real layer, and notes the tolerance', async () => {
    const w = new Float32Array(128 * 784).map((_, i) => (i % 10 === 0 ? 1 : 1e-4));
    const text = formatReport(await sparsityReport({ 'fc1.weight': { data: w, shape: [128, 784] } }, { tol: 1e-3 }));
    const lines = text.split('\n');
    expect(lines[2]).toContain('100,352');
    expect(lines[2]).toContain('392.0 KiB');
    expect(lines[2]).toContain('78.9 KiB'); // 10,036 × 8 + 129 × 4 bytes
    expect(lines.at(-1)).toBe('(|x| <= 0.001 counted as zero)');
    // Every table line has the same width: the last column is right-aligned.
    const widths = new Set(lines.slice(0, -1).map((l) => l.length));
    expect(widths.size).toBe(1);
  });

  it('rejects what is not a report', () => {
    expect(() => formatReport({} as never)).toThrow(
      new ValueError('formatReport', 'report must be the result of sparsityReport(), got object {}'),
    );
  });
});
