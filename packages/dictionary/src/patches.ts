import { describeValue, ShapeError, ValueError } from '@sparsekit/tensor';
import { checkOptionKeys } from './learning.js';
import { checkInteger, type MatrixInput, toMatrix } from './validate.js';

/** A single-channel image: `data` holds `height` rows of `width` pixels, top row first. */
export interface GrayImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

/** Options of {@link extractPatches}. */
export interface PatchOptions {
  /** Side p of the square patches. Default 8. */
  patchSize?: number;
  /** Step between patch origins, in pixels along both axes. Default 1 (every patch). */
  stride?: number;
}

/** Options of {@link reconstructFromPatches}: the geometry the patches were extracted with. */
export interface ReconstructOptions extends PatchOptions {
  width: number;
  height: number;
}

/** A validated image: a private float64 copy. @internal */
export interface HostImage {
  data: Float64Array;
  width: number;
  height: number;
}

/** Validates a {@link GrayImage}: positive integer sizes, width·height finite values. @internal */
export function toImage(op: string, arg: string, image: unknown): HostImage {
  if (image === null || typeof image !== 'object') {
    throw new ValueError(op, `${arg} must be { data, width, height }, got ${describeValue(image)}`);
  }
  const { data, width, height } = image as GrayImage;
  checkInteger(op, `${arg}.width`, width, 1);
  checkInteger(op, `${arg}.height`, height, 1);
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number') {
    throw new ValueError(op, `${arg}.data must be an array-like of numbers, got ${describeValue(data)}`);
  }
  if (data.length !== width * height) {
    throw new ShapeError(
      op,
      `${arg}.data must hold width×height = ${width}×${height} = ${width * height} values, got ${data.length}`,
    );
  }
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ValueError(
        op,
        `${arg}.data must be finite, got ${describeValue(v)} at row ${Math.floor(i / width)}, column ${i % width}`,
      );
    }
    out[i] = v;
  }
  return { data: out, width, height };
}

/**
 * Patch origins along one axis: 0, stride, 2·stride, … and, when the stride does not land
 * on it, the last origin length − p, so every pixel is covered. @internal
 */
export function patchOrigins(length: number, p: number, stride: number): Int32Array {
  const last = length - p;
  const count = Math.floor(last / stride) + 1;
  const extra = (count - 1) * stride === last ? 0 : 1;
  const out = new Int32Array(count + extra);
  for (let i = 0; i < count; i++) out[i] = i * stride;
  if (extra) out[count] = last;
  return out;
}

/** Reads `patchSize` / `stride` against an image's sides. @internal */
export function readPatchGeometry(
  op: string,
  options: PatchOptions,
  width: number,
  height: number,
): { p: number; stride: number } {
  const p = checkInteger(op, 'patchSize', options.patchSize ?? 8, 1);
  if (p > width || p > height) {
    throw new ShapeError(op, `patchSize must fit the image (${width}×${height}), got ${p}`);
  }
  const stride = checkInteger(op, 'stride', options.stride ?? 1, 1);
  return { p, stride };
}

/**
 * The square patches of an image as the rows of a matrix (nPatches × patchSize², each patch
 * row-major), origins every `stride` pixels along both axes in raster order (the last row
 * and column of origins flush with the border, so every pixel is covered). With stride 1 it
 * is scikit-learn's `extract_patches_2d` with every patch; the rows are the signals of
 * patch-based dictionary learning (Elad & Aharon 2006).
 *
 * @example
 * const P = extractPatches({ data, width: 64, height: 48 }, { patchSize: 8, stride: 4 });
 * P.shape; // [nPatches, 64]
 */
export function extractPatches(
  image: GrayImage,
  options: PatchOptions = {},
): { data: Float32Array; shape: [number, number] } {
  const op = 'extractPatches';
  checkOptionKeys(op, options, ['patchSize', 'stride']);
  const img = toImage(op, 'image', image);
  const { p, stride } = readPatchGeometry(op, options, img.width, img.height);
  const rows = patchOrigins(img.height, p, stride);
  const cols = patchOrigins(img.width, p, stride);
  const d = p * p;
  const out = new Float32Array(rows.length * cols.length * d);
  let o = 0;
  for (const r of rows) {
    for (const c of cols) {
      for (let y = 0; y < p; y++) {
        const src = (r + y) * img.width + c;
        for (let x = 0; x < p; x++) out[o++] = img.data[src + x]!;
      }
    }
  }
  return { data: out, shape: [rows.length * cols.length, d] };
}

/** Index of the top-left pixel of patch `idx` (raster order over the origins). @internal */
export function patchCorner(idx: number, rows: Int32Array, cols: Int32Array, width: number): number {
  return rows[Math.floor(idx / cols.length)]! * width + cols[idx % cols.length]!;
}

/**
 * Adds every patch back at its origin into `sum` and counts the patches covering each pixel
 * in `weight` (the shared scatter of reconstruction and denoising). @internal
 */
export function scatterPatches(
  patches: ArrayLike<number>,
  first: number,
  count: number,
  rows: Int32Array,
  cols: Int32Array,
  p: number,
  width: number,
  sum: Float64Array,
  weight: Float64Array,
): void {
  const d = p * p;
  for (let q = 0; q < count; q++) {
    const corner = patchCorner(first + q, rows, cols, width);
    const po = q * d;
    for (let y = 0; y < p; y++) {
      const dst = corner + y * width;
      for (let x = 0; x < p; x++) {
        sum[dst + x] += patches[po + y * p + x]!;
        weight[dst + x]! += 1;
      }
    }
  }
}

/**
 * The image back from its patches (the inverse of {@link extractPatches} with the same
 * geometry): each pixel is the average of the patch values that cover it, so patches cut
 * from an image give that image back exactly, and processed (e.g. denoised) patches are
 * blended where they overlap. Needs `stride ≤ patchSize` so every pixel is covered.
 */
export function reconstructFromPatches(
  patches: MatrixInput,
  options: ReconstructOptions,
): { data: Float32Array; width: number; height: number } {
  const op = 'reconstructFromPatches';
  checkOptionKeys(op, options, ['patchSize', 'stride', 'width', 'height']);
  const width = checkInteger(op, 'width', options.width, 1);
  const height = checkInteger(op, 'height', options.height, 1);
  const { p, stride } = readPatchGeometry(op, options, width, height);
  if (stride > p)
    throw new ValueError(op, `stride must be <= patchSize (${p}) so every pixel is covered, got ${stride}`);
  const P = toMatrix(op, 'patches', patches);
  const rows = patchOrigins(height, p, stride);
  const cols = patchOrigins(width, p, stride);
  if (P.rows !== rows.length * cols.length || P.cols !== p * p) {
    throw new ShapeError(
      op,
      `patches must be ${rows.length * cols.length}×${p * p} for a ${width}×${height} image with patchSize ${p} and stride ${stride}, got ${P.rows}×${P.cols}`,
    );
  }
  const sum = new Float64Array(width * height);
  const weight = new Float64Array(width * height);
  scatterPatches(P.data, 0, P.rows, rows, cols, p, width, sum, weight);
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = sum[i]! / weight[i]!;
  return { data: out, width, height };
}
