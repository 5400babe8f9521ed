import type { Tensor } from '@sparsekit/tensor';
import { exp, mul, neg, reshape, sub, sum } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/**
 * Cross-entropy of softmax(z) against target distributions p along the last axis, per row:
 * ℓ = Σⱼ pⱼ (lse(z) − zⱼ) = −Σⱼ pⱼ logSoftmax(z)ⱼ. Gradients: dℓ/dz = softmax(z)·Σⱼpⱼ − p
 * (= softmax(z) − p for one-hot or normalised targets) and dℓ/dp = −logSoftmax(z). The
 * log-softmax the forward pass computed is an attribute, so it is not computed twice.
 */
export const softmaxCrossEntropyGrad: GradRule<[Tensor, Tensor], { logProbs: Tensor }> = (
  dy,
  [, p],
  _out,
  { logProbs },
) => {
  const dyCol = reshape(dy, [...dy.shape, 1]);
  const dz = mul(sub(mul(exp(logProbs), sum(p, { axis: -1, keepDims: true })), p), dyCol);
  const dp = mul(neg(logProbs), dyCol);
  return [dz, dp];
};
