import { exportedEntries, packageConfig } from '../../tsup.shared';

/** Every subpath export, `@sparsekit/optimizers/<name>`, read from package.json's `exports` (test/exports.test.ts checks each has its source, types and node10 mapping). */
export const ENTRIES = Object.keys(exportedEntries(import.meta.url));

export default packageConfig({
  entries: exportedEntries(import.meta.url),
  external: ['@sparsekit/tensor', '@sparsekit/autograd'],
});
