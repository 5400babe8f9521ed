// The demo's web page: `vite` (dev), `vite build` (to dist-web/), `vite preview`. The page
// lives in web/; its experiments run in a module worker on gpu.js's browser backends.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { makeWebAssets } from './scripts/make-web-assets.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Cross-origin isolation, so SharedArrayBuffer exists and gpu.js's WebAssembly backend may use
 * threads; every response is same-origin, so nothing else needs CORP.
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Generates the page's offline data (web/generated/) before the page's modules are resolved. */
function webAssets(): Plugin {
  let done = false;
  return {
    name: 'sparsekit-web-assets',
    buildStart() {
      if (done) return;
      const s = makeWebAssets(`${here}web/generated`);
      this.info(`web assets: ${s.digits} digits, ${s.imageWidth}×${s.imageHeight} boats crop, ${s.bytes} bytes`);
      done = true;
    },
  };
}

export default defineConfig({
  // Absolute, so the config works from any working directory (turbo, pnpm --filter, CI).
  root: `${here}web`,
  // Relative URLs: the built page works from any folder it is served from.
  base: './',
  plugins: [webAssets()],
  worker: { format: 'es' },
  build: {
    outDir: '../dist-web',
    emptyOutDir: true,
    target: 'es2022',
    // gpu.js's browser build is one 1.1 MB file; the worker chunk is large by nature.
    chunkSizeWarningLimit: 4096,
  },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
});
