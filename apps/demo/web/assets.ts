// The web page's two static data files and their binary format. The build
// (scripts/make-web-assets.ts, run by the Vite plugin in vite.config.ts) encodes them from the
// same Node loaders the CLI uses; the worker decodes them. No DOM and no node: imports here,
// so the page, the worker, the build script and the tests share this one codec.
import { ValueError } from '@sparsekit/tensor';
import type { Digits, GrayImageData } from '../src/experiments/types.js';

/** Digits of each class the page ships: the first ones of the `mnist` package's order. */
export const WEB_DIGITS_PER_CLASS = 300;
/** Digits the page ships (2.4 MB): a run's train + test sizes must fit in them. */
export const WEB_DIGITS = 10 * WEB_DIGITS_PER_CLASS;
/**
 * Side of the centred boats crop the page ships (float32 pixels, 256 KiB). The experiment
 * crops the centre of what it gets, so an even `ksvd.imageSize` up to this side sees the same
 * pixels on the page as in the CLI (an odd one sits one row higher).
 */
export const WEB_IMAGE_SIDE = 256;
/** The generated files (web/generated/, gitignored), as main.ts imports them. */
export const WEB_ASSET_FILES = { digits: 'digits.bin', image: 'boats.bin' } as const;

/** Side of an MNIST digit; a digit is `DIGIT_SIDE²` pixels. */
const DIGIT_SIDE = 28;
const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
/** Every file starts with a 4-byte magic, then little-endian uint32 fields, padded to 16 bytes. */
const HEADER_BYTES = 16;
const DIGITS_MAGIC = 'SKDG';
const IMAGE_MAGIC = 'SKIM';

function writeHeader(view: DataView, magic: string, a: number, b: number): void {
  for (let i = 0; i < 4; i++) view.setUint8(i, magic.charCodeAt(i));
  view.setUint32(4, a, true);
  view.setUint32(8, b, true);
}

function readHeader(fn: string, bytes: Uint8Array, magic: string): [number, number] {
  if (bytes.byteLength < HEADER_BYTES) {
    throw new ValueError(fn, `bytes: expected at least a ${HEADER_BYTES}-byte header, got ${bytes.byteLength} bytes`);
  }
  const got = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (got !== magic) throw new ValueError(fn, `bytes: expected the magic '${magic}', got '${got}'`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return [view.getUint32(4, true), view.getUint32(8, true)];
}

/**
 * Quantizes a pixel in [0, 1] to a byte. The `mnist` package stores each pixel as k/255
 * rounded to three decimals, so {@link decodeDigits} recovers the exact value (checked on all
 * 10,000 digits); any other value in [0, 1] comes back within 1/510.
 */
function pixelToByte(v: number): number {
  return Math.min(255, Math.max(0, Math.round(v * 255)));
}

/** The inverse of {@link pixelToByte} for the `mnist` package's three-decimal pixels. */
function byteToPixel(q: number): number {
  return Math.round((q / 255) * 1000) / 1000;
}

/**
 * Picks `perClass` digits of each class 0–9, the first ones in `digits`' order, keeping that
 * order: a balanced subset small enough to ship with the page.
 * Throws a ValueError when a class has fewer than `perClass` digits.
 */
export function balancedSubset(digits: Digits, perClass: number): Digits {
  if (!Number.isInteger(perClass) || perClass < 1) {
    throw new ValueError('balancedSubset', `perClass: expected a positive integer, got ${perClass}`);
  }
  const taken = new Array<number>(10).fill(0);
  const rows: number[] = [];
  for (let i = 0; i < digits.n; i++) {
    const label = digits.y[i];
    if (taken[label] < perClass) {
      taken[label]++;
      rows.push(i);
    }
  }
  const short = taken.findIndex((t) => t < perClass);
  if (short >= 0) {
    throw new ValueError(
      'balancedSubset',
      `perClass: expected at most the ${taken[short]} digits of class ${short} there are, got ${perClass}`,
    );
  }
  const x = new Float32Array(rows.length * DIGIT_PIXELS);
  const y = new Float32Array(rows.length);
  rows.forEach((from, to) => {
    x.set(digits.x.subarray(from * DIGIT_PIXELS, (from + 1) * DIGIT_PIXELS), to * DIGIT_PIXELS);
    y[to] = digits.y[from];
  });
  return { n: rows.length, x, y };
}

/** Digits as bytes: header (`SKDG`, n, 784), n × 784 pixel bytes, then n label bytes. */
export function encodeDigits(digits: Digits): Uint8Array {
  if (digits.x.length !== digits.n * DIGIT_PIXELS || digits.y.length !== digits.n) {
    throw new ValueError(
      'encodeDigits',
      `digits: expected x of ${digits.n}×${DIGIT_PIXELS} and y of ${digits.n} values, got ${digits.x.length} and ${digits.y.length}`,
    );
  }
  const bytes = new Uint8Array(HEADER_BYTES + digits.n * (DIGIT_PIXELS + 1));
  writeHeader(new DataView(bytes.buffer), DIGITS_MAGIC, digits.n, DIGIT_PIXELS);
  for (let i = 0; i < digits.x.length; i++) bytes[HEADER_BYTES + i] = pixelToByte(digits.x[i]);
  const labels = HEADER_BYTES + digits.x.length;
  for (let i = 0; i < digits.n; i++) bytes[labels + i] = digits.y[i];
  return bytes;
}

/** The inverse of {@link encodeDigits}; throws a ValueError on a malformed file. */
export function decodeDigits(bytes: Uint8Array): Digits {
  const [n, pixels] = readHeader('decodeDigits', bytes, DIGITS_MAGIC);
  if (pixels !== DIGIT_PIXELS || bytes.byteLength !== HEADER_BYTES + n * (DIGIT_PIXELS + 1)) {
    throw new ValueError(
      'decodeDigits',
      `bytes: expected ${HEADER_BYTES + n * (DIGIT_PIXELS + 1)} bytes for ${n} digits of ${DIGIT_PIXELS} pixels, got ${bytes.byteLength} bytes of ${pixels}-pixel digits`,
    );
  }
  const x = new Float32Array(n * DIGIT_PIXELS);
  for (let i = 0; i < x.length; i++) x[i] = byteToPixel(bytes[HEADER_BYTES + i]);
  const y = new Float32Array(bytes.subarray(HEADER_BYTES + x.length));
  return { n, x, y };
}

/** A grey image as bytes: header (`SKIM`, width, height), then width × height float32 pixels. */
export function encodeImage(image: GrayImageData): Uint8Array {
  if (image.pixels.length !== image.width * image.height) {
    throw new ValueError(
      'encodeImage',
      `image: expected ${image.width}×${image.height} pixels, got ${image.pixels.length}`,
    );
  }
  const bytes = new Uint8Array(HEADER_BYTES + 4 * image.pixels.length);
  const view = new DataView(bytes.buffer);
  writeHeader(view, IMAGE_MAGIC, image.width, image.height);
  image.pixels.forEach((v, i) => view.setFloat32(HEADER_BYTES + 4 * i, v, true));
  return bytes;
}

/** The inverse of {@link encodeImage}; throws a ValueError on a malformed file. */
export function decodeImage(bytes: Uint8Array): GrayImageData {
  const [width, height] = readHeader('decodeImage', bytes, IMAGE_MAGIC);
  if (bytes.byteLength !== HEADER_BYTES + 4 * width * height) {
    throw new ValueError(
      'decodeImage',
      `bytes: expected ${HEADER_BYTES + 4 * width * height} bytes for ${width}×${height} pixels, got ${bytes.byteLength}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixels = new Array<number>(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = view.getFloat32(HEADER_BYTES + 4 * i, true);
  return { width, height, pixels };
}
