// The self-contained report: escaping, what the HTML embeds, and the page itself opened from
// file:// in headless Chromium with every network request refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValueError } from '@sparsekit/tensor';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readViewScript, writeResults } from '../../src/report/files.js';
import { escapeHtml, reportHtml, scriptSafeJson, scriptSafeSource } from '../../src/report/html.js';
import { RESULTS_ELEMENT_ID } from '../../src/report/ids.js';
import { readableJson } from '../../src/report/json.js';
import { ZERO_RGB } from '../../src/view/heatmap.js';
import { atomGrid } from '../../src/view/images.js';
import { fixtureResults, launchChromium, viewBundle } from '../report-support.js';

describe('report HTML', () => {
  it('escapes text for HTML', () => {
    expect(escapeHtml('a < b & "c" > d')).toBe('a &lt; b &amp; &quot;c&quot; &gt; d');
  });

  it('writes inline JSON with every < escaped, and it parses back to the same value', () => {
    const value = { label: '</script><!-- x', n: [1, 2.5] };
    const text = scriptSafeJson(value);
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('breaks </script in a script source and refuses <!--', () => {
    expect(scriptSafeSource('var s = "</script>"; var t = "</SCRIPT>";')).toBe(
      'var s = "<\\/script>"; var t = "<\\/SCRIPT>";',
    );
    expect(() => scriptSafeSource('var s = "<!--";')).toThrow(/<!--/);
  });

  it('embeds Chart.js, the view and the results, and loads nothing from elsewhere', () => {
    const results = fixtureResults();
    const html = reportHtml(results, viewBundle());
    expect(html).toContain('Chart.js v4.6.1');
    expect(html).toContain('SparseKitReport');
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    const json = new RegExp(`<script type="application/json" id="${RESULTS_ELEMENT_ID}">(.*?)</script>`, 's').exec(
      html,
    );
    expect(JSON.parse(json?.[1] ?? 'null')).toEqual(results);
  });

  it('writes results.json with number arrays on one line, parsing back to the same value', () => {
    const results = fixtureResults();
    const text = readableJson(results);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(results)));
    expect(text).toContain('"errorCurve": [30,25,22]');
    expect(text).toMatch(/^ {4}"trueSupport": \[1,4\],$/m);
    expect(readableJson({ a: [{ b: [] }, null], c: undefined, d: {}, e: Number.NaN })).toBe(
      '{\n  "a": [\n    {\n      "b": []\n    },\n    null\n  ],\n  "d": {},\n  "e": null\n}',
    );
  });

  it('fails with the build command when the bundle is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-report-'));
    try {
      await expect(readViewScript(dir)).rejects.toThrow(ValueError);
      await expect(readViewScript(dir)).rejects.toThrow(/pnpm --filter @sparsekit\/demo build/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('report page in Chromium', () => {
  const results = fixtureResults();
  let browser: Browser;
  let page: Page;
  let dir: string;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sk-report-'));
    const written = await writeResults(dir, results, viewBundle());
    expect(JSON.parse(readFileSync(written.json, 'utf8'))).toEqual(results);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url().startsWith('file:') ? route.continue() : route.abort();
    });
    await page.goto(pathToFileURL(written.html).href);
    await page.waitForSelector('[data-testid="final-table"] tbody tr');
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens offline: one request (the file itself) and no script errors', () => {
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^file:/);
    expect(errors).toEqual([]);
  });

  it('draws every chart (non-blank canvases)', async () => {
    for (const id of [
      'chart-loss',
      'chart-accuracy',
      'chart-sparsity',
      'chart-scatter',
      'chart-ksvd-error',
      'chart-lasso',
    ]) {
      const painted = await page.$eval(`[data-testid="${id}"]`, (c) => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
        return n;
      });
      expect(painted, id).toBeGreaterThan(1000);
    }
  });

  it('shows one table row per method with accuracy and sparsity in %', async () => {
    const rows = await page.$$eval('[data-testid="final-table"] tbody tr', (trs) =>
      trs.map((tr) => (tr as HTMLElement).dataset.method),
    );
    expect(rows).toEqual(['adam', 'prox-adam-l1']);
    const text = (id: string) => page.$eval(`[data-testid="${id}"]`, (e) => e.textContent);
    expect(await text('acc-adam')).toBe('95.12');
    expect(await text('sparsity-adam')).toBe('0.0');
    expect(await text('acc-prox-adam-l1')).toBe('94.45');
    expect(await text('sparsity-prox-adam-l1')).toBe('93.2');
    expect(await text('headline')).toContain('Proximal Adam (L1) keeps 93.2% of the weights exactly zero at 94.45%');
    expect(await text('lasso-summary')).toContain('support {1, 4} recovered exactly');
    expect(await text('ksvd-summary')).toContain('PSNR noisy 20.17 dB → denoised 27.40 dB (+7.23 dB)');
  });

  it('paints exact zeros of each weight matrix black, and only those', async () => {
    for (const m of results.mnist?.methods ?? []) {
      for (const w of m.weights) {
        const pixels = await page.$eval(`[data-testid="heatmap-${m.method}-${w.name}"]`, (c) => {
          const canvas = c as HTMLCanvasElement;
          return [
            canvas.width,
            canvas.height,
            ...(canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? []),
          ];
        });
        expect(pixels.slice(0, 2)).toEqual([w.cols, w.rows]);
        const rgba = pixels.slice(2);
        const black = w.values.map((_, i) => rgba.slice(4 * i, 4 * i + 3).every((c, k) => c === ZERO_RGB[k]));
        expect(black).toEqual(w.values.map((v) => v === 0));
      }
    }
  });

  it('draws the images pixel for pixel (clamped to 0–255) and the atom mosaic at its size', async () => {
    const ksvd = results.ksvd!;
    for (const [id, image] of [
      ['image-clean', ksvd.clean],
      ['image-noisy', ksvd.noisy],
      ['image-denoised', ksvd.denoised],
    ] as const) {
      const gray = await page.$eval(`[data-testid="${id}"]`, (c) => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        return Array.from({ length: data.length / 4 }, (_, i) => data[4 * i]);
      });
      expect(gray).toEqual(image.pixels.map((v) => Math.max(0, Math.min(255, Math.round(v)))));
    }
    const size = await page.$eval('[data-testid="atoms"]', (c) => [
      (c as HTMLCanvasElement).width,
      (c as HTMLCanvasElement).height,
    ]);
    const grid = atomGrid(ksvd.atoms, ksvd.patchSize);
    expect(size).toEqual([grid.width, grid.height]);
  });
});
