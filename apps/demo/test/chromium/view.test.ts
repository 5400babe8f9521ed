// The view's pure parts (formatting, colours, layout, the summary lines) against hand-computed
// values, and DemoView driven live by events, then by show() and dispose(), in Chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoEvent, MNIST_METHODS } from '../../src/experiments/types.js';
import {
  batchedSpeedup,
  fixed,
  formatBytes,
  formatLambda,
  inferenceSpeedup,
  percent,
  times,
} from '../../src/view/format.js';
import { colourScale, weightColour, ZERO_RGB } from '../../src/view/heatmap.js';
import { atomGrid } from '../../src/view/images.js';
import { nonZeros } from '../../src/view/lasso-panel.js';
import { batchPosition, lossCurvePoints } from '../../src/view/mnist-panel.js';
import { methodColour } from '../../src/view/palette.js';
import {
  headlineText,
  ksvdText,
  lassoText,
  runDescription,
  SUMMARY_COLUMNS,
  summaryRow,
} from '../../src/view/summary.js';
import { fixtureResults, launchChromium, viewBundle, weights } from '../report-support.js';

describe('formatting', () => {
  it('writes fractions as plain percentages and non-finite values as a dash', () => {
    expect(percent(0.9235)).toBe('92.35');
    expect(percent(0.93214, 1)).toBe('93.2');
    expect(percent(Number.NaN)).toBe('–');
    expect(fixed(1 / 3)).toBe('0.333');
    expect(times(2.5)).toBe('2.50×');
    expect(times(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('writes λ in short scientific form', () => {
    expect(formatLambda(0.002)).toBe('2e-3');
    expect(formatLambda(0.0005)).toBe('5e-4');
    expect(formatLambda(0.0476)).toBe('4.76e-2');
    expect(formatLambda(0)).toBe('0');
    expect(formatLambda(1)).toBe('1');
    expect(formatLambda(25.04)).toBe('25');
    expect(formatLambda(1500)).toBe('1.5e3');
    expect(formatLambda(null)).toBe('–');
  });

  it('writes bytes with binary units', () => {
    expect(formatBytes(800)).toBe('800 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(407_080)).toBe('398 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });

  it('measures the speedup against the faster sparse form', () => {
    const r = fixtureResults().mnist!.methods[1].report;
    expect(inferenceSpeedup(r)).toBe(4 / 1.6);
    expect(inferenceSpeedup({ ...r, inferenceMsCsr: 10, inferenceMsCompacted: 2 })).toBe(2);
    // batches: dense 80 ms, CSR 64 ms, compacted 40 ms
    expect(batchedSpeedup(r)).toBe(2);
  });
});

describe('colours and layout', () => {
  it('gives exact zeros their own colour, distinct from every non-zero weight', () => {
    expect(weightColour(0, 1)).toEqual([...ZERO_RGB]);
    expect(weightColour(1e-30, 1)).toEqual([247, 247, 247]);
    expect(weightColour(-1e-30, 1)).toEqual([247, 247, 247]);
    expect(weightColour(2, 1)).toEqual([178, 24, 43]);
    expect(weightColour(-1, 1)).toEqual([33, 102, 172]);
    expect(weightColour(0.5, 1)).toEqual([213, 136, 145]);
  });

  it('scales colours by the 99th percentile of the non-zero magnitudes', () => {
    const values = [0, 0, ...Array.from({ length: 200 }, (_, i) => (i % 2 ? -1 : 1) * (i + 1))];
    expect(colourScale(values)).toBe(199);
    expect(colourScale([0, 0])).toBe(1);
  });

  it('lays atoms out in a near-square grid with one-pixel gaps', () => {
    expect(atomGrid(128, 8)).toEqual({ columns: 12, rows: 11, width: 12 * 9 + 1, height: 11 * 9 + 1 });
    expect(atomGrid(5, 4)).toEqual({ columns: 3, rows: 2, width: 16, height: 11 });
    expect(atomGrid(1, 8)).toEqual({ columns: 1, rows: 1, width: 10, height: 10 });
  });

  it('places batches on the epoch axis: batch b of 0-based epoch e ends at e + (b + 1)/batches', () => {
    expect(batchPosition(0, 0, 4)).toBe(0.25);
    expect(batchPosition(2, 3, 4)).toBe(3);
    expect(lossCurvePoints([3, 2, 1, 0.5], 2)).toEqual([
      { x: 0.5, y: 3 },
      { x: 1, y: 2 },
      { x: 1.5, y: 1 },
      { x: 2, y: 0.5 },
    ]);
  });

  it('plots only the non-zero Lasso coefficients, at their feature index', () => {
    expect(nonZeros([0, 1.9, 0, -0.95, 0])).toEqual([
      { x: 1, y: 1.9 },
      { x: 3, y: -0.95 },
    ]);
    expect(nonZeros([0, 0])).toEqual([]);
  });

  it('gives each of the ten methods its own colour', () => {
    expect(new Set(MNIST_METHODS.map(methodColour)).size).toBe(MNIST_METHODS.length);
  });
});

describe('summary lines', () => {
  const results = fixtureResults();
  it('fills one row per method under the table headings', () => {
    const row = summaryRow(results.mnist!.methods[1]);
    expect(row).toHaveLength(SUMMARY_COLUMNS.length);
    expect(row).toEqual([
      'Proximal Adam (L1)',
      '2e-3',
      '94.45',
      '93.2',
      '0.666',
      '0.866',
      '398 KiB',
      '54.5 KiB',
      '398 KiB',
      '2.50×',
      '2.00×',
    ]);
  });

  it('states the headline, met or not', () => {
    expect(headlineText(results.mnist!)).toBe(
      'Headline: Proximal Adam (L1) keeps 93.2% of the weights exactly zero at 94.45% test accuracy ' +
        '(dense Adam 95.12%); its sparse form infers 2.50× as fast as its dense form — target met.',
    );
    const slow = { ...results.mnist!, headline: { ...results.mnist!.headline, met: false } };
    expect(headlineText(slow)).toMatch(/— target not met \(no faster than dense\)\.$/);
    const none = { ...results.mnist!, headline: { denseAdamAccuracy: null, best: null, met: false } };
    expect(headlineText(none)).toBe(
      'Headline: no sparse method kept ≥ 90% zeros within 1 point of dense Adam (dense Adam did not run).',
    );
  });

  it('describes the run: backend, seed, MNIST budget and times', () => {
    expect(runDescription(results)).toBe(
      'backend cpu · seed 7 · MNIST: 3 epochs on 8000 / 2000 digits, batch 64 · ' +
        'started 2026-11-25T17:00:00.000Z · finished 2026-11-25T17:03:00.000Z',
    );
    const { mnist: _, ...noMnist } = results;
    expect(runDescription({ ...noMnist, meta: { ...results.meta, finishedAt: null } })).toBe(
      'backend cpu · seed 7 · started 2026-11-25T17:00:00.000Z',
    );
  });

  it('states the K-SVD PSNR gain and the Lasso support', () => {
    expect(ksvdText(results.ksvd!)).toBe(
      'K-SVD: 5 atoms of 4×4, σ = 25: PSNR noisy 20.17 dB → denoised 27.40 dB (+7.23 dB).',
    );
    expect(lassoText(results.lasso!)).toBe(
      'Lasso: 50 × 8, support {1, 4} recovered exactly at α = 5e-2; coefficients 32 B dense, 24 B CSR.',
    );
    expect(lassoText({ ...results.lasso!, recovered: false, foundSupport: [1, 3, 4] })).toContain(
      'support not recovered: true {1, 4}, found {1, 3, 4}',
    );
  });
});

describe('DemoView in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setContent('<!doctype html><html><head></head><body><main id="root"></main></body></html>');
    await page.addScriptTag({ content: viewBundle() });
    await page.evaluate(() => {
      const w = window as unknown as {
        view: unknown;
        SparseKitReport: { DemoView: new (root: HTMLElement, o: object) => unknown };
      };
      w.view = new w.SparseKitReport.DemoView(document.getElementById('root')!, { live: true });
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const send = (events: DemoEvent[]) =>
    page.evaluate((list) => {
      const view = (window as unknown as { view: { handle(e: unknown): void } }).view;
      for (const event of list) view.handle(event);
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }, events);

  const zeroPixels = (id: string) =>
    page.$eval(`[data-testid="${id}"]`, (c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 0) n += 1;
      return n;
    });

  it('updates the charts, heatmaps and table as events arrive', async () => {
    const prox = fixtureResults().mnist!.methods[1];
    await send([
      { type: 'experiment-start', experiment: 'mnist', steps: 8 },
      { type: 'method-start', method: 'prox-adam-l1', label: prox.label, steps: 8 },
      ...[0, 1, 2, 3].map((batch) => ({
        type: 'batch' as const,
        method: 'prox-adam-l1' as const,
        epoch: 0,
        batch,
        batches: 4,
        loss: 2 - batch / 4,
      })),
    ]);
    expect(await page.$eval('[data-testid="status"]', (e) => e.textContent)).toBe('Training Proximal Adam (L1)…');
    expect(await page.$$('[data-testid="final-table"] tbody tr')).toHaveLength(0);

    // An epoch in which a quarter of the first layer died, then one where half did: the zeros appear live.
    const layer = (fraction: number) => weights('layers.0.weight', 8, 12, (i) => i < 96 * fraction);
    await send([{ type: 'epoch', method: 'prox-adam-l1', record: prox.epochs[0], weights: [layer(0.25)] }]);
    expect(await zeroPixels('heatmap-prox-adam-l1-layers.0.weight')).toBe(24);
    await send([{ type: 'epoch', method: 'prox-adam-l1', record: prox.epochs[1], weights: [layer(0.5)] }]);
    expect(await zeroPixels('heatmap-prox-adam-l1-layers.0.weight')).toBe(48);

    await send([{ type: 'method-end', result: prox }]);
    expect(await page.$eval('[data-testid="acc-prox-adam-l1"]', (e) => e.textContent)).toBe('94.45');
    expect(await page.$eval('[data-testid="sparsity-prox-adam-l1"]', (e) => e.textContent)).toBe('93.2');
    // the finished result's own snapshot replaces the live one: every third entry non-zero
    expect(await zeroPixels('heatmap-prox-adam-l1-layers.0.weight')).toBe(64);
    expect(errors).toEqual([]);
  });

  it('keeps table rows in method order whatever order methods finish in', async () => {
    const adam = fixtureResults().mnist!.methods[0];
    await send([{ type: 'method-end', result: adam }]);
    const rows = await page.$$eval('[data-testid="final-table"] tbody tr', (trs) =>
      trs.map((tr) => (tr as HTMLElement).dataset.method),
    );
    expect(rows).toEqual(['adam', 'prox-adam-l1']);
  });

  it('replaces everything on show() and removes it all on dispose()', async () => {
    const results = fixtureResults();
    results.mnist!.methods = [results.mnist!.methods[0]];
    results.meta.interrupted = true;
    await page.evaluate((r) => (window as unknown as { view: { show(r: unknown): void } }).view.show(r), results);
    const rows = await page.$$eval('[data-testid="final-table"] tbody tr', (trs) => trs.length);
    expect(rows).toBe(1);
    expect(await page.$$('[data-testid="final-table"]')).toHaveLength(1);
    expect(await page.$eval('[data-testid="status"]', (e) => e.textContent)).toContain('Interrupted');
    expect(await page.$$('[data-testid="atoms"]')).toHaveLength(1);
    await page.evaluate(() => (window as unknown as { view: { dispose(): void } }).view.dispose());
    expect(await page.$$('[data-testid]')).toHaveLength(0);
    expect(errors).toEqual([]);
  });
});
