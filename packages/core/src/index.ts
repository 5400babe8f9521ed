export { describeValue } from './describe.js';
export { BackendError, formatShape, ShapeError, SparseKitError, ValueError } from './errors.js';
export { checkOptions } from './options.js';
export { isTensor, type ReadableTensor } from './tensor.js';
