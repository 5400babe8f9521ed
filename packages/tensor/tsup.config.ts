import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // `@internal` members (the executor's slots, the constructor) stay off the published types.
  dts: { compilerOptions: { stripInternal: true } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['gpu.js'],
  // Class names appear in error messages and stack traces: keep `Tensor`, not `_Tensor`.
  keepNames: true,
});
