// The web page's offline data, generated at build time from the npm packages the CLI reads
// (through the CLI's own loaders, src/node/data.ts) and written to web/generated/ (gitignored).
// vite.config.ts runs it before every build and dev start; the page imports the files by URL,
// so Vite fingerprints them and copies them into dist-web/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { centerCrop } from '../src/experiments/ksvd.js';
import { loadBoats, loadDigits } from '../src/node/data.js';
import {
  balancedSubset,
  encodeDigits,
  encodeImage,
  WEB_ASSET_FILES,
  WEB_DIGITS_PER_CLASS,
  WEB_IMAGE_SIDE,
} from '../web/assets.js';

/** What {@link makeWebAssets} wrote. */
export interface WebAssetsSummary {
  digits: number;
  imageWidth: number;
  imageHeight: number;
  bytes: number;
}

/**
 * Writes the digits subset (the first {@link WEB_DIGITS_PER_CLASS} of each class in the
 * `mnist` package's order) and the centred {@link WEB_IMAGE_SIDE}² boats crop into `outDir`.
 */
export function makeWebAssets(outDir: string): WebAssetsSummary {
  mkdirSync(outDir, { recursive: true });
  const subset = balancedSubset(loadDigits(), WEB_DIGITS_PER_CLASS);
  const crop = centerCrop(loadBoats(), WEB_IMAGE_SIDE);
  const digits = encodeDigits(subset);
  const image = encodeImage(crop);
  writeFileSync(join(outDir, WEB_ASSET_FILES.digits), digits);
  writeFileSync(join(outDir, WEB_ASSET_FILES.image), image);
  return {
    digits: subset.n,
    imageWidth: crop.width,
    imageHeight: crop.height,
    bytes: digits.byteLength + image.byteLength,
  };
}
