export { SparseKitError, ShapeError, ValueError, BackendError, formatShape } from './errors.js';
export { describeValue } from './describe.js';
export { checkOptions } from './options.js';
export { isTensor, type ReadableTensor } from './tensor.js';
