import * as T from '@sparsekit/tensor';
import {
  isTensor,
  type MatmulOptions,
  type ReduceOptions,
  type Tensor,
  type TensorLike,
  ValueError,
} from '@sparsekit/tensor';
import { sameShape } from './broadcast.js';
import { absGrad } from './gradients/abs.js';
import { addGrad } from './gradients/add.js';
import { clipGrad } from './gradients/clip.js';
import { concatGrad } from './gradients/concat.js';
import { divGrad } from './gradients/div.js';
import { expGrad } from './gradients/exp.js';
import { gatherGrad } from './gradients/gather.js';
import { hardThresholdGrad } from './gradients/hard-threshold.js';
import { leakyReluGrad } from './gradients/leaky-relu.js';
import { logGrad } from './gradients/log.js';
import { logSoftmaxGrad } from './gradients/log-softmax.js';
import { logSumExpGrad } from './gradients/log-sum-exp.js';
import { log1pGrad } from './gradients/log1p.js';
import { matmulGrad } from './gradients/matmul.js';
import { maxGrad } from './gradients/max.js';
import { maximumGrad } from './gradients/maximum.js';
import { meanGrad } from './gradients/mean.js';
import { minGrad } from './gradients/min.js';
import { minimumGrad } from './gradients/minimum.js';
import { mulGrad } from './gradients/mul.js';
import { negGrad } from './gradients/neg.js';
import { normL1Grad } from './gradients/norm-l1.js';
import { normL2Grad } from './gradients/norm-l2.js';
import { normLInfGrad } from './gradients/norm-linf.js';
import { powGrad } from './gradients/pow.js';
import { reluGrad } from './gradients/relu.js';
import { reshapeGrad } from './gradients/reshape.js';
import { sigmoidGrad } from './gradients/sigmoid.js';
import { signGrad } from './gradients/sign.js';
import { sliceRowsGrad } from './gradients/slice-rows.js';
import { softThresholdGrad } from './gradients/soft-threshold.js';
import { softmaxGrad } from './gradients/softmax.js';
import { softmaxCrossEntropyGrad } from './gradients/softmax-cross-entropy.js';
import { softplusGrad } from './gradients/softplus.js';
import { sqrtGrad } from './gradients/sqrt.js';
import { squareGrad } from './gradients/square.js';
import { subGrad } from './gradients/sub.js';
import { sumGrad } from './gradients/sum.js';
import { tanhGrad } from './gradients/tanh.js';
import { transposeGrad } from './gradients/transpose.js';
import type { GradRule } from './gradients/types.js';
import { whereGrad } from './gradients/where.js';
import { type Input, record, toVariable, Variable } from './variable.js';

// Each differentiable op: unwrap the operands, run the tensor op, and record the node with
// a closure that hands the rule the raw operands, the output value and the op's attributes.
function node<A>(
  op: string,
  operands: Input[],
  forward: (raw: TensorLike[]) => Tensor,
  // biome-ignore lint/suspicious/noExplicitAny: each rule types its own operands; node() only forwards them
  rule: GradRule<any, A>,
  attrs: A,
): Variable {
  const vars: Variable[] = [];
  const raw: TensorLike[] = operands.map((x, i) => {
    if (typeof x === 'number') return x;
    const v = toVariable(op, operands.length === 1 ? 'x' : `input ${i}`, x);
    vars.push(v);
    return v.value;
  });
  const value = forward(raw);
  // Gradients line up with `vars` (numbers get none).
  const slots = operands.map((x) => typeof x !== 'number');
  return record(op, value, vars, (dy) => rule(dy, raw, value, attrs).filter((_, i) => slots[i]));
}

const unary =
  (op: string, f: (x: Tensor) => Tensor, rule: GradRule<[Tensor], undefined>) =>
  (x: Variable | Tensor): Variable =>
    node(op, [x], ([a]) => f(a as Tensor), rule, undefined);

const binary =
  (op: string, f: (a: TensorLike, b: TensorLike) => Tensor, rule: GradRule<[TensorLike, TensorLike], undefined>) =>
  (a: Input, b: Input): Variable => {
    if (typeof a === 'number' && typeof b === 'number')
      throw new ValueError(op, 'at least one of a, b must be a Variable or Tensor, got two numbers');
    return node(op, [a, b], ([x, y]) => f(x, y), rule, undefined);
  };

/** a + b with broadcasting. */
export const add = binary('add', T.add, addGrad);
/** a − b with broadcasting. */
export const sub = binary('sub', T.sub, subGrad);
/** a · b elementwise with broadcasting. */
export const mul = binary('mul', T.mul, mulGrad);
/** a / b elementwise with broadcasting. */
export const div = binary('div', T.div, divGrad);
/** aᵇ elementwise; d/db is taken as 0 where a ≤ 0. */
export const pow = binary('pow', T.pow, powGrad);
/** Elementwise maximum; ties split the gradient evenly. */
export const maximum = binary('maximum', T.maximum, maximumGrad);
/** Elementwise minimum; ties split the gradient evenly. */
export const minimum = binary('minimum', T.minimum, minimumGrad);

/** −x. */
export const neg = unary('neg', T.neg, negGrad);
/** |x|, subgradient 0 at 0. */
export const abs = unary('abs', T.abs, absGrad);
/** sign(x), gradient 0 everywhere. */
export const sign = unary('sign', T.sign, signGrad);
/** √x. */
export const sqrt = unary('sqrt', T.sqrt, sqrtGrad);
/** x². */
export const square = unary('square', T.square, squareGrad);
/** eˣ. */
export const exp = unary('exp', T.exp, expGrad);
/** ln x. */
export const log = unary('log', T.log, logGrad);
/** ln(1 + x). */
export const log1p = unary('log1p', T.log1p, log1pGrad);
/** max(x, 0), relu′(0) = 0. */
export const relu = unary('relu', T.relu, reluGrad);
/** Logistic sigmoid. */
export const sigmoid = unary('sigmoid', T.sigmoid, sigmoidGrad);
/** tanh. */
export const tanh = unary('tanh', T.tanh, tanhGrad);
/** ln(1 + eˣ), stable. */
export const softplus = unary('softplus', T.softplus, softplusGrad);

/** x for x > 0, alpha·x otherwise (gradient alpha at 0). */
export function leakyRelu(x: Variable | Tensor, alpha = 0.01): Variable {
  return node('leakyRelu', [x], ([a]) => T.leakyRelu(a as Tensor, alpha), leakyReluGrad, { alpha });
}

/** Clamps to [min, max]; gradient 1 inside, bounds included. */
export function clip(x: Variable | Tensor, min: number, max: number): Variable {
  return node('clip', [x], ([a]) => T.clip(a as Tensor, min, max), clipGrad, { min, max });
}

/** `a` where `cond` ≠ 0, else `b` (cond gets no gradient). */
export function where(cond: Variable | Tensor, a: Input, b: Input): Variable {
  return node('where', [cond, a, b], ([c, x, y]) => T.where(c as Tensor, x, y), whereGrad, undefined);
}

/** sign(x)·max(|x| − t, 0); differentiable in x and (as a tensor) t. */
export function softThreshold(x: Variable | Tensor, t: Input): Variable {
  return node('softThreshold', [x, t], ([a, s]) => T.softThreshold(a as Tensor, s), softThresholdGrad, undefined);
}

/** x where |x| > t, else 0; gradient 1 on the kept entries, none for t. */
export function hardThreshold(x: Variable | Tensor, t: Input): Variable {
  return node('hardThreshold', [x, t], ([a, s]) => T.hardThreshold(a as Tensor, s), hardThresholdGrad, undefined);
}

/** Matrix product (2-D or batched 3-D) with transpose flags. */
export function matmul(a: Variable | Tensor, b: Variable | Tensor, options: MatmulOptions = {}): Variable {
  return node('matmul', [a, b], ([x, y]) => T.matmul(x as Tensor, y as Tensor, options), matmulGrad, { ...options });
}

const reduction =
  (op: string, f: (x: Tensor, o: ReduceOptions) => Tensor, rule: GradRule<[Tensor], ReduceOptions>) =>
  (x: Variable | Tensor, options: ReduceOptions = {}): Variable =>
    node(op, [x], ([a]) => f(a as Tensor, options), rule, { ...options });

/** Σ over all elements or one axis. */
export const sum = reduction('sum', T.sum, sumGrad);
/** Mean over all elements or one axis. */
export const mean = reduction('mean', T.mean, meanGrad);
/** Maximum over all or one axis; ties share the gradient. */
export const max = reduction('max', T.max, maxGrad);
/** Minimum over all or one axis; ties share the gradient. */
export const min = reduction('min', T.min, minGrad);
/** ‖x‖₁ over all or one axis. */
export const normL1 = reduction('normL1', T.normL1, normL1Grad);
/** ‖x‖₂ over all or one axis (gradient 0 at the origin). */
export const normL2 = reduction('normL2', T.normL2, normL2Grad);
/** ‖x‖∞ over all or one axis. */
export const normLInf = reduction('normLInf', T.normLInf, normLInfGrad);

/** log Σ exp along `axis` (default last). */
export function logSumExp(x: Variable | Tensor, options: { axis?: number; keepDims?: boolean } = {}): Variable {
  const axis = options.axis ?? -1;
  return node('logSumExp', [x], ([a]) => T.logSumExp(a as Tensor, options), logSumExpGrad, { axis });
}

/** softmax along `axis` (default last). */
export function softmax(x: Variable | Tensor, axis = -1): Variable {
  return node('softmax', [x], ([a]) => T.softmax(a as Tensor, axis), softmaxGrad, { axis });
}

/** log-softmax along `axis` (default last). */
export function logSoftmax(x: Variable | Tensor, axis = -1): Variable {
  return node('logSoftmax', [x], ([a]) => T.logSoftmax(a as Tensor, axis), logSoftmaxGrad, { axis });
}

/** The same values under a new shape (one −1 allowed). */
export function reshape(x: Variable | Tensor, shape: readonly number[]): Variable {
  return node('reshape', [x], ([a]) => T.reshape(a as Tensor, shape), reshapeGrad, undefined);
}

/** Permutes axes (default: reversed). */
export function transpose(x: Variable | Tensor, perm?: readonly number[]): Variable {
  const v = x instanceof Variable ? x.value : x;
  const r = isTensor(v) ? v.rank : 0;
  const p = perm ? perm.map((a) => (a < 0 ? a + r : a)) : [...Array(r).keys()].reverse();
  return node('transpose', [x], ([a]) => T.transpose(a as Tensor, perm), transposeGrad, { perm: p });
}

/** Rows start..end (exclusive) along the first axis. */
export function sliceRows(x: Variable | Tensor, start: number, end: number): Variable {
  return node('sliceRows', [x], ([a]) => T.sliceRows(a as Tensor, start, end), sliceRowsGrad, { start, end });
}

/** Slices at integer indices along `axis`; repeated indices add their gradients. */
export function gather(x: Variable | Tensor, indices: Tensor | readonly number[], axis = 0): Variable {
  if (isTensor(indices))
    return node('gather', [x, indices], ([a, i]) => T.gather(a as Tensor, i as Tensor, axis), gatherGrad, { axis });
  if (!Array.isArray(indices))
    throw new ValueError(
      'gather',
      `indices must be an array of integers or a 1-D Tensor, got ${T.describeValue(indices)}`,
    );
  // The array goes to the tensor op, which checks every index on the host; the rule needs it as a tensor.
  const list = indices as readonly number[];
  const idx = T.tensor(list.map(Number));
  try {
    return node('gather', [x, idx], ([a]) => T.gather(a as Tensor, list, axis), gatherGrad, { axis });
  } catch (e) {
    idx.dispose();
    throw e;
  }
}

/** Joins along `axis`. */
export function concat(xs: ReadonlyArray<Variable | Tensor>, axis = 0): Variable {
  return node('concat', [...xs], (raw) => T.concat(raw as Tensor[], axis), concatGrad, { axis });
}

/** L2 norm of each column of a 2-D input, shape [1, n]. */
export function columnNorms(x: Variable | Tensor): Variable {
  return normL2(x, { axis: 0, keepDims: true });
}

/**
 * Columns scaled to unit L2 norm; columns with norm ≤ eps are left as they are (and get
 * the identity gradient), matching the tensor package's `normalizeColumns`.
 */
export function normalizeColumns(x: Variable | Tensor, eps = 1e-12): Variable {
  const norms = columnNorms(x);
  const big = T.greater(norms.value, eps);
  const safe = where(big, norms, 1);
  return div(x, safe);
}

/**
 * Per-row softmax cross-entropy of logits [..., c] against target distributions of the same
 * shape (one-hot or probabilities): ℓ = −Σⱼ pⱼ log softmax(z)ⱼ, shape [...]. One fused node
 * whose gradient is softmax(z) − p: stable for any logits. See the losses for reductions
 * and integer labels.
 */
export function softmaxCrossEntropyRows(logits: Variable | Tensor, targets: Variable | Tensor): Variable {
  const z = toVariable('softmaxCrossEntropy', 'logits', logits);
  const p = toVariable('softmaxCrossEntropy', 'targets', targets);
  if (!sameShape(z.shape, p.shape)) {
    throw new T.ShapeError(
      'softmaxCrossEntropy',
      `targets must have the logits' shape ${T.formatShape(z.shape)}, got ${T.formatShape(p.shape)}`,
    );
  }
  if (z.rank < 1) throw new T.ShapeError('softmaxCrossEntropy', 'logits must have at least one dimension');
  const logProbs = T.logSoftmax(z.value, -1);
  const value = T.neg(T.sum(T.mul(p.value, logProbs), { axis: -1 }));
  return record('softmaxCrossEntropy', value, [z, p], (dy) =>
    softmaxCrossEntropyGrad(dy, [z.value, p.value], value, { logProbs }),
  );
}
