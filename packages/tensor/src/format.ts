import { formatShape } from './errors.js';

// PyTorch's print options: summarise past 1000 elements, showing 3 items at each end of every
// dimension; 4 decimals in fixed notation, scientific when the magnitudes span too far.
const THRESHOLD = 1000;
const EDGE = 3;
const DECIMALS = 4;
const PREFIX = 'Tensor(';

/** The indices shown along a dimension of length n: all, or the edges around a gap (-1). */
function shown(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE }, (_, i) => i), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
}

/** One number formatter for every value shown, so columns line up (NumPy's and PyTorch's rule). */
function numberFormat(values: number[]): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const special = (v: number): string | null =>
    Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : null;
  if (finite.every((v) => Number.isInteger(v) && Math.abs(v) < 1e8)) {
    return (v) => special(v) ?? (Object.is(v, -0) ? '-0' : String(v));
  }
  const mags = finite.map(Math.abs).filter((v) => v !== 0);
  const big = mags.length ? Math.max(...mags) : 0;
  const small = mags.length ? Math.min(...mags) : 0;
  const scientific = big >= 1e8 || small < 1e-4 || (small > 0 && big / small >= 1e3 && big >= 1e3);
  return (v) => special(v) ?? (scientific ? v.toExponential(DECIMALS) : v.toFixed(DECIMALS));
}

/**
 * NumPy/PyTorch-style text of a row-major float32 array of `shape`:
 * `Tensor([[1, 2],\n        [3, 4]], shape=[2, 2])`, summarised with `...` past 1000 elements.
 * @internal
 */
export function formatValues(data: Float32Array, shape: readonly number[]): string {
  const tail = `, shape=${formatShape(shape)})`;
  if (shape.length === 0) return `${PREFIX}${numberFormat([data[0]])(data[0])}${tail}`;
  if (data.length === 0) return `${PREFIX}[]${tail}`;
  const summarise = data.length > THRESHOLD;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, n) => p * n, 1));
  const picks = shape.map((n) => shown(n, summarise));
  // Collect the shown values first: they fix the common format and column width.
  const values: number[] = [];
  const gather = (d: number, offset: number): void => {
    for (const i of picks[d]) {
      if (i < 0) continue;
      if (d === shape.length - 1) values.push(data[offset + i]);
      else gather(d + 1, offset + i * strides[d]);
    }
  };
  gather(0, 0);
  const fmt = numberFormat(values);
  const width = Math.max(...values.map((v) => fmt(v).length));
  const render = (d: number, offset: number): string => {
    const last = d === shape.length - 1;
    const parts = picks[d].map((i) => {
      if (i < 0) return last ? '...'.padStart(width) : '...';
      return last ? fmt(data[offset + i]).padStart(width) : render(d + 1, offset + i * strides[d]);
    });
    if (last) return `[${parts.join(', ')}]`;
    // Rows of a matrix on their own lines; blocks of higher dimensions apart by blank lines.
    const gap = '\n'.repeat(shape.length - 1 - d);
    return `[${parts.join(`,${gap}${' '.repeat(PREFIX.length + d + 1)}`)}]`;
  };
  return `${PREFIX}${render(0, 0)}${tail}`;
}

/** The text of a tensor whose values cannot be shown, with the reason. @internal */
export function formatWithout(reason: string, shape: readonly number[]): string {
  return `${PREFIX}<${reason}>, shape=${formatShape(shape)})`;
}
