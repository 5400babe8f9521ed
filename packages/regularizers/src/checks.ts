// The argument checks regularizers uses, from the one implementation in @sparsekit/core
// (re-exported by @sparsekit/tensor).
export { checkInteger, checkOptions, checkRange } from '@sparsekit/tensor';
