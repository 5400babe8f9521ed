#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
/**
 * Runs the backend-parity suite (test/parity/cases.ts) in headless Chromium on WebGL2,
 * WebGPU and SparseKit's `wasm` backend, the last three times: with a Worker pool over shared
 * memory, with the non-shared single-thread build, and chosen by `initBackend('auto')` in a
 * browser without WebGL and WebGPU.
 *
 *   node test/browser/run.mjs [--backends=webgl2,webgpu,wasm,wasm-single,wasm-auto]
 *                             [--out=test-results/browser.json] [--timeout=420]
 *                             [--chromium=/usr/bin/chromium]
 *
 * Lanes (LANES below): `webgl2`, `webgpu` and `wasm` run on a cross-origin-isolated page;
 * `wasm-single` runs `wasm` on a page served without COOP/COEP, where SharedArrayBuffer does
 * not exist; `wasm-auto` asks for `'auto'` in a second Chromium started with `--disable-3d-apis`
 * and no WebGPU adapter, and must get `wasm`. The wasm lanes tell the page which thread path it
 * must take (test/browser/wasm-checks.ts).
 *
 * 1. bundles test/browser/entry.ts (and worker-entry.ts, a module Worker's program) with
 *    esbuild for the browser (gpu.js resolves to its `browser` build, dist/gpu-browser.js);
 * 2. serves it from memory on 127.0.0.1, with COOP/COEP headers (cross-origin isolation, so
 *    WebAssembly threads may share memory) unless the page URL says `isolated=0`;
 * 3. drives the system Chromium through playwright-core (never `playwright install`), one
 *    fresh page per lane, `index.html?backend=<name>…`;
 * 4. prints every failure and writes a JSON summary (passed / failed per lane).
 *
 * A backend that fails to start, a page that crashes and a suite that runs past its time
 * limit all count their unfinished cases as failed. Exit status: 0 only when every case on
 * every backend passed.
 *
 * Environment: SPARSEKIT_BROWSER_BACKENDS, SPARSEKIT_BROWSER_TIMEOUT_S, CHROMIUM_PATH,
 * SPARSEKIT_BROWSER_VERBOSE=1 (echo the page's console).
 */
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ISOLATION_HEADERS } from '../../../../tools/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = resolve(here, '../..');

function arg(name, fallback) {
  const hit = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!hit) return fallback;
  const eq = hit.indexOf('=');
  return eq < 0 ? 'true' : hit.slice(eq + 1);
}

/**
 * What each lane's page selects (`backend`, passed to initBackend), whether the page is
 * cross-origin isolated, the page's extra query, and whether the browser has its GPU APIs
 * (`gpu: false` runs in a second Chromium with WebGL and WebGPU off). A name not listed is a
 * backend on an isolated page with GPU APIs.
 */
const LANES = {
  wasm: { backend: 'wasm', isolated: true, query: '&wasm=pool', gpu: true },
  'wasm-single': { backend: 'wasm', isolated: false, query: '&wasm=single', gpu: true },
  // 'auto' where neither WebGPU nor WebGL2 answers must pick wasm (issue 12)
  'wasm-auto': { backend: 'auto', isolated: true, query: '&wasm=pool&expect=wasm', gpu: false },
};
const laneSpec = (name) => LANES[name] ?? { backend: name, isolated: true, query: '', gpu: true };

const backends = arg('backends', process.env.SPARSEKIT_BROWSER_BACKENDS || 'webgl2,webgpu,wasm,wasm-single,wasm-auto')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const outFile = resolve(pkgRoot, arg('out', 'test-results/browser.json'));
const timeoutS = Number(arg('timeout', process.env.SPARSEKIT_BROWSER_TIMEOUT_S || '420'));
const chromiumPath = arg('chromium', CHROMIUM_PATH);
const verbose = process.env.SPARSEKIT_BROWSER_VERBOSE === '1';

// The same browser without its GPU APIs: no WebGL (so no WebGL2), and WebGPU without an adapter.
const NO_GPU_ARGS = [
  ...CHROMIUM_ARGS.filter((a) => !/webgpu|vulkan|Vulkan|angle|swiftshader/.test(a)),
  '--disable-3d-apis',
];

const MARK = '__SPARSEKIT__';
const log = (s) => process.stdout.write(`${s}\n`);

/** One backend's outcome; `failed` includes cases that never ran because the lane broke. */
function emptyLane(backend) {
  return {
    backend,
    passed: 0,
    failed: 0,
    total: null,
    crashed: false,
    fatal: null,
    info: null,
    userAgent: null,
    crossOriginIsolated: null,
    threads: null,
    fallbacks: [],
    durationMs: 0,
    failures: [],
    results: [],
  };
}

/** Marks a lane broken: every listed case without a result fails; with no list, one failure. */
function breakLane(lane, why) {
  lane.crashed = true;
  lane.fatal = lane.fatal ? `${lane.fatal}\n${why}` : why;
  const done = new Set(lane.results.map((r) => r.name));
  const missing = lane.cases ? lane.cases.filter((n) => !done.has(n)) : [];
  if (!lane.cases) {
    lane.failures.push({ name: `(${lane.backend} lane)`, error: why });
    lane.failed += 1;
  }
  for (const name of missing) {
    const error = `not run: ${why}`;
    lane.results.push({ name, ok: false, error, ms: 0 });
    lane.failures.push({ name, error });
    lane.failed += 1;
  }
}

async function bundle() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    // entry.ts is the page's program; worker-entry.ts a module Worker's (wasm-checks.ts)
    entryPoints: [join(here, 'entry.ts'), join(here, 'worker-entry.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: 'linked',
    write: false,
    outdir: '/bundle',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"test"' },
  });
  for (const w of result.warnings) log(`esbuild warning: ${w.text}`);
  const files = new Map();
  for (const f of result.outputFiles) files.set(`/${f.path.split('/').pop()}`, f.contents);
  return files;
}

const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>SparseKit parity</title></head>
<body><script type="module" src="/entry.js"></script></body></html>
`;

function serve(files) {
  const types = { '.js': 'text/javascript', '.map': 'application/json', '.html': 'text/html' };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    // A page asked for with isolated=0 is served without COOP/COEP: not cross-origin
    // isolated, so it has no SharedArrayBuffer (the wasm-single lane).
    const isolation = url.searchParams.get('isolated') === '0' ? {} : ISOLATION_HEADERS;
    const headers = { ...isolation, 'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store' };
    let body;
    let type;
    if (path === '/' || path === '/index.html') {
      body = INDEX_HTML;
      type = types['.html'];
    } else if (files.has(path)) {
      body = files.get(path);
      type = types[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
    }
    if (body === undefined) {
      res.writeHead(404, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': type });
    res.end(body);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

/** Runs the suite for one lane (see LANES) on a fresh page; never throws. */
async function runBackend(browser, baseUrl, backend) {
  const spec = laneSpec(backend);
  const lane = emptyLane(backend);
  lane.cases = null;
  const t0 = Date.now();
  let page;
  let pending = []; // console output since the last result: attributed to the next one
  let settle;
  const finished = new Promise((r) => (settle = r));
  try {
    page = await browser.newPage();
    page.on('console', (msg) => {
      const text = msg.text();
      if (!text.startsWith(MARK)) {
        if (verbose) log(`  [${backend} console.${msg.type()}] ${text}`);
        if (msg.type() === 'warning' || msg.type() === 'error') pending.push(`console.${msg.type()}: ${text}`);
        return;
      }
      let m;
      try {
        m = JSON.parse(text.slice(MARK.length));
      } catch {
        pending.push(`unparsable message: ${text.slice(0, 200)}`);
        return;
      }
      if (m.type === 'cases') {
        lane.cases = m.cases;
        lane.total = m.cases.length;
      } else if (m.type === 'start') {
        lane.info = m.info;
        lane.userAgent = m.userAgent;
        lane.crossOriginIsolated = m.crossOriginIsolated;
        lane.threads = m.threads;
        log(
          `[${backend}] running ${lane.total} cases on '${m.info.name}' (${m.info.reason}); crossOriginIsolated=${m.crossOriginIsolated}${m.info.name === 'wasm' ? `, threads=${m.threads}` : ''}`,
        );
      } else if (m.type === 'result') {
        const r = { name: m.name, ok: m.ok, error: m.error, ms: Math.round(m.ms) };
        if (pending.length) r.console = pending;
        pending = [];
        lane.results.push(r);
        if (r.ok) lane.passed += 1;
        else {
          lane.failed += 1;
          lane.failures.push({ name: r.name, error: r.error });
          log(`[${backend}] FAIL ${r.name}\n    ${String(r.error).split('\n').join('\n    ')}`);
        }
      } else if (m.type === 'done') {
        lane.fallbacks = m.fallbacks ?? [];
        settle('done');
      } else if (m.type === 'fatal') {
        lane.fatal = m.error;
        settle('fatal');
      }
    });
    page.on('pageerror', (err) => {
      pending.push(`pageerror: ${err.message}`);
      // An error before the suite listed its cases means the bundle itself did not run.
      if (lane.cases === null) settle('nostart');
    });
    page.on('crash', () => settle('crash'));
    const timer = setTimeout(() => settle('timeout'), timeoutS * 1000);
    const startTimer = setTimeout(() => lane.cases === null && settle('nostart'), 60_000);
    const isolated = spec.isolated ? '' : '&isolated=0';
    await page.goto(`${baseUrl}/index.html?backend=${encodeURIComponent(spec.backend)}${spec.query}${isolated}`, {
      waitUntil: 'load',
      timeout: 60_000,
    });
    const how = await finished;
    clearTimeout(timer);
    clearTimeout(startTimer);
    const context = pending.length ? `\n${pending.join('\n')}` : '';
    if (how === 'fatal') {
      const why = lane.fatal;
      lane.fatal = null;
      breakLane(lane, `backend '${backend}' failed: ${why}${context}`);
    } else if (how === 'nostart') breakLane(lane, `the page never started the suite on '${backend}'${context}`);
    else if (how === 'crash') breakLane(lane, `the page crashed while running on '${backend}'${context}`);
    else if (how === 'timeout') breakLane(lane, `the suite on '${backend}' ran past ${timeoutS} s${context}`);
    if (pending.length) lane.trailingConsole = pending;
  } catch (e) {
    breakLane(lane, `the runner failed on '${backend}': ${e?.stack ?? e}`);
  } finally {
    lane.durationMs = Date.now() - t0;
    if (page) await Promise.race([page.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
  }
  if (lane.crashed && lane.fatal) log(`[${backend}] LANE BROKEN: ${lane.fatal}`);
  if (lane.info?.name === 'wasm') {
    // by design: every op without a wasm kernel runs its gpu.js kernel (README, "The wasm backend")
    if (lane.fallbacks.length)
      log(`[${backend}] ${lane.fallbacks.length} kernels ran on gpu.js (ops without a wasm kernel)`);
  } else for (const f of lane.fallbacks) log(`[${backend}] WARNING: a kernel fell back: ${f}`);
  log(`[${backend}] ${lane.passed} passed, ${lane.failed} failed in ${(lane.durationMs / 1000).toFixed(1)} s`);
  delete lane.cases;
  return lane;
}

function chromiumVersion() {
  try {
    return execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

async function main() {
  const t0 = Date.now();
  const summary = {
    chromium: chromiumPath,
    chromiumVersion: null,
    args: CHROMIUM_ARGS,
    noGpuArgs: NO_GPU_ARGS,
    passed: 0,
    failed: 0,
    durationMs: 0,
    backends: {},
  };
  const lanes = backends.map((b) => emptyLane(b));
  let browser;
  let noGpuBrowser;
  let server;
  try {
    if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (apt-get install -y chromium)`);
    summary.chromiumVersion = chromiumVersion();
    const files = await bundle();
    server = await serve(files);
    const { port } = server.address();
    const baseUrl = `http://127.0.0.1:${port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: 60_000,
    });
    log(`browser lane: ${summary.chromiumVersion ?? chromiumPath}, serving ${baseUrl}`);
    for (let i = 0; i < backends.length; i++) {
      const gpu = laneSpec(backends[i]).gpu;
      if (!gpu)
        noGpuBrowser ??= await chromium.launch({
          executablePath: chromiumPath,
          headless: true,
          args: NO_GPU_ARGS,
          timeout: 60_000,
        });
      lanes[i] = await runBackend(gpu ? browser : noGpuBrowser, baseUrl, backends[i]);
    }
  } catch (e) {
    for (const lane of lanes)
      if (!lane.crashed && lane.results.length === 0)
        breakLane(lane, `the browser lane failed to start: ${e?.stack ?? e}`);
    log(`browser lane FAILED TO START: ${e?.stack ?? e}`);
  } finally {
    for (const b of [browser, noGpuBrowser])
      if (b) await Promise.race([b.close().catch(() => {}), new Promise((r) => setTimeout(r, 15_000))]);
    if (server) server.close();
  }
  for (const lane of lanes) {
    summary.backends[lane.backend] = lane;
    summary.passed += lane.passed;
    summary.failed += lane.failed;
  }
  summary.durationMs = Date.now() - t0;
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(summary, null, 2));
  const per = lanes
    .map((l) => `${l.backend}: ${l.passed} passed, ${l.failed} failed${l.crashed ? ' (lane broken)' : ''}`)
    .join('; ');
  log(`browser lane: ${per}; summary in ${outFile}`);
  return summary.failed === 0 && lanes.every((l) => !l.crashed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(`browser lane crashed: ${e?.stack ?? e}`);
    process.exit(2);
  },
);
