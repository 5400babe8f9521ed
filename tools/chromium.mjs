// How every browser test in the repo starts Debian's Chromium headless with no GPU: the flags
// verified in ../shared/TOOLCHAIN.md — WebGL2 on ANGLE/SwiftShader and WebGPU on SwiftShader's
// Vulkan, no network services, no sandbox (CI runs as root). Used by the tensor parity runner
// (packages/tensor/test/browser/run.mjs) and the demo's browser tests (apps/demo/test).

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The launch flags (playwright-core's `args`). */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
]);

/**
 * The response headers that make a page cross-origin isolated (`SharedArrayBuffer`, so the
 * wasm backend may run threads): what every test and bench server of the repo sends.
 */
export const ISOLATION_HEADERS = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});
