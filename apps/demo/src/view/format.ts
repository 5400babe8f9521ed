// Number formatting shared by the CLI's table and the browser view, so both faces print the
// same figures. Pure functions: no DOM, no Node.

/** A fraction (0–1) as a percentage with `digits` decimals and no sign: `0.9235 → "92.35"`. */
export function percent(fraction: number, digits = 2): string {
  return Number.isFinite(fraction) ? (fraction * 100).toFixed(digits) : '–';
}

/**
 * A λ in short form: three significant digits, plain from 1 to 999 (`1`, `25`), scientific
 * otherwise (`0.002 → "2e-3"`), or `–` for a method without one.
 */
export function formatLambda(lambda: number | null): string {
  if (lambda === null || !Number.isFinite(lambda)) return '–';
  if (lambda === 0) return '0';
  const [mantissa, exponent] = lambda.toExponential(2).split('e');
  const power = Number(exponent);
  if (power >= 0 && power < 3) return String(Number(lambda.toPrecision(3)));
  return `${Number(mantissa)}e${power}`;
}

/** A byte count with a binary unit: `1536 → "1.5 KiB"`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** A plain number with `digits` decimals, or `–` when it is not finite. */
export function fixed(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** A ratio as `2.6×`, or `–` when it is not finite. */
export function times(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
}

// The speed-ups live with the experiments (one definition, shared with the headline).
export { batchedSpeedup, inferenceSpeedup } from '../experiments/speedup.js';
