import { packageConfig } from '../../tsup.shared';

export default packageConfig({
  external: ['gpu.js'],
  overrides: {
    // `@internal` members (the executor's slots, the constructor) stay off the published types.
    dts: { compilerOptions: { stripInternal: true } },
    // Class names appear in error messages and stack traces: keep `Tensor`, not `_Tensor`.
    keepNames: true,
  },
});
