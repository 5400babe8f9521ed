/**
 * Browser entry for the backend-parity suite. test/browser/run.mjs bundles this file with
 * esbuild (platform browser, so gpu.js resolves to its dist/gpu-browser.js), serves it and
 * opens `index.html?backend=<name>` in headless Chromium; on `wasm`, `&wasm=pool|single` says
 * which thread path the page must run (wasm-checks.ts), and those checks join the cases.
 * `&expect=<name>` is the backend `initBackend(<name>)` must select (`backend=auto&expect=wasm`).
 *
 * Progress goes out twice: as console lines prefixed with `__SPARSEKIT__` (streamed to the
 * runner, so a page that hangs or crashes mid-suite still leaves every finished result
 * behind) and as `window.__sparsekitParity` plus a `window.postMessage` per result.
 */
import { current } from '../../src/backend.js';
import * as T from '../../src/index.js';
import { type ParityCase, parityCases } from '../parity/cases.js';
import { afterInit, afterSuite, beforeInit, type WasmPath } from './wasm-checks.js';

export interface CaseResult {
  name: string;
  ok: boolean;
  error: string | null;
  ms: number;
}

type Message =
  | { type: 'cases'; backend: string; cases: string[] }
  | {
      type: 'start';
      backend: string;
      info: T.BackendInfo;
      userAgent: string;
      crossOriginIsolated: boolean;
      threads: number;
    }
  | ({ type: 'result' } & CaseResult)
  | { type: 'done'; passed: number; failed: number; fallbacks: readonly string[] }
  | { type: 'fatal'; error: string };

interface PageState {
  backend: string;
  info: T.BackendInfo | null;
  cases: string[];
  results: CaseResult[];
  done: boolean;
  fatal: string | null;
}

declare global {
  interface Window {
    __sparsekitParity: PageState;
  }
}

const state: PageState = { backend: '', info: null, cases: [], results: [], done: false, fatal: null };
window.__sparsekitParity = state;

function emit(msg: Message): void {
  console.log(`__SPARSEKIT__${JSON.stringify(msg)}`);
  window.postMessage({ sparsekitParity: msg }, '*');
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const stack = e.stack && !e.stack.startsWith(`${e.name}: ${e.message}`) ? `\n${e.stack}` : '';
    return `${e.name}: ${e.message}${stack}`;
  }
  return String(e);
}

/** Runs one case and reports it; a case that switched the backend under the others fails. */
async function runCase(c: ParityCase, backend: string): Promise<void> {
  const t0 = performance.now();
  let result: CaseResult;
  try {
    await c.run();
    result = { name: c.name, ok: true, error: null, ms: performance.now() - t0 };
  } catch (e) {
    result = { name: c.name, ok: false, error: describe(e), ms: performance.now() - t0 };
  }
  if (state.info && T.getBackend().name !== backend) {
    result = {
      ...result,
      ok: false,
      error: `${result.error ?? ''}\nbackend changed to '${T.getBackend().name}' during this case`.trim(),
    };
  }
  state.results.push(result);
  emit({ type: 'result', ...result });
  // Yield to the event loop so console messages flush while the suite runs.
  await new Promise((r) => setTimeout(r, 0));
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const requested = params.get('backend');
  if (!requested) throw new Error('no ?backend=<name> in the page URL');
  // the backend the page must end up on
  const backend = params.get('expect') ?? requested;
  state.backend = backend;
  const wasmPath = params.get('wasm') as WasmPath | null;
  if (backend === 'wasm' && wasmPath !== 'pool' && wasmPath !== 'single') {
    throw new Error(`the wasm lane needs &wasm=pool or &wasm=single, got ${String(wasmPath)}`);
  }

  // List the cases before touching the backend (building them runs nothing), so a backend
  // that fails to start counts every case as failed rather than hiding them.
  const pre = wasmPath ? [beforeInit()] : [];
  const post = wasmPath ? afterInit(wasmPath) : [];
  const last = wasmPath ? [afterSuite(wasmPath)] : [];
  const cases = [...post, ...parityCases(T)];
  state.cases = [...pre, ...cases, ...last].map((c) => c.name);
  emit({ type: 'cases', backend, cases: state.cases });

  for (const c of pre) await runCase(c, backend);
  const info = await T.initBackend(requested as T.BackendName);
  if (info.name !== backend || T.getBackend().name !== backend) {
    throw new Error(`asked for backend '${requested}', got '${T.getBackend().name}' (${T.getBackend().reason})`);
  }
  state.info = info;
  emit({
    type: 'start',
    backend,
    info,
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    threads: (current().adapter as unknown as { threads?: number }).threads ?? 1,
  });

  for (const c of cases) await runCase(c, backend);
  // fallbacks are the suite's: the last cases make a new backend
  const fallbacks = [...T.getBackend().fallbacks];
  for (const c of last) await runCase(c, backend);

  const passed = state.results.filter((r) => r.ok).length;
  T.disposeBackend();
  state.done = true;
  emit({ type: 'done', passed, failed: state.results.length - passed, fallbacks });
}

main().catch((e: unknown) => {
  state.fatal = describe(e);
  state.done = true;
  emit({ type: 'fatal', error: state.fatal });
});
