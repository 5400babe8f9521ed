import { Tensor, ShapeError, ValueError, formatShape, oneHot } from '@sparsekit/tensor';
import { mean, mul, softplus, softmaxCrossEntropyRows, square, sub, sum } from './ops.js';
import { type Variable, toVariable } from './variable.js';

/** How per-element losses are combined: averaged (default), summed, or returned as they are. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options shared by the losses. */
export interface LossOptions {
  reduction?: Reduction;
}

function reduce(op: string, x: Variable, reduction: Reduction = 'mean'): Variable {
  if (reduction === 'mean') return mean(x);
  if (reduction === 'sum') return sum(x);
  if (reduction === 'none') return x;
  throw new ValueError(op, `reduction must be 'mean', 'sum' or 'none', got ${String(reduction)}`);
}

function checkSame(op: string, a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError(op, `target must have the prediction's shape ${formatShape(a)}, got ${formatShape(b)}`);
  }
}

/** Mean squared error: reduce((prediction − target)²). */
export function mseLoss(prediction: Variable | Tensor, target: Variable | Tensor, options: LossOptions = {}): Variable {
  const p = toVariable('mseLoss', 'prediction', prediction);
  const t = toVariable('mseLoss', 'target', target);
  checkSame('mseLoss', p.shape, t.shape);
  return reduce('mseLoss', square(sub(p, t)), options.reduction);
}

/**
 * Softmax cross-entropy from logits [n, c]: −Σⱼ yⱼ log softmax(z)ⱼ per row, then reduced.
 * `labels` are integer classes (a length-n array or 1-D tensor) or one-hot / probability
 * rows of shape [n, c]. Computed through log-softmax with the max subtracted, so logits of
 * any size (1e4, −1e4) give finite losses and gradients; the gradient is softmax(z) − y.
 */
export function softmaxCrossEntropy(logits: Variable | Tensor, labels: Variable | Tensor | readonly number[], options: LossOptions = {}): Variable {
  const z = toVariable('softmaxCrossEntropy', 'logits', logits);
  if (z.rank !== 2) throw new ShapeError('softmaxCrossEntropy', `logits must be 2-D [n, classes], got ${formatShape(z.shape)}`);
  const [n, c] = z.shape;
  let target: Variable | Tensor;
  if (Array.isArray(labels) || (labels instanceof Tensor && labels.rank === 1)) {
    const count = Array.isArray(labels) ? labels.length : (labels as Tensor).size;
    if (count !== n) throw new ShapeError('softmaxCrossEntropy', `labels must have one class per row (${n}), got ${count}`);
    if (Array.isArray(labels)) {
      for (const [i, k] of labels.entries()) {
        if (!Number.isInteger(k) || k < 0 || k >= c) throw new ValueError('softmaxCrossEntropy', `labels[${i}] must be an integer in [0, ${c}), got ${k}`);
      }
    }
    target = oneHot(labels as Tensor | number[], c);
  } else {
    target = toVariable('softmaxCrossEntropy', 'labels', labels as Variable | Tensor);
    checkSame('softmaxCrossEntropy', z.shape, target.shape);
  }
  return reduce('softmaxCrossEntropy', softmaxCrossEntropyRows(z, target), options.reduction);
}

/**
 * Binary cross-entropy from logits z against targets y in [0, 1]:
 * ℓ = softplus(z) − z·y = max(z, 0) − z·y + log(1 + e^−|z|), which never overflows; the
 * gradient is σ(z) − y.
 */
export function binaryCrossEntropyWithLogits(logits: Variable | Tensor, targets: Variable | Tensor, options: LossOptions = {}): Variable {
  const z = toVariable('binaryCrossEntropyWithLogits', 'logits', logits);
  const y = toVariable('binaryCrossEntropyWithLogits', 'targets', targets);
  checkSame('binaryCrossEntropyWithLogits', z.shape, y.shape);
  return reduce('binaryCrossEntropyWithLogits', sub(softplus(z), mul(z, y)), options.reduction);
}
