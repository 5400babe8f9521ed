// Two builds: the CLI (`dist/cli.js`, the package's bin; the workspace packages stay external
// and load from their own dist), and the report's script (`dist/report-view.global.js`: the
// view and Chart.js in one minified IIFE that report.html inlines, so it opens offline).
import { defineConfig } from 'tsup';
import { VIEW_BUNDLE_FILE } from './src/report/ids.js';

export default defineConfig([
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    clean: false,
  },
  {
    entry: { [VIEW_BUNDLE_FILE.replace(/\.global\.js$/, '')]: 'src/report/browser.ts' },
    format: ['iife'],
    platform: 'browser',
    target: 'es2020',
    minify: true,
    globalName: 'SparseKitReport',
    // Chart.js is a dependency (external by default for the CLI); here it must be inside the bundle.
    noExternal: [/.*/],
    clean: false,
  },
]);
