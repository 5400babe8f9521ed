import type { Random } from '@sparsekit/tensor';
export interface Image {
  data: Float32Array;
  width: number;
  height: number;
}
export function loadBoats(crop?: { x?: number; y?: number; width?: number; height?: number }): Image;
export function addNoise(image: Image, sigma: number, random: Random): Image;
