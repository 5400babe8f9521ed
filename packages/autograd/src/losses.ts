import * as T from '@sparsekit/tensor';
import { type Tensor, ShapeError, ValueError, formatShape, oneHot, isTensor, checkOptions, describeValue } from '@sparsekit/tensor';
import { mean, mul, softplus, softmaxCrossEntropyRows, square, sub, sum } from './ops.js';
import { type Variable, toVariable } from './variable.js';

/** How per-element losses are combined: averaged (default), summed, or returned as they are. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options shared by the losses. */
export interface LossOptions {
  reduction?: Reduction;
}

function lossOptions(op: string, options: unknown): LossOptions {
  checkOptions(op, options, ['reduction']);
  const reduction = (options as LossOptions | undefined)?.reduction;
  if (reduction !== undefined && reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ValueError(op, `options.reduction must be 'mean', 'sum' or 'none', got ${typeof reduction === 'string' ? `'${reduction}'` : describeValue(reduction)}`);
  }
  return (options ?? {}) as LossOptions;
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
  lossOptions('mseLoss', options);
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
 *
 * Integer labels must lie in [0, c): an array is checked on the host; a tensor with one
 * reduction and a single readback (the first bad index), so a label of 7 for 3 classes throws
 * a `ValueError` instead of giving a finite, meaningless loss. On a backend without
 * synchronous readback (WebGPU) the rows with a bad label get a NaN loss and gradient
 * instead, which an optimizer's finiteness check then rejects.
 */
export function softmaxCrossEntropy(logits: Variable | Tensor, labels: Variable | Tensor | readonly number[], options: LossOptions = {}): Variable {
  const op = 'softmaxCrossEntropy';
  lossOptions(op, options);
  const z = toVariable(op, 'logits', logits);
  if (z.rank !== 2) throw new ShapeError(op, `logits must be 2-D [n, classes], got ${formatShape(z.shape)}`);
  const [n, c] = z.shape;
  let target: Variable | Tensor;
  if (Array.isArray(labels) || (isTensor(labels) && labels.rank === 1)) {
    const count = Array.isArray(labels) ? labels.length : (labels as Tensor).size;
    if (count !== n) throw new ShapeError(op, `labels must have one class per row (${n}), got ${count}`);
    if (Array.isArray(labels)) {
      for (const [i, k] of labels.entries()) {
        if (!Number.isInteger(k) || k < 0 || k >= c) throw new ValueError(op, `labels[${i}] must be an integer in [0, ${c}), got ${describeValue(k)}`);
      }
      target = oneHot(labels as number[], c);
    } else target = checkedOneHot(op, labels as Tensor, n, c);
  } else {
    if (!isTensor(labels) && !(labels !== null && typeof labels === 'object' && isTensor((labels as Variable).value))) {
      throw new ValueError(op, `labels must be integer classes (an array or 1-D tensor) or [n, c] target rows, got ${describeValue(labels)}`);
    }
    target = toVariable(op, 'labels', labels as Variable | Tensor);
    checkSame(op, z.shape, target.shape);
  }
  return reduce(op, softmaxCrossEntropyRows(z, target), options.reduction);
}

// oneHot rounds each label to the nearest class and gives an all-zero row out of range, so
// a label is valid exactly when the class its row encodes equals it: r = Σⱼ j·onehotⱼ == label
// (false for NaN, fractions and out-of-range values alike). max over (n − i)·badᵢ is then
// n − (first bad index), or 0 when every label is valid: one reduction, one readback.
function checkedOneHot(op: string, labels: Tensor, n: number, c: number): Tensor {
  const target = oneHot(labels, c);
  if (n === 0) return target;
  // Realised once, here: the check and the loss then both read it as data, so every step
  // runs the same kernels (left lazy, it fuses differently into the first step than the next).
  if (T.getBackend().syncReadback) target.materializeSync();
  const firstBad = T.tidy(() => {
    const encoded = T.sum(T.mul(target, T.arange(c)), { axis: -1 });
    const bad = T.sub(1, T.equal(encoded, labels));
    return T.max(T.mul(bad, T.sub(n, T.arange(n))));
  });
  if (!T.getBackend().syncReadback) {
    firstBad.dispose();
    const poisoned = T.tidy(() => {
      const encoded = T.sum(T.mul(target, T.arange(c)), { axis: -1, keepDims: true });
      return T.add(target, T.where(T.equal(encoded, T.reshape(labels, [n, 1])), 0, NaN));
    });
    target.dispose();
    return poisoned;
  }
  let at: number;
  try {
    at = firstBad.itemSync();
  } finally {
    firstBad.dispose();
  }
  if (at > 0) {
    target.dispose();
    const i = n - at;
    throw new ValueError(op, `labels[${i}] must be an integer class in [0, ${c}), got ${labels.dataSync()[i]}`);
  }
  return target;
}

/**
 * Binary cross-entropy from logits z against targets y in [0, 1]:
 * ℓ = softplus(z) − z·y = max(z, 0) − z·y + log(1 + e^−|z|), which never overflows; the
 * gradient is σ(z) − y.
 */
export function binaryCrossEntropyWithLogits(logits: Variable | Tensor, targets: Variable | Tensor, options: LossOptions = {}): Variable {
  lossOptions('binaryCrossEntropyWithLogits', options);
  const z = toVariable('binaryCrossEntropyWithLogits', 'logits', logits);
  const y = toVariable('binaryCrossEntropyWithLogits', 'targets', targets);
  checkSame('binaryCrossEntropyWithLogits', z.shape, y.shape);
  return reduce('binaryCrossEntropyWithLogits', sub(softplus(z), mul(z, y)), options.reduction);
}
