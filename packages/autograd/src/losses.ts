import * as T from '@sparsekit/tensor';
import {
  checkOptions,
  describeValue,
  formatShape,
  isTensor,
  oneHot,
  ShapeError,
  type Tensor,
  ValueError,
} from '@sparsekit/tensor';
import { mean, mul, softmaxCrossEntropyRows, softplus, square, sub, sum } from './ops.js';
import { toVariable, type Variable } from './variable.js';

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
    throw new ValueError(
      op,
      `options.reduction must be 'mean', 'sum' or 'none', got ${typeof reduction === 'string' ? `'${reduction}'` : describeValue(reduction)}`,
    );
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
 * reduction and a one-number readback, so a label of 7 for 3 classes throws
 * a `ValueError` instead of giving a finite, meaningless loss. On a backend without
 * synchronous readback (WebGPU) the rows with a bad label get a NaN loss and gradient
 * instead, which an optimizer's finiteness check then rejects.
 */
export function softmaxCrossEntropy(
  logits: Variable | Tensor,
  labels: Variable | Tensor | readonly number[],
  options: LossOptions = {},
): Variable {
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
        if (!Number.isInteger(k) || k < 0 || k >= c)
          throw new ValueError(op, `labels[${i}] must be an integer in [0, ${c}), got ${describeValue(k)}`);
      }
      target = oneHot(labels as number[], c);
    } else target = checkedOneHot(op, labels as Tensor, n, c);
  } else {
    if (!isTensor(labels) && !(labels !== null && typeof labels === 'object' && isTensor((labels as Variable).value))) {
      throw new ValueError(
        op,
        `labels must be integer classes (an array or 1-D tensor) or [n, c] target rows, got ${describeValue(labels)}`,
      );
    }
    target = toVariable(op, 'labels', labels as Variable | Tensor);
    checkSame(op, z.shape, target.shape);
  }
  return reduce(op, softmaxCrossEntropyRows(z, target), options.reduction);
}

// oneHot rounds each label to the nearest class and gives an all-zero row out of range, so
// row i holds a 1 in a column equal to its label exactly when the label is valid (never for
// NaN, fractions or out-of-range values). Σᵢⱼ onehotᵢⱼ·[j = labelᵢ] = n then says every
// label is valid: one reduction, one scalar read back. Only a failing call reads the labels,
// to name the first bad one.
function checkedOneHot(op: string, labels: Tensor, n: number, c: number): Tensor {
  const target = oneHot(labels, c);
  if (n === 0) return target;
  const sync = T.getBackend().syncReadback;
  // Realised once, here: the check and the loss then both read it as data, so every step
  // runs the same kernels (left lazy, it fuses differently into the first step than the next).
  if (sync) target.materializeSync();
  const hits = (keepDims: boolean): Tensor =>
    T.sum(
      T.mul(target, T.equal(T.reshape(labels, [n, 1]), T.reshape(T.arange(c), [1, c]))),
      keepDims ? { axis: -1, keepDims: true } : {},
    );
  if (!sync) {
    // No synchronous readback (WebGPU): rows with a bad label get NaN targets, so their loss
    // and gradient are NaN and an optimizer's finiteness check rejects the step.
    const poisoned = T.tidy(() => T.add(target, T.where(hits(true), 0, NaN)));
    target.dispose();
    return poisoned;
  }
  const valid = T.tidy(() => hits(false));
  let count: number;
  try {
    count = valid.itemSync();
  } finally {
    valid.dispose();
  }
  if (count !== n) {
    target.dispose();
    const values = labels.dataSync();
    const i = values.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v < c));
    throw new ValueError(op, `labels[${i}] must be an integer class in [0, ${c}), got ${values[i]}`);
  }
  return target;
}

/**
 * Binary cross-entropy from logits z against targets y in [0, 1]:
 * ℓ = softplus(z) − z·y = max(z, 0) − z·y + log(1 + e^−|z|), which never overflows; the
 * gradient is σ(z) − y.
 */
export function binaryCrossEntropyWithLogits(
  logits: Variable | Tensor,
  targets: Variable | Tensor,
  options: LossOptions = {},
): Variable {
  lossOptions('binaryCrossEntropyWithLogits', options);
  const z = toVariable('binaryCrossEntropyWithLogits', 'logits', logits);
  const y = toVariable('binaryCrossEntropyWithLogits', 'targets', targets);
  checkSame('binaryCrossEntropyWithLogits', z.shape, y.shape);
  return reduce('binaryCrossEntropyWithLogits', sub(softplus(z), mul(z, y)), options.reduction);
}
