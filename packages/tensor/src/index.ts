export { SparseKitError, ShapeError, ValueError, BackendError, formatShape, describeValue, checkOptions } from './errors.js';
export {
  setBackend,
  initBackend,
  getBackend,
  kernelStats,
  disposeBackend,
  BACKENDS,
  type BackendName,
  type BackendInfo,
  type KernelStats,
} from './backend.js';
export { Tensor, isTensor, type NestedArray } from './tensor.js';
export { memory, tidy, tidyAsync, keep, type MemoryInfo } from './memory.js';
export { materializeAll, materializeAllSync } from './realize.js';
export { Random } from './random.js';
export {
  tensor,
  zeros,
  ones,
  full,
  eye,
  arange,
  linspace,
  rand,
  randn,
  randint,
  permutation,
  type TensorData,
  type NestedData,
  type NumericArray,
  type RandomOptions,
} from './creation.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  equal,
  notEqual,
  greater,
  greaterEqual,
  less,
  lessEqual,
  neg,
  abs,
  sign,
  sqrt,
  square,
  exp,
  log,
  log1p,
  relu,
  leakyRelu,
  sigmoid,
  tanh,
  softplus,
  clip,
  where,
  softThreshold,
  hardThreshold,
  type TensorLike,
} from './elementwise.js';
export { matmul, type MatmulOptions } from './matmul.js';
export { sum, mean, max, min, normL1, normL2, normLInf, argmax, argmin, logSumExp, softmax, logSoftmax, type ReduceOptions, type AxisArg } from './reduce.js';
export { reshape, transpose, sliceRows, gather, concat, oneHot, shuffle } from './manipulate.js';
export { topKMask, columnNorms, normalizeColumns } from './sparsity.js';
export { CsrTensor, spmm } from './csr.js';
