// The messages between the page (main.ts) and the experiment worker (worker.ts). Plain data
// only, so every message survives structured cloning.
import type { DemoConfig, DemoEvent, DemoResults } from '../src/experiments/index.js';
import type { WebBackend } from './url-state.js';

/** Where the worker fetches the shipped data (absolute, same-origin URLs). */
export interface AssetUrls {
  digits: string;
  image: string;
}

/** Page → worker. */
export type ToWorker =
  | {
      type: 'start';
      config: DemoConfig;
      backend: WebBackend;
      assets: AssetUrls;
      /**
       * One Int32 the page sets to 1 to stop the run (where the page is cross-origin isolated).
       * The worker reads it at every event: on synchronous backends a long run never yields to
       * the worker's event loop, so a `stop` message would only arrive once the run is over.
       */
      stopFlag: SharedArrayBuffer | null;
    }
  /** Stops the run at its next batch or iteration; the worker still answers with `done`. */
  | { type: 'stop' };

/** What the tensor package reports about the backend that actually runs. */
export interface BackendReport {
  /** The gpu.js backend running the kernels (`webgpu`, `webgl2`, …). */
  name: string;
  requested: WebBackend;
  reason: string;
  /** Whether the worker is cross-origin isolated (so gpu.js's WebAssembly may use threads). */
  crossOriginIsolated: boolean;
}

/** Worker → page. */
export type FromWorker =
  | { type: 'backend'; backend: BackendReport }
  | { type: 'event'; event: DemoEvent }
  /** The run ended (finished or stopped); `fallbacks` names kernels gpu.js silently ran on another backend. */
  | { type: 'done'; results: DemoResults; fallbacks: string[] }
  /** The run could not start or threw: the error's name and message, and its stack where known. */
  | { type: 'error'; message: string; stack?: string };
