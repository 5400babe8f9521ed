export {};
export {
  type DictionaryInit,
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
