export { orthogonalMatchingPursuit, type OmpOptions } from './omp.js';
export { Lasso, lassoPath, type LassoOptions, type LassoPathOptions, type LassoPathResult } from './lasso.js';
export { fista, type FistaOptions } from './fista.js';
export { sparseEncode, type SparseEncodeAlgorithm, type SparseEncodeOptions } from './sparse-encode.js';
export type { MatrixInput, VectorInput } from './validate.js';
export {
  type DictionaryInit,
  type DictionaryLearnerOptions,
  type FitOptions,
  type ProgressCallback,
  type ProgressEvent,
  type StopReason,
  DictionaryLearner,
} from './learning.js';
export { KSVD, type KSVDOptions } from './ksvd.js';
export { MOD, type MODOptions } from './mod.js';
export { OnlineDictionaryLearning, type OnlineDictionaryLearningOptions } from './online.js';
export { makeSparseCodedSignal, type SparseCodedSignal, type SparseCodedSignalOptions } from './synthetic.js';
export { extractPatches, reconstructFromPatches, type GrayImage, type PatchOptions, type ReconstructOptions } from './patches.js';
export { denoise, type DenoiseOptions, type DenoiseProgress, type DenoiseResult } from './denoise.js';
