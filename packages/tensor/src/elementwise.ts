import { ValueError } from './errors.js';
import { type CodeContext, expOf } from './fastmath.js';
import { assertTensor, elementwise, lit } from './internal.js';
import { broadcastShapes, checkFinite } from './shape.js';
import type { Tensor } from './tensor.js';

/** A tensor or a plain number (broadcast as a scalar). */
export type TensorLike = Tensor | number;

// Each code template keeps NaN flowing the way IEEE and PyTorch do. GLSL compilers (Mesa,
// ANGLE) rewrite `x < 0 ? 0 : x` into max(x, 0), which drops NaN, so every select that
// looks like a min/max/clamp is guarded by an explicit `x != x` test.
const nanGuard = (a: string, expr: string): string => `(${a} != ${a} ? ${a} : ${expr})`;

function unary(op: string, x: Tensor, code: (a: string, ctx: CodeContext) => string): Tensor {
  assertTensor(op, 'x', x);
  return elementwise(x.shape, [x], ([a], ctx) => code(a, ctx));
}

function binary(
  op: string,
  a: TensorLike,
  b: TensorLike,
  code: (x: string, y: string, ctx: CodeContext) => string,
): Tensor {
  const ta = typeof a === 'number';
  const tb = typeof b === 'number';
  if (ta && tb) throw new ValueError(op, 'at least one of a, b must be a Tensor, got two numbers');
  if (!ta) assertTensor(op, 'a', a);
  if (!tb) assertTensor(op, 'b', b);
  const shape = ta
    ? (b as Tensor).shape
    : tb
      ? (a as Tensor).shape
      : broadcastShapes(op, (a as Tensor).shape, (b as Tensor).shape);
  return elementwise(shape, [a, b], ([x, y], ctx) => code(x, y, ctx));
}

/** a + b, with NumPy broadcasting. */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b, (x, y) => `(${x} + ${y})`);
/** a − b, with broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b, (x, y) => `(${x} - ${y})`);
/** a · b elementwise, with broadcasting. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b, (x, y) => `(${x} * ${y})`);
/** a / b elementwise, with broadcasting (IEEE: x/0 = ±Inf, 0/0 = NaN). */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b, (x, y) => `(${x} / ${y})`);

/**
 * aᵇ elementwise. Negative bases with integer exponents keep their sign as in
 * `Math.pow` (GLSL's pow is undefined there, so the sign is restored explicitly);
 * pow(x, 0) = 1.
 */
export const pow = (a: TensorLike, b: TensorLike): Tensor =>
  binary('pow', a, b, (x, y, ctx) => {
    // |a|^|b| with the sign restored for negative (or −0) bases and odd integer exponents,
    // and inverted for b < 0, so pow(±0, b < 0) = ±Inf as in IEEE; GLSL's pow is undefined
    // for a < 0 and for a = 0 with b ≤ 0. A finite negative base with a fractional exponent
    // is NaN; −Inf with one is +Inf or +0, as in IEEE and JavaScript.
    // odd integer exponents only: (−0)^−2.5 is +Inf as in IEEE and JavaScript, not −Inf
    const sgn = `(((${x} < 0.0 || (${x} == 0.0 && 1.0 / ${x} < 0.0)) && Math.floor(${y}) == ${y} && Math.floor(${y} * 0.5) * 2.0 != ${y}) ? -1.0 : 1.0)`;
    const mag = `Math.pow(Math.abs(${x}), Math.abs(${y}))`;
    return (
      `(${y} == 0.0 ? 1.0 : ((${x} != ${x} || ${y} != ${y}) ? ${x} + ${y} : ` +
      `((${x} < 0.0 && ${x} >= -3.4028234663852886e38 && Math.floor(${y}) != ${y}) ? ${ctx.constant(NaN)} : ` +
      `(${y} < 0.0 ? ${sgn} / ${mag} : ${sgn} * ${mag}))))`
    );
  });

/** Elementwise maximum; NaN if either is NaN. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  binary('maximum', a, b, (x, y) => `((${x} != ${x} || ${y} != ${y}) ? ${x} + ${y} : (${x} > ${y} ? ${x} : ${y}))`);
/** Elementwise minimum; NaN if either is NaN. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor =>
  binary('minimum', a, b, (x, y) => `((${x} != ${x} || ${y} != ${y}) ? ${x} + ${y} : (${x} < ${y} ? ${x} : ${y}))`);

/** 1 where a = b, else 0. */
export const equal = (a: TensorLike, b: TensorLike): Tensor =>
  binary('equal', a, b, (x, y) => `(${x} == ${y} ? 1.0 : 0.0)`);
/** 1 where a ≠ b (and where either is NaN), else 0. */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor =>
  binary('notEqual', a, b, (x, y) => `(${x} == ${y} ? 0.0 : 1.0)`);
/** 1 where a > b, else 0. */
export const greater = (a: TensorLike, b: TensorLike): Tensor =>
  binary('greater', a, b, (x, y) => `(${x} > ${y} ? 1.0 : 0.0)`);
/** 1 where a ≥ b, else 0. */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor =>
  binary('greaterEqual', a, b, (x, y) => `(${x} >= ${y} ? 1.0 : 0.0)`);
/** 1 where a < b, else 0. */
export const less = (a: TensorLike, b: TensorLike): Tensor =>
  binary('less', a, b, (x, y) => `(${x} < ${y} ? 1.0 : 0.0)`);
/** 1 where a ≤ b, else 0. */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor =>
  binary('lessEqual', a, b, (x, y) => `(${x} <= ${y} ? 1.0 : 0.0)`);

/** −x. */
export const neg = (x: Tensor): Tensor => unary('neg', x, (a) => `(-${a})`);
/** |x|. */
export const abs = (x: Tensor): Tensor => unary('abs', x, (a) => `Math.abs(${a})`);
/** sign(x) ∈ {−1, 0, 1}, with sign(0) = 0 and sign(NaN) = NaN. */
export const sign = (x: Tensor): Tensor => unary('sign', x, (a) => `(${a} > 0.0 ? 1.0 : (${a} < 0.0 ? -1.0 : ${a}))`);
/** √x (NaN for x < 0). */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, (a) => `Math.sqrt(${a})`);
/** x². */
export const square = (x: Tensor): Tensor => unary('square', x, (a) => `(${a} * ${a})`);
/** eˣ. */
export const exp = (x: Tensor): Tensor => unary('exp', x, (a, ctx) => expOf(ctx, a));
/** ln x (−Inf at 0, NaN below). */
export const log = (x: Tensor): Tensor =>
  unary('log', x, (a, ctx) =>
    nanGuard(a, `(${a} < 0.0 ? ${ctx.constant(NaN)} : (${a} == 0.0 ? ${ctx.constant(-Infinity)} : Math.log(${a})))`),
  );
/** ln(1 + x), accurate for small x (Goldberg's correction: log(u)·x/(u−1) with u = 1 + x). */
export const log1p = (x: Tensor): Tensor =>
  unary('log1p', x, (a, ctx) =>
    nanGuard(
      a,
      `(${a} < -1.0 ? ${ctx.constant(NaN)} : (${a} == -1.0 ? ${ctx.constant(-Infinity)} : ` +
        `(${a} > 1.0e30 ? Math.log(${a}) : ((1.0 + ${a}) == 1.0 ? ${a} : Math.log(1.0 + ${a}) * ${a} / ((1.0 + ${a}) - 1.0)))))`,
    ),
  );
/** max(x, 0), with relu(0) = 0 and NaN passed through. */
export const relu = (x: Tensor): Tensor => unary('relu', x, (a) => nanGuard(a, `(${a} < 0.0 ? 0.0 : ${a})`));
/** x for x ≥ 0, alpha·x below (default alpha 0.01). */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  checkFinite('leakyRelu', 'alpha', alpha);
  const al = lit(alpha);
  return unary('leakyRelu', x, (a) => nanGuard(a, `(${a} < 0.0 ? ${al} * ${a} : ${a})`));
}
/** 1 / (1 + e⁻ˣ); saturates cleanly to 0 and 1. */
export const sigmoid = (x: Tensor): Tensor =>
  unary('sigmoid', x, (a, ctx) => nanGuard(a, `(1.0 / (1.0 + ${expOf(ctx, `-${a}`)}))`));
/** tanh x (the argument is clamped to ±20 where tanh is ±1 in float32, avoiding exp overflow in GLSL). */
export const tanh = (x: Tensor): Tensor =>
  unary('tanh', x, (a) => nanGuard(a, `Math.tanh(${a} < -20.0 ? -20.0 : (${a} > 20.0 ? 20.0 : ${a}))`));
/** ln(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) so large |x| never overflows. */
export const softplus = (x: Tensor): Tensor =>
  unary('softplus', x, (a, ctx) => {
    const e = ctx.temp(expOf(ctx, `-Math.abs(${a})`));
    return nanGuard(
      a,
      `((${a} > 0.0 ? ${a} : 0.0) + ((1.0 + ${e}) == 1.0 ? ${e} : Math.log(1.0 + ${e}) * ${e} / ((1.0 + ${e}) - 1.0)))`,
    );
  });

/** Clamps x to [min, max]; NaN stays NaN. */
export function clip(x: Tensor, min: number, max: number): Tensor {
  checkFinite('clip', 'min', min === -Infinity ? -3.4e38 : min);
  checkFinite('clip', 'max', max === Infinity ? 3.4e38 : max);
  if (min > max) throw new ValueError('clip', `min must be <= max, got min=${min}, max=${max}`);
  const lo = lit(min);
  const hi = lit(max);
  return unary('clip', x, (a) => nanGuard(a, `(${a} < ${lo} ? ${lo} : (${a} > ${hi} ? ${hi} : ${a}))`));
}

/** Picks `a` where `cond` ≠ 0, else `b`; all three broadcast together. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  assertTensor('where', 'cond', cond);
  if (typeof a !== 'number') assertTensor('where', 'a', a);
  if (typeof b !== 'number') assertTensor('where', 'b', b);
  let shape = cond.shape as number[];
  if (typeof a !== 'number') shape = broadcastShapes('where', shape, a.shape);
  if (typeof b !== 'number') shape = broadcastShapes('where', shape, b.shape);
  return elementwise(shape, [cond, a, b], ([c, x, y]) => `(${c} != 0.0 ? ${x} : ${y})`);
}

/**
 * Soft-thresholding, the proximal operator of t·|·|: sign(x)·max(|x| − t, 0).
 * `t` is a non-negative number, or a tensor broadcast against x (negative entries act as 0).
 */
export function softThreshold(x: Tensor, t: TensorLike): Tensor {
  assertTensor('softThreshold', 'x', x);
  if (typeof t === 'number') {
    checkFinite('softThreshold', 't', t);
    if (t < 0) throw new ValueError('softThreshold', `t must be >= 0, got ${t}`);
  }
  // A tensor threshold is clamped at 0 (a negative one would expand |x|; it cannot be
  // rejected without reading the tensor back).
  return binary('softThreshold', x, t, (a, s, ctx) => {
    const u = typeof t === 'number' ? s : ctx.temp(`(${s} < 0.0 ? 0.0 : ${s})`);
    return nanGuard(a, `(${a} > ${u} ? ${a} - ${u} : (${a} < -${u} ? ${a} + ${u} : 0.0))`);
  });
}

/** Hard-thresholding: x where |x| > t, else 0 (the proximal operator of the L0 penalty t²/2·‖x‖₀). */
export function hardThreshold(x: Tensor, t: TensorLike): Tensor {
  assertTensor('hardThreshold', 'x', x);
  if (typeof t === 'number') {
    checkFinite('hardThreshold', 't', t);
    if (t < 0) throw new ValueError('hardThreshold', `t must be >= 0, got ${t}`);
  }
  return binary('hardThreshold', x, t, (a, s) => nanGuard(a, `(Math.abs(${a}) > ${s} ? ${a} : 0.0)`));
}
