#!/usr/bin/env node
/**
 * The demo's web page, tested as a person would use it: the BUILT page (dist-web/, from
 * `vite build`) served with the cross-origin-isolation headers, opened in Debian's headless
 * Chromium through playwright-core, a short run started with the Start button, its charts,
 * final table and images checked, and screenshots saved.
 *
 *   node test/e2e/web.mjs [--out=test-results/web-e2e.json] [--shots=../../.ci/out/demo-web]
 *                         [--backends=webgl2,webgpu] [--timeout=180] [--chromium=/usr/bin/chromium]
 *
 * Cases: a link with invalid parameters shows its error; on each backend in --backends, a
 * short MNIST + K-SVD run whose backend indicator must name that backend, with sane numbers
 * (accuracy above chance, sparsity reported, proximal Adam's sparsity above zero) and charts
 * that drew; `auto` picks WebGPU where an adapter answers; Stop ends a run with what finished.
 * Every request must stay on the page's origin (the page works offline once built).
 *
 * Writes a vitest-compatible JSON report (what .ci/summarize.mjs reads for a `vitest` lane),
 * rewritten after every case with the cases not run yet counted as failed, so a lane killed
 * mid-way still reports honestly. Exit status 0 only when every case passed.
 *
 * Environment: CHROMIUM_PATH, SPARSEKIT_DEMO_WEB_BACKENDS, SPARSEKIT_BROWSER_VERBOSE=1 (echo
 * the page's console).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ISOLATION_HEADERS } from '../../../../tools/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const demoRoot = resolve(here, '../..');
const repoRoot = resolve(demoRoot, '../..');

function arg(name, fallback) {
  const hit = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!hit) return fallback;
  const eq = hit.indexOf('=');
  return eq < 0 ? 'true' : hit.slice(eq + 1);
}

const outFile = resolve(process.cwd(), arg('out', join(demoRoot, 'test-results/web-e2e.json')));
const shotsDir = resolve(process.cwd(), arg('shots', join(repoRoot, '.ci/out/demo-web')));
const backends = arg('backends', process.env.SPARSEKIT_DEMO_WEB_BACKENDS || 'webgl2,webgpu')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const caseTimeoutS = Number(arg('timeout', '180'));
const chromiumPath = arg('chromium', CHROMIUM_PATH);
const verbose = process.env.SPARSEKIT_BROWSER_VERBOSE === '1';
const distDir = join(demoRoot, 'dist-web');

/** The short run every backend case starts: two methods, one epoch, a tiny K-SVD. */
const SHORT_RUN = {
  experiments: 'mnist,ksvd',
  methods: 'adam,prox-adam-l1',
  epochs: '1',
  train: '500',
  test: '200',
  'ksvd.imageSize': '32',
  'ksvd.atoms': '16',
  'ksvd.sparsity': '2',
  'ksvd.iterations': '2',
  'ksvd.trainingPatches': '200',
};

/** The charts that take points during a run (the scatter takes one per finished method). */
const LIVE_CHARTS = ['chart-loss', 'chart-accuracy', 'chart-sparsity'];

const log = (s) => process.stdout.write(`${s}\n`);

class CheckError extends Error {}
/** Fails the case with `message` unless `ok`. */
function check(ok, message) {
  if (!ok) throw new CheckError(message);
}

// ---- the server: dist-web/ with cross-origin isolation -------------------------------
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.bin': 'application/octet-stream',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

function serve(root) {
  const server = createServer((req, res) => {
    const headers = { ...ISOLATION_HEADERS, 'Cache-Control': 'no-store' };
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

// ---- page helpers -------------------------------------------------------------------------

/** Opens the page at `query` and records requests to other origins and page errors. */
async function open(browser, baseUrl, query, label) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const foreign = [];
  const errors = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(baseUrl) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (verbose) log(`  [${label} console.${m.type()}] ${m.text()}`);
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  await page.goto(`${baseUrl}/index.html${query ? `?${new URLSearchParams(query)}` : ''}`, {
    waitUntil: 'load',
    timeout: 60_000,
  });
  return { page, foreign, errors };
}

/** The page's own state object (web/main.ts's `window.__sparsekitDemo`). */
const pageState = (page) => page.evaluate(() => window.__sparsekitDemo);

/** Waits until the page's run state is one of `states`; fails on a run error. */
async function waitForState(page, states, timeoutMs) {
  const handle = await page.waitForFunction(
    (wanted) => {
      const s = window.__sparsekitDemo;
      return s && (wanted.includes(s.state) || s.state === 'error') ? s.state : false;
    },
    states,
    { timeout: timeoutMs, polling: 250 },
  );
  const state = await handle.jsonValue();
  if (state === 'error') throw new CheckError(`the run failed: ${(await pageState(page)).error}`);
  return state;
}

/**
 * Pixels of the canvas with `testid` that carry data: `colour` counts saturated pixels (a
 * chart's series; its axes and grid are grey), `ink` counts any non-white opaque pixel (grey
 * images). -1 when there is no such canvas.
 */
function drawnPixels(page, testid, mode) {
  return page.evaluate(
    ([id, colour]) => {
      const canvas = document.querySelector(`[data-testid="${id}"]`);
      if (!(canvas instanceof HTMLCanvasElement) || canvas.width === 0 || canvas.height === 0) return -1;
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        if (a === 0) continue;
        if (colour ? Math.max(r, g, b) - Math.min(r, g, b) > 60 : r < 250 || g < 250 || b < 250) n++;
      }
      return n;
    },
    [testid, mode === 'colour'],
  );
}

/** Lets the page paint twice (Chart.js draws on animation frames). */
const settle = (page) =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/** Polls a chart until it has more than `floor` coloured pixels or `ms` pass; the last count. */
async function drawnPixelsAbove(page, id, floor, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const n = await drawnPixels(page, id, 'colour');
    if (n > floor || Date.now() > end) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The number in the element with `testid` (the final table's cells hold plain percentages). */
async function numberIn(page, testid) {
  const text = await page.locator(`[data-testid="${testid}"]`).first().textContent({ timeout: 5000 });
  const value = Number.parseFloat(String(text).replace(/[^\d.eE+-]/g, ''));
  check(Number.isFinite(value), `[data-testid="${testid}"] holds '${text}', not a number`);
  return value;
}

async function screenshot(page, name) {
  mkdirSync(shotsDir, { recursive: true });
  const path = join(shotsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

function noForeignRequests(ctx) {
  check(ctx.foreign.length === 0, `the page fetched from other origins: ${ctx.foreign.slice(0, 5).join(', ')}`);
}

// ---- the cases ----------------------------------------------------------------------------

async function invalidLink(browser, baseUrl) {
  const ctx = await open(browser, baseUrl, { epochs: 'abc', methods: 'adam' }, 'invalid');
  try {
    const error = ctx.page.locator('[data-testid="error"]');
    await error.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await error.textContent();
    check(/epochs/.test(text) && /abc/.test(text), `the error names neither the parameter nor its value: '${text}'`);
    check(await ctx.page.locator('[data-testid="start"]').isDisabled(), 'Start is enabled under an invalid link');
    await screenshot(ctx.page, 'invalid-link');
    // A fixed field makes the setup valid again, and the URL then carries it.
    await ctx.page.locator('[data-testid="input-epochs"]').fill('2');
    await ctx.page.locator('[data-testid="input-epochs"]').dispatchEvent('change');
    check(!(await ctx.page.locator('[data-testid="start"]').isDisabled()), 'Start stays disabled after the fix');
    const search = new URL(ctx.page.url()).searchParams;
    check(search.get('epochs') === '2', `the URL did not take the fixed value: ${ctx.page.url()}`);
    check(search.get('methods') === 'adam', `the link's valid 'methods=adam' was lost: ${ctx.page.url()}`);
    noForeignRequests(ctx);
    return { error: text };
  } finally {
    await ctx.page.close();
  }
}

async function shortRun(browser, baseUrl, backend) {
  const ctx = await open(browser, baseUrl, { backend, ...SHORT_RUN }, backend);
  const { page } = ctx;
  try {
    check(await page.evaluate(() => globalThis.crossOriginIsolated === true), 'the page is not cross-origin isolated');
    await page.locator('[data-testid="start"]').click();
    // The charts exist, with only their legend coloured, once the first method starts…
    await page.waitForFunction(() => window.__sparsekitDemo.methods === 0 && window.__sparsekitDemo.events >= 2, null, {
      timeout: caseTimeoutS * 1000,
      polling: 50,
    });
    await settle(page);
    const legendOnly = {};
    for (const id of LIVE_CHARTS) legendOnly[id] = await drawnPixels(page, id, 'colour');
    // …and take points while the worker trains, the page answering all along.
    await page.waitForFunction(
      () => window.__sparsekitDemo.epochs >= 1 || window.__sparsekitDemo.state === 'error',
      null,
      { timeout: caseTimeoutS * 1000, polling: 250 },
    );
    const live = await pageState(page);
    if (live.state === 'error') throw new CheckError(`the run failed: ${live.error}`);
    for (const id of LIVE_CHARTS) {
      // Live charts redraw at most every 250 ms (LIVE_REDRAW_INTERVAL_MS): poll, don't race it.
      const n = await drawnPixelsAbove(page, id, legendOnly[id], 5000);
      check(
        n > legendOnly[id],
        `[data-testid="${id}"] drew no series after the first epoch (${n} coloured pixels, ${legendOnly[id]} with only its legend)`,
      );
    }
    // The weight heatmap of the method in training, zeros and all, after its first epoch.
    const heatmaps = await page
      .locator('[data-testid^="heatmap-adam-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    check(heatmaps.length > 0, 'no live weight heatmap for Adam after its first epoch');
    check((await drawnPixels(page, heatmaps[0], 'colour')) > 0, `[data-testid="${heatmaps[0]}"] is blank`);
    await screenshot(page, `${backend}-running`);
    await waitForState(page, ['done'], caseTimeoutS * 1000);
    const s = await pageState(page);
    const shown = (await page.locator('[data-testid="backend"]').textContent()).trim();
    check(shown === backend, `the backend indicator says '${shown}', expected '${backend}'`);
    check(s.backend?.name === backend, `the worker ran on '${s.backend?.name}', expected '${backend}'`);
    check(s.results.meta.backend === backend, `the results name backend '${s.results.meta.backend}'`);
    // The final table, read as a person would (percentages), against the results behind it.
    const accAdam = await numberIn(page, 'acc-adam');
    const accProx = await numberIn(page, 'acc-prox-adam-l1');
    const spAdam = await numberIn(page, 'sparsity-adam');
    const spProx = await numberIn(page, 'sparsity-prox-adam-l1');
    check(accAdam > 20 && accAdam <= 100, `Adam's test accuracy ${accAdam}% is not above chance`);
    check(accProx > 20 && accProx <= 100, `proximal Adam's test accuracy ${accProx}% is not above chance`);
    check(spAdam >= 0 && spAdam <= 100, `Adam's sparsity ${spAdam}% is not a percentage`);
    check(spProx > 0 && spProx <= 100, `proximal Adam's sparsity ${spProx}% is not above zero`);
    const byMethod = Object.fromEntries(s.results.mnist.methods.map((m) => [m.method, m]));
    check(
      Math.abs(byMethod.adam.testAccuracy * 100 - accAdam) < 0.06,
      `the table's ${accAdam}% differs from the result ${byMethod.adam.testAccuracy}`,
    );
    check(
      Math.abs(byMethod['prox-adam-l1'].sparsity * 100 - spProx) < 0.06,
      `the table's ${spProx}% differs from the result ${byMethod['prox-adam-l1'].sparsity}`,
    );
    await settle(page);
    // Two methods: two legend entries, so a chart with series has more than twice one legend's pixels.
    const oneLegend = legendOnly['chart-loss'];
    for (const id of [...LIVE_CHARTS, 'chart-scatter']) {
      const n = await drawnPixelsAbove(page, id, 2 * oneLegend, 5000);
      check(
        n > 2 * oneLegend,
        `[data-testid="${id}"] shows no series at the end (${n} coloured pixels; one legend entry has ${oneLegend})`,
      );
    }
    for (const id of ['atoms', 'image-noisy', 'image-denoised']) {
      check((await drawnPixels(page, id, 'ink')) > 0, `[data-testid="${id}"] is blank or missing`);
    }
    check(
      (await page.locator('[data-testid^="heatmap-prox-adam-l1-"]').count()) > 0,
      'no weight heatmap for proximal Adam',
    );
    const { psnrNoisy, psnrDenoised } = s.results.ksvd;
    check(psnrDenoised > psnrNoisy, `K-SVD did not denoise: PSNR ${psnrDenoised} dB vs noisy ${psnrNoisy} dB`);
    await screenshot(page, `${backend}-done`);
    noForeignRequests(ctx);
    check(ctx.errors.length === 0, `the page logged errors: ${ctx.errors.slice(0, 3).join(' | ')}`);
    return {
      backend: s.backend,
      fallbacks: s.fallbacks,
      accuracy: { adam: accAdam, 'prox-adam-l1': accProx },
      sparsity: { adam: spAdam, 'prox-adam-l1': spProx },
      psnr: { noisy: psnrNoisy, denoised: psnrDenoised },
      seconds: {
        adam: byMethod.adam.seconds,
        'prox-adam-l1': byMethod['prox-adam-l1'].seconds,
        ksvd: s.results.ksvd.seconds,
      },
    };
  } finally {
    await page.close();
  }
}

async function autoPicksWebgpu(browser, baseUrl) {
  const ctx = await open(browser, baseUrl, { experiments: 'lasso' }, 'auto');
  const { page } = ctx;
  try {
    const hasAdapter = await page.evaluate(async () => Boolean(await navigator.gpu?.requestAdapter()));
    await page.locator('[data-testid="start"]').click();
    await waitForState(page, ['done'], caseTimeoutS * 1000);
    const s = await pageState(page);
    const shown = (await page.locator('[data-testid="backend"]').textContent()).trim();
    const expected = hasAdapter ? 'webgpu' : 'webgl2';
    check(shown === expected, `auto ran on '${shown}', expected '${expected}' (WebGPU adapter: ${hasAdapter})`);
    check(s.results.lasso.recovered === true, 'the Lasso did not recover the true support');
    check((await page.locator('[data-testid="lasso-summary"]').count()) === 1, 'no Lasso summary on the page');
    noForeignRequests(ctx);
    return { backend: s.backend, recovered: s.results.lasso.recovered };
  } finally {
    await page.close();
  }
}

async function stopKeepsFinished(browser, baseUrl) {
  // webgl2 is synchronous, so the stop must come through the shared flag, and slow enough here
  // (SwiftShader) that SGD is still training when Stop is pressed after Adam's end.
  const query = {
    backend: 'webgl2',
    experiments: 'mnist,ksvd',
    methods: 'adam,sgd',
    epochs: '2',
    train: '300',
    test: '100',
  };
  const ctx = await open(browser, baseUrl, query, 'stop');
  const { page } = ctx;
  try {
    await page.locator('[data-testid="start"]').click();
    // Stop during the second method, once the first has finished.
    await page.waitForFunction(
      () => window.__sparsekitDemo.methods >= 1 || window.__sparsekitDemo.state !== 'running',
      null,
      {
        timeout: caseTimeoutS * 1000,
        polling: 50,
      },
    );
    await page.locator('[data-testid="stop"]').click();
    const state = await waitForState(page, ['stopped', 'done'], caseTimeoutS * 1000);
    check(state === 'stopped', `the run ended '${state}' after Stop, expected 'stopped'`);
    const s = await pageState(page);
    check(s.results.meta.interrupted === true, 'the results are not marked interrupted');
    check(s.results.ksvd === undefined, 'K-SVD ran after the stop');
    const finished = (s.results.mnist?.methods ?? []).map((m) => `${m.method}:${m.epochs.length}`);
    check(
      finished.join(',') === 'adam:2',
      `expected Adam's 2 epochs kept and SGD's cut short dropped, got [${finished}]`,
    );
    check((await numberIn(page, 'acc-adam')) > 0, "the final table lacks Adam's accuracy");
    check(!(await page.locator('[data-testid="start"]').isDisabled()), 'Start stays disabled after the stop');
    await screenshot(page, 'stopped');
    return { finished };
  } finally {
    await page.close();
  }
}

// ---- the report ---------------------------------------------------------------------------

const SUITE = 'demo web page';

function writeReport(cases, startTime) {
  const assertionResults = cases.map((c) => ({
    ancestorTitles: [SUITE],
    fullName: `${SUITE} ${c.title}`,
    title: c.title,
    status: c.status,
    duration: c.ms,
    failureMessages: c.error ? [c.error] : [],
    meta: c.detail ?? {},
  }));
  const passed = cases.filter((c) => c.status === 'passed').length;
  const failed = cases.length - passed;
  const report = {
    numTotalTestSuites: 1,
    numTotalTests: cases.length,
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: 0,
    startTime,
    success: failed === 0,
    chromium: chromiumPath,
    args: CHROMIUM_ARGS,
    testResults: [
      {
        name: fileURLToPath(import.meta.url),
        status: failed === 0 ? 'passed' : 'failed',
        startTime,
        endTime: Date.now(),
        message: '',
        assertionResults,
      },
    ],
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(report, null, 2));
}

async function main() {
  const startTime = Date.now();
  const plan = [
    { title: 'a link with an invalid parameter shows its error and disables Start', run: invalidLink },
    ...backends.map((b) => ({
      title: `${b}: a short MNIST + K-SVD run shows live charts, sane numbers and the backend that ran`,
      run: (browser, url) => shortRun(browser, url, b),
    })),
    { title: 'auto runs on WebGPU where an adapter answers', run: autoPicksWebgpu },
    { title: 'Stop ends a run and keeps the methods that finished', run: stopKeepsFinished },
  ];
  const cases = plan.map((p) => ({
    title: p.title,
    status: 'failed',
    error: 'not run: the runner stopped before this case',
    ms: 0,
  }));
  writeReport(cases, startTime);
  let browser;
  let server;
  try {
    check(existsSync(join(distDir, 'index.html')), `no built page at ${distDir} (run 'vite build' in apps/demo)`);
    check(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install -y chromium)`);
    server = await serve(distDir);
    const baseUrl = `http://127.0.0.1:${server.address().port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: 60_000,
    });
    log(`demo web e2e: ${browser.version()}, serving ${distDir} at ${baseUrl}`);
    for (const [i, p] of plan.entries()) {
      const t0 = Date.now();
      try {
        const detail = await p.run(browser, baseUrl);
        cases[i] = { title: p.title, status: 'passed', error: null, ms: Date.now() - t0, detail };
        log(`✓ ${p.title} (${((Date.now() - t0) / 1000).toFixed(1)} s) ${JSON.stringify(detail)}`);
      } catch (e) {
        const error = e instanceof CheckError ? e.message : String(e?.stack ?? e);
        cases[i] = { title: p.title, status: 'failed', error, ms: Date.now() - t0 };
        log(`✗ ${p.title} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n    ${error.split('\n').join('\n    ')}`);
      }
      writeReport(cases, startTime);
    }
  } catch (e) {
    const why = `the runner failed: ${e instanceof CheckError ? e.message : (e?.stack ?? e)}`;
    for (const c of cases) if (c.error?.startsWith('not run')) c.error = `not run: ${why}`;
    log(why);
  } finally {
    if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 15_000))]);
    if (server) server.close();
  }
  writeReport(cases, startTime);
  const passed = cases.filter((c) => c.status === 'passed').length;
  log(`demo web e2e: ${passed} passed, ${cases.length - passed} failed; report ${outFile}, screenshots ${shotsDir}`);
  return passed === cases.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(`demo web e2e crashed: ${e?.stack ?? e}`);
    process.exit(2);
  },
);
