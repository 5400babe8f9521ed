// Weight matrices as images: one pixel per entry, a diverging blue (negative) / red (positive)
// scale for non-zero weights, and black for entries that are exactly zero, so the zeros a
// sparse optimizer makes stand out from weights that are merely small.
import type { WeightSnapshot } from '../experiments/types.js';

/** RGB of an exactly-zero weight. */
export const ZERO_RGB: readonly [number, number, number] = [0, 0, 0];
const SMALL_RGB = [247, 247, 247] as const;
const NEGATIVE_RGB = [33, 102, 172] as const;
const POSITIVE_RGB = [178, 24, 43] as const;

/**
 * The magnitude mapped to full colour: the 99th percentile of the non-zero |w| (so a few
 * outliers do not wash the rest out), or 1 when every entry is zero.
 */
export function colourScale(values: readonly number[]): number {
  const magnitudes: number[] = [];
  for (const v of values) if (v !== 0 && Number.isFinite(v)) magnitudes.push(Math.abs(v));
  if (magnitudes.length === 0) return 1;
  magnitudes.sort((a, b) => a - b);
  return magnitudes[Math.min(magnitudes.length - 1, Math.floor(0.99 * magnitudes.length))];
}

/** The RGB of a weight on a scale where `scale` is full colour; exact zero is {@link ZERO_RGB}. */
export function weightColour(value: number, scale: number): [number, number, number] {
  if (value === 0) return [...ZERO_RGB];
  const t = Math.min(1, Math.abs(value) / scale);
  const end = value < 0 ? NEGATIVE_RGB : POSITIVE_RGB;
  return [0, 1, 2].map((c) => Math.round(SMALL_RGB[c] + (end[c] - SMALL_RGB[c]) * t)) as [number, number, number];
}

/** Draws a weight snapshot into `canvas`, resizing its backing store to `cols × rows`. */
export function drawWeights(canvas: HTMLCanvasElement, snapshot: WeightSnapshot): void {
  const { rows, cols, values } = snapshot;
  canvas.width = cols;
  canvas.height = rows;
  const context = canvas.getContext('2d');
  if (!context || rows === 0 || cols === 0) return;
  const image = context.createImageData(cols, rows);
  const scale = colourScale(values);
  for (let i = 0; i < rows * cols; i += 1) {
    const [r, g, b] = weightColour(values[i] ?? 0, scale);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}
