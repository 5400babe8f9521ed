// Grey images and dictionary atoms drawn into 2-D canvases through ImageData.
import type { GrayImageData } from '../experiments/types.js';

function putGray(canvas: HTMLCanvasElement, width: number, height: number, gray: (i: number) => number): void {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context || width === 0 || height === 0) return;
  const image = context.createImageData(width, height);
  for (let i = 0; i < width * height; i += 1) {
    const v = Math.max(0, Math.min(255, Math.round(gray(i))));
    image.data[4 * i] = v;
    image.data[4 * i + 1] = v;
    image.data[4 * i + 2] = v;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/** Draws a grey image (0–255, clamped) at one canvas pixel per image pixel. */
export function drawGray(canvas: HTMLCanvasElement, image: GrayImageData): void {
  putGray(canvas, image.width, image.height, (i) => image.pixels[i]);
}

/** Grid geometry of an atom mosaic: columns and rows of tiles, and its size in pixels with 1-pixel gaps. */
export function atomGrid(
  atoms: number,
  patchSize: number,
): { columns: number; rows: number; width: number; height: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(atoms)));
  const rows = Math.max(1, Math.ceil(atoms / columns));
  return { columns, rows, width: columns * (patchSize + 1) + 1, height: rows * (patchSize + 1) + 1 };
}

/**
 * Draws a dictionary (atom-major, `atoms × patchSize²`) as a mosaic of `patchSize × patchSize`
 * tiles, each atom scaled by its own largest |value| around mid grey (zero is grey 128), on a
 * white grid.
 */
export function drawAtoms(
  canvas: HTMLCanvasElement,
  dictionary: readonly number[],
  atoms: number,
  patchSize: number,
): void {
  const { columns, width, height } = atomGrid(atoms, patchSize);
  const area = patchSize * patchSize;
  const scales = Array.from({ length: atoms }, (_, a) => {
    let max = 0;
    for (let k = 0; k < area; k += 1) max = Math.max(max, Math.abs(dictionary[a * area + k] ?? 0));
    return max > 0 ? max : 1;
  });
  putGray(canvas, width, height, (i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    const tileX = Math.floor((x - 1) / (patchSize + 1));
    const tileY = Math.floor((y - 1) / (patchSize + 1));
    const px = (x - 1) % (patchSize + 1);
    const py = (y - 1) % (patchSize + 1);
    const atom = tileY * columns + tileX;
    if (x === 0 || y === 0 || px === patchSize || py === patchSize || atom >= atoms) return 255;
    return 128 + (127 * (dictionary[atom * area + py * patchSize + px] ?? 0)) / scales[atom];
  });
}
