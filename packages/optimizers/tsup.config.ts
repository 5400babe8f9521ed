import { defineConfig } from 'tsup';

/** Every subpath export: `@sparsekit/optimizers/<name>` (test/exports.test.ts checks package.json agrees). */
export const ENTRIES = [
  'index',
  'optimizer',
  'transforms',
  'schedules',
  'prox',
  'sgd',
  'adam',
  'adamw',
  'adamax',
  'rmsprop',
  'adagrad',
  'adadelta',
  'subgradient-sgd',
  'proximal-sgd',
  'proximal-adam',
  'ftrl',
  'rda',
  'obprox-sg',
  'hspg',
  'iht',
  'testing',
];

// Code shared between entries is split into chunks (CJS too), so classes such as
// `Optimizer` exist once per format and `instanceof` holds across subpaths.
export default defineConfig({
  entry: Object.fromEntries(ENTRIES.map((name) => [name, `src/${name === 'testing' ? 'testing/index' : name}.ts`])),
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['@sparsekit/tensor', '@sparsekit/autograd'],
});
