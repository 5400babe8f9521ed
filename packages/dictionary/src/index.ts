export { type DenoiseOptions, type DenoiseProgress, type DenoiseResult, denoise, denoiseAsync } from './denoise.js';
export { type FistaOptions, fista } from './fista.js';
export { KSVD, type KSVDOptions } from './ksvd.js';
export { Lasso, type LassoOptions, type LassoPathOptions, type LassoPathResult, lassoPath } from './lasso.js';
export {
  type DictionaryInit,
  DictionaryLearner,
  type DictionaryLearnerOptions,
  type FitOptions,
  type ProgressCallback,
  type ProgressEvent,
  type StopReason,
} from './learning.js';
export { MOD, type MODOptions } from './mod.js';
export { type OmpOptions, orthogonalMatchingPursuit, orthogonalMatchingPursuitAsync } from './omp.js';
export { OnlineDictionaryLearning, type OnlineDictionaryLearningOptions } from './online.js';
export {
  extractPatches,
  type GrayImage,
  type PatchOptions,
  type ReconstructOptions,
  reconstructFromPatches,
} from './patches.js';
export { type SparseEncodeAlgorithm, type SparseEncodeOptions, sparseEncode } from './sparse-encode.js';
export { makeSparseCodedSignal, type SparseCodedSignal, type SparseCodedSignalOptions } from './synthetic.js';
export type { MatrixInput, VectorInput } from './validate.js';
