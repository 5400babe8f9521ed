export { checkInteger, checkRange, type RangeBounds } from './checks.js';
export { describeValue } from './describe.js';
export { BackendError, formatShape, ShapeError, SparseKitError, sameShape, ValueError } from './errors.js';
export { checkOptions } from './options.js';
export { isTensor, type ReadableTensor } from './tensor.js';
