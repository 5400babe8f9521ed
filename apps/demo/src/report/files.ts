// The results directory on disk: results.json (every number) and the self-contained report.html.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValueError } from '@sparsekit/tensor';
import type { DemoResults } from '../experiments/types.js';
import { reportHtml } from './html.js';
import { VIEW_BUNDLE_FILE } from './ids.js';
import { readableJson } from './json.js';

/**
 * Reads the report's script bundle (Chart.js and the view, built by tsup) from `dir`, the
 * folder of the built CLI. Fails with the command to run when it has not been built.
 */
export async function readViewScript(dir: URL | string): Promise<string> {
  const folder = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const path = join(folder, VIEW_BUNDLE_FILE);
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new ValueError(
      'readViewScript',
      `dir: expected the built report bundle ${path}; got no such file (run \`pnpm --filter @sparsekit/demo build\`)`,
    );
  }
}

/** Where a results directory's files went. */
export interface WrittenResults {
  json: string;
  html: string;
}

/** Writes `results.json` and `report.html` into `dir` (created if needed). */
export async function writeResults(dir: string, results: DemoResults, viewScript: string): Promise<WrittenResults> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'results.json');
  const html = join(dir, 'report.html');
  await writeFile(json, `${readableJson(results)}\n`);
  await writeFile(html, reportHtml(results, viewScript));
  return { json, html };
}
