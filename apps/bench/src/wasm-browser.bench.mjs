// @sparsekit/tensor's wasm runtime against TensorFlow.js-wasm 4.22 in Chromium (the page is
// src/browser/wasm-page.ts), on 1 and 2 threads each: ours with its Worker pool over shared
// memory (the page is cross-origin isolated) and the FMA build where relaxed SIMD validates,
// tfjs with setThreadsCount on its threaded SIMD build. Same page, same run; ratios > 1 mean
// SparseKit is faster. Skipped (exit 0) where there is no Chromium (CHROMIUM_PATH).
// Results: bench-results/wasm-browser.json.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ISOLATION_HEADERS } from '../../../tools/chromium.mjs';
import { fmt, table, writeResults } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const MARK = '__SPARSEKIT_BENCH__';
if (!existsSync(CHROMIUM_PATH)) {
  console.log(`wasm-browser bench: no Chromium at ${CHROMIUM_PATH}; skipped`);
  process.exit(0);
}
// esbuild and playwright-core are the tensor package's dev dependencies (its browser runner's)
const tensorRequire = createRequire(new URL('../../../packages/tensor/package.json', import.meta.url));
const esbuild = tensorRequire('esbuild');
const { chromium } = tensorRequire('playwright-core');
const require = createRequire(import.meta.url);
const tfjsWasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

const built = await esbuild.build({
  entryPoints: [join(here, 'browser', 'wasm-page.ts')],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});
const pageJs = built.outputFiles[0].contents;
const html =
  '<!doctype html><meta charset="utf-8"><title>wasm bench</title><script type="module" src="/page.js"></script>';

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  // cross-origin isolation: SharedArrayBuffer, so both sides may run threads
  const headers = { ...ISOLATION_HEADERS, 'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store' };
  let body;
  let type = 'text/javascript';
  if (path === '/' || path === '/index.html') [body, type] = [html, 'text/html'];
  else if (path === '/page.js') body = pageJs;
  else if (path.startsWith('/tfjs/') && /^[\w.-]+\.wasm$/.test(path.slice(6))) {
    const file = join(tfjsWasmDist, path.slice(6));
    if (existsSync(file)) [body, type] = [readFileSync(file), 'application/wasm'];
  }
  if (body === undefined) {
    res.writeHead(404, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': type });
  res.end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
const rows = [];
let info = null;
let failed = false;
try {
  for (const threads of [1, 2]) {
    const page = await browser.newPage();
    const done = new Promise((resolve, reject) => {
      page.on('pageerror', (e) => reject(e));
      page.on('console', (msg) => {
        const text = msg.text();
        if (!text.startsWith(MARK)) return;
        const m = JSON.parse(text.slice(MARK.length));
        if (m.kind === 'info') {
          info ??= m;
          console.log(
            `threads ${threads}: ours ${JSON.stringify(m.ours)}, crossOriginIsolated ${m.crossOriginIsolated}`,
          );
        } else if (m.kind === 'row') {
          const { kind, ...r } = m;
          for (const k of Object.keys(r)) if (typeof r[k] === 'number') r[k] = fmt(r[k], k.endsWith('Ms') ? 4 : 2);
          r.threads = `${threads} thread${threads === 1 ? '' : 's'}`;
          rows.push(r);
          console.log(
            `${r.bench} ${r.size} (${r.threads}): ${r.sparsekitMs} ms, tfjs-wasm ${r.tfjs_wasmMs} ms (×${r.ratioVsTfjsWasm})`,
          );
        } else if (m.kind === 'done') resolve();
        else if (m.kind === 'error') reject(new Error(m.message));
      });
    });
    await page.goto(`${base}?threads=${threads}`);
    await Promise.race([
      done,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 300 s')), 300_000)),
    ]);
    await page.close();
  }
} catch (e) {
  failed = true;
  console.error(`wasm-browser bench failed: ${e?.stack ?? e}`);
} finally {
  await browser.close();
  server.close();
}
if (rows.length) {
  console.log(
    `\n${table(rows, ['bench', 'size', 'threads', 'sparsekitMs', 'tfjs_wasmMs', 'sparsekitGflops', 'tfjs_wasmGflops', 'ratioVsTfjsWasm'])}`,
  );
  const file = writeResults('wasm-browser', rows, {
    browser: info?.userAgent,
    ours: 'wasm runtime (FMA build where relaxed SIMD validates), Worker pool on a cross-origin-isolated page',
    peer: 'tfjs-backend-wasm 4.22.0 (XNNPACK, threaded SIMD build, setThreadsCount = threads)',
  });
  console.log(`wrote ${file}`);
}
process.exit(failed ? 1 : 0);
