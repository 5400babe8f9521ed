// The experiment worker: runs the demo off the page's main thread, on the gpu.js backend the
// page asked for (`auto`: WebGPU where an adapter answers, else WebGL2 on an OffscreenCanvas,
// else WebAssembly), and streams every DemoEvent back as it happens. One run per worker: the
// page starts a fresh worker for each run, so no kernel or texture outlives its run.
import { BackendError, getBackend, initBackend } from '@sparsekit/tensor';
import { type Digits, type GrayImageData, runDemo } from '../src/experiments/index.js';
import { decodeDigits, decodeImage } from './assets.js';
import type { AssetUrls, FromWorker, ToWorker } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let running: AbortController | null = null;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // WebGPU has no synchronous readback: code that needs one fails there but runs elsewhere.
  const hint =
    e instanceof BackendError && !getBackend().syncReadback
      ? ` (the '${getBackend().name}' backend cannot read results synchronously; the webgl2 or wasm backend can run this)`
      : '';
  return `${e.name}: ${e.message}${hint}`;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url} answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Fetches and decodes only the data the configured experiments use. */
async function loadData(
  experiments: readonly string[],
  assets: AssetUrls,
): Promise<{ digits?: Digits; image?: GrayImageData }> {
  const [digits, image] = await Promise.all([
    experiments.includes('mnist') ? fetchBytes(assets.digits).then(decodeDigits) : undefined,
    experiments.includes('ksvd') ? fetchBytes(assets.image).then(decodeImage) : undefined,
  ]);
  return { digits, image };
}

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  if (running) {
    post({ type: 'error', message: 'a run is already going in this worker' });
    return;
  }
  const controller = new AbortController();
  running = controller;
  try {
    const info = await initBackend(message.backend);
    post({
      type: 'backend',
      backend: {
        name: getBackend().name,
        requested: message.backend,
        reason: info.reason,
        crossOriginIsolated: scope.crossOriginIsolated === true,
      },
    });
    const data = await loadData(message.config.experiments, message.assets);
    const stopFlag = message.stopFlag ? new Int32Array(message.stopFlag) : null;
    const results = await runDemo(data, message.config, {
      signal: controller.signal,
      onEvent: (event) => {
        post({ type: 'event', event });
        if (stopFlag && Atomics.load(stopFlag, 0) === 1) controller.abort();
      },
    });
    post({ type: 'done', results, fallbacks: [...getBackend().fallbacks] });
  } catch (e) {
    post({ type: 'error', message: describe(e), stack: e instanceof Error ? e.stack : undefined });
  } finally {
    running = null;
  }
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const message = e.data;
  if (message.type === 'start') void start(message);
  else if (message.type === 'stop') running?.abort();
};
