/**
 * Proximal operators, through the small structural interface the proximal optimizers take.
 * `@sparsekit/regularizers` implements the full set (group lasso, elastic net, …); this
 * package only needs the interface and the three penalties of proximal Adam.
 */
import { type Tensor, ValueError, abs, add, div, greater, hardThreshold, mul, pow, sign, softThreshold, sqrt, sub, where } from '@sparsekit/tensor';

/**
 * A penalty R's proximal operator:
 *   prox(w, step, scale) = argminₓ R(x) + Σᵢ (xᵢ − wᵢ)² / (2 · step · scaleᵢ),
 * i.e. a proximal step of size `step`, per coordinate preconditioned by `scale` (a tensor
 * broadcasting against w, e.g. proximal Adam's 1/(√v̂ + ε); omitted: 1). Returns a lazy tensor.
 */
export interface Prox {
  prox(w: Tensor, step: number, scale?: Tensor): Tensor;
}

function threshold(step: number, scale: Tensor | undefined, lambda: number): Tensor | number {
  return scale ? mul(scale, step * lambda) : step * lambda;
}

function checkLambda(op: string, lambda: number): void {
  if (!(typeof lambda === 'number' && Number.isFinite(lambda) && lambda >= 0)) {
    throw new ValueError(op, `lambda must be a finite number >= 0, got ${String(lambda)}`);
  }
}

/** The L1 penalty λ‖x‖₁: soft-thresholding, sign(w)·max(|w| − step·scale·λ, 0). */
export function l1Prox(lambda: number): Prox & { lambda: number; penalty: 'l1' } {
  checkLambda('l1Prox', lambda);
  return { lambda, penalty: 'l1', prox: (w, step, scale) => softThreshold(w, threshold(step, scale, lambda)) };
}

/**
 * The L0 penalty λ‖x‖₀: hard-thresholding, keeping w where |w| > √(2·λ·step·scale)
 * (the ProxGen L0 step of Yun, Lozano & Yang, 2021, with scale = 1/denom).
 */
export function l0Prox(lambda: number): Prox & { lambda: number; penalty: 'l0' } {
  checkLambda('l0Prox', lambda);
  return {
    lambda,
    penalty: 'l0',
    prox: (w, step, scale) => hardThreshold(w, scale ? sqrt(mul(scale, 2 * step * lambda)) : Math.sqrt(2 * step * lambda)),
  };
}

/** Newton iterations for the L½ prox; from √|w| the iteration descends monotonically to the root. */
const HALF_NEWTON_STEPS = 6;

/**
 * The L½ penalty λ Σ |xᵢ|^½ (Xu, Chang, Xu & Zhang, 2012, "L1/2 regularization: a
 * thresholding representation theory and a fast solver"). With τ = λ·step·scale, the
 * minimiser of ½(x − w)² + τ√|x| is 0 when |w| ≤ (3/2)·τ^(2/3), else sign(w)·y² where y is
 * the largest root of y³ − |w|·y + τ/2 = 0 (the half-thresholding closed form, here reached
 * by Newton's method from y = √|w| so only elementwise ops are needed).
 */
export function l12Prox(lambda: number): Prox & { lambda: number; penalty: 'l1/2' } {
  checkLambda('l12Prox', lambda);
  return {
    lambda,
    penalty: 'l1/2',
    prox(w, step, scale) {
      const tau = threshold(step, scale, lambda);
      const a = abs(w);
      let y = sqrt(a);
      for (let k = 0; k < HALF_NEWTON_STEPS; k++) {
        // y ← y − (y³ − a·y + τ/2) / (3y² − a)
        const f = add(sub(mul(mul(y, y), y), mul(a, y)), typeof tau === 'number' ? tau * 0.5 : mul(tau, 0.5));
        const df = sub(mul(mul(y, y), 3), a);
        y = sub(y, div(f, df));
      }
      const cut = typeof tau === 'number' ? 1.5 * Math.cbrt(tau * tau) : mul(pow(tau, 2 / 3), 1.5);
      return where(greater(a, cut), mul(sign(w), mul(y, y)), 0);
    },
  };
}

/** The built-in penalties of the proximal optimizers. */
export type Penalty = 'l1' | 'l0' | 'l1/2';
/** Every {@link Penalty}. */
export const PENALTIES: readonly Penalty[] = ['l1', 'l0', 'l1/2'];

/** The proximal operator of a built-in penalty with strength λ. */
export function penaltyProx(penalty: Penalty, lambda: number): Prox {
  switch (penalty) {
    case 'l1':
      return l1Prox(lambda);
    case 'l0':
      return l0Prox(lambda);
    case 'l1/2':
      return l12Prox(lambda);
    default:
      throw new ValueError('penaltyProx', `penalty must be one of ${PENALTIES.map((p) => `'${p}'`).join(', ')}, got ${String(penalty)}`);
  }
}
