// The page: the setup from the URL into the form, Start/Stop, a fresh module worker per run,
// and the live view (src/view, shared with the CLI's HTML report) fed with the worker's events.
import type { DemoEvent, DemoResults } from '../src/experiments/index.js';
import { DemoView } from '../src/view/index.js';
import { buildForm, fillForm, fillFormFromQuery, readForm, setRunning } from './controls.js';
import imageUrl from './generated/boats.bin?url';
import digitsUrl from './generated/digits.bin?url';
import type { BackendReport, FromWorker, ToWorker } from './protocol.js';
import { defaultSetup, parseSetup, setupToSearch, type WebSetup } from './url-state.js';

/** What the page exposes for scripts and tests: the run's state, backend, event count and results. */
export interface PageState {
  state: 'idle' | 'running' | 'stopping' | 'done' | 'stopped' | 'error';
  backend: BackendReport | null;
  events: number;
  /** Epoch events seen: a chart has new points after each. */
  epochs: number;
  /** MNIST methods finished (method-end events seen). */
  methods: number;
  results: DemoResults | null;
  /** Kernels gpu.js ran on another backend than the one named (from the finished run). */
  fallbacks: string[];
  error: string | null;
}

declare global {
  interface Window {
    __sparsekitDemo: PageState;
  }
}

function byTestId<T extends HTMLElement>(id: string): T {
  const node = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!node) throw new Error(`the page has no [data-testid="${id}"]`);
  return node;
}

const form = document.getElementById('controls') as HTMLFormElement;
const buttons = buildForm(form);
const errorLine = byTestId<HTMLParagraphElement>('error');
const runState = byTestId<HTMLSpanElement>('run-state');
const progress = byTestId<HTMLProgressElement>('progress');
const backendName = byTestId<HTMLElement>('backend');
const backendReason = byTestId<HTMLElement>('backend-reason');
const resultsRoot = byTestId<HTMLElement>('results');
byTestId<HTMLElement>('isolation').textContent = globalThis.crossOriginIsolated
  ? 'cross-origin isolated (WebAssembly threads allowed)'
  : 'not cross-origin isolated (WebAssembly runs single-threaded)';

const page: PageState = {
  state: 'idle',
  backend: null,
  events: 0,
  epochs: 0,
  methods: 0,
  results: null,
  fallbacks: [],
  error: null,
};
window.__sparsekitDemo = page;

let setup: WebSetup | null = null;
let worker: Worker | null = null;
let stopFlag: Int32Array | null = null;
let view: DemoView | null = null;
let steps = { done: 0, total: 0 };

function showError(message: string | null): void {
  errorLine.hidden = message === null;
  errorLine.textContent = message ?? '';
}

function setState(state: PageState['state'], text: string): void {
  page.state = state;
  runState.dataset.state = state;
  runState.textContent = text;
}

/** Reads the URL; an invalid one shows its error and leaves Start disabled until the form is fixed. */
function loadFromUrl(): void {
  try {
    setup = parseSetup(location.search);
    fillForm(form, setup);
    showError(null);
  } catch (e) {
    setup = null;
    // The defaults, then whatever the link says: fixing the bad field keeps the rest of it.
    fillForm(form, defaultSetup());
    fillFormFromQuery(form, location.search);
    showError(`This link's setup is invalid: ${(e as Error).message}. Fix that field to continue.`);
  }
  buttons.start.disabled = setup === null;
}

/** The form changed: validate it as a link would be, and put the valid setup in the URL. */
function onFormChange(): void {
  try {
    setup = parseSetup(readForm(form, location.search));
    const search = setupToSearch(setup);
    history.replaceState(null, '', search ? `?${search}` : location.pathname);
    showError(null);
  } catch (e) {
    setup = null;
    showError((e as Error).message);
  }
  buttons.start.disabled = setup === null;
}

function countSteps(event: DemoEvent): void {
  if (event.type === 'experiment-start') steps.total += event.steps;
  else if (event.type === 'batch' || event.type === 'ksvd-iteration') steps.done++;
  if (steps.total > 0) progress.value = Math.min(1, steps.done / steps.total);
}

function finish(state: 'done' | 'stopped' | 'error', text: string): void {
  worker?.terminate();
  worker = null;
  setState(state, text);
  setRunning(form, buttons, false);
  buttons.start.disabled = setup === null;
}

function onWorkerMessage(message: FromWorker): void {
  switch (message.type) {
    case 'backend':
      page.backend = message.backend;
      backendName.textContent = message.backend.name;
      backendReason.textContent = `(${message.backend.reason})`;
      break;
    case 'event':
      page.events++;
      if (message.event.type === 'epoch') page.epochs++;
      if (message.event.type === 'method-end') page.methods++;
      countSteps(message.event);
      view?.handle(message.event);
      break;
    case 'done': {
      page.results = message.results;
      page.fallbacks = message.fallbacks;
      if (message.fallbacks.length > 0) {
        backendReason.textContent += ` · ${message.fallbacks.length} kernel(s) fell back: ${message.fallbacks.join('; ')}`;
      }
      view?.show(message.results);
      const interrupted = message.results.meta.interrupted;
      if (!interrupted) progress.value = 1;
      finish(interrupted ? 'stopped' : 'done', interrupted ? 'Stopped: showing what finished.' : 'Finished.');
      break;
    }
    case 'error':
      page.error = message.message;
      if (message.stack) console.error(message.stack);
      showError(`The run failed: ${message.message}`);
      finish('error', 'Failed.');
      break;
  }
}

function start(): void {
  if (!setup || worker) return;
  view?.dispose();
  resultsRoot.replaceChildren();
  view = new DemoView(resultsRoot, { live: true });
  Object.assign(page, { backend: null, events: 0, epochs: 0, methods: 0, results: null, fallbacks: [], error: null });
  steps = { done: 0, total: 0 };
  progress.value = 0;
  backendName.textContent = 'starting…';
  backendReason.textContent = '';
  showError(null);
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onWorkerMessage(e.data);
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    onWorkerMessage({ type: 'error', message: e.message || 'the worker failed to load' });
  };
  // SharedArrayBuffer exists only in a cross-origin-isolated page; elsewhere Stop is a message.
  stopFlag = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
  const message: ToWorker = {
    type: 'start',
    config: setup.config,
    backend: setup.backend,
    assets: { digits: new URL(digitsUrl, location.href).href, image: new URL(imageUrl, location.href).href },
    stopFlag: (stopFlag?.buffer as SharedArrayBuffer | undefined) ?? null,
  };
  worker.postMessage(message);
  setRunning(form, buttons, true);
  setState('running', 'Running…');
}

function stop(): void {
  if (!worker || page.state !== 'running') return;
  if (stopFlag) Atomics.store(stopFlag, 0, 1);
  worker.postMessage({ type: 'stop' } satisfies ToWorker);
  buttons.stop.disabled = true;
  setState('stopping', 'Stopping at the next batch…');
}

form.addEventListener('change', onFormChange);
form.addEventListener('submit', (e) => {
  e.preventDefault();
  start();
});
buttons.stop.addEventListener('click', stop);
window.addEventListener('popstate', loadFromUrl);
loadFromUrl();
