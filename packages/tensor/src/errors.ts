/**
 * The error vocabulary shared by every SparseKit package. It lives in `@sparsekit/core`, which
 * has no dependencies, so packages that never run a kernel (metrics) share it without gpu.js;
 * this package re-exports it unchanged.
 */
export {
  BackendError,
  checkInteger,
  checkOptions,
  checkRange,
  describeValue,
  formatShape,
  ShapeError,
  SparseKitError,
  sameShape,
  ValueError,
} from '@sparsekit/core';
