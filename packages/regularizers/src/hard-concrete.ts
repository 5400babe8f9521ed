import {
  add,
  clip,
  div,
  Module,
  mul,
  noGrad,
  Parameter,
  sigmoid,
  sub,
  sum,
  tidy,
  type Variable,
} from '@sparsekit/autograd';
import { log, log1p, neg, Random, rand, randn, type Tensor, sub as tsub, ValueError } from '@sparsekit/tensor';
import { checkInteger, checkOptions, checkRange } from './checks.js';

/** The stretch and temperature of a hard-concrete distribution (Louizos, Welling & Kingma 2018). */
export interface HardConcreteParameters {
  /** Temperature β of the concrete relaxation (default 2/3). */
  beta?: number;
  /** Lower end γ < 0 of the stretched interval (default −0.1). */
  gamma?: number;
  /** Upper end ζ > 1 of the stretched interval (default 1.1). */
  zeta?: number;
}

/** Options of {@link HardConcreteGate}. */
export interface HardConcreteGateOptions extends HardConcreteParameters {
  /**
   * Initial probability that a gate is closed, used to set log α = log(1 − p) − log p plus
   * N(0, 0.01²) noise as in the paper's code (default 0.5, i.e. log α ≈ 0).
   */
  initialDropRate?: number;
  /** Seed of the initial log α noise and of the training-time noise stream (default 0). */
  seed?: number;
  /** Noise is drawn from U(ε, 1 − ε) so log u and log(1 − u) stay finite (default 1e-6). */
  epsilon?: number;
}

/** The paper's defaults: β = 2/3, γ = −0.1, ζ = 1.1. */
export const HARD_CONCRETE_DEFAULTS: Readonly<Required<HardConcreteParameters>> = Object.freeze({
  beta: 2 / 3,
  gamma: -0.1,
  zeta: 1.1,
});

const PARAMETER_KEYS = ['beta', 'gamma', 'zeta'] as const;

/** @internal */
export function resolveHardConcrete(fn: string, p: HardConcreteParameters): Required<HardConcreteParameters> {
  const beta = p.beta ?? HARD_CONCRETE_DEFAULTS.beta;
  const gamma = p.gamma ?? HARD_CONCRETE_DEFAULTS.gamma;
  const zeta = p.zeta ?? HARD_CONCRETE_DEFAULTS.zeta;
  checkRange(fn, 'beta', beta, 0, Infinity, { lo: true, hi: true });
  checkRange(fn, 'gamma', gamma, -Infinity, 0, { lo: true, hi: true });
  checkRange(fn, 'zeta', zeta, 1, Infinity, { lo: true, hi: true });
  return { beta, gamma, zeta };
}

/**
 * A hard-concrete gate sample for fixed noise u ∈ (0, 1) (Louizos, Welling & Kingma 2018, eq. 10):
 *
 *   s = σ((log u − log(1 − u) + log α) / β),  s̄ = s·(ζ − γ) + γ,  z = min(1, max(0, s̄)).
 *
 * Differentiable in log α (the reparameterisation trick), with the noise held as a constant;
 * the gradient is 0 where the clamp is active, which is what lets a gate be exactly 0 or 1.
 */
export function hardConcreteSample(
  logAlpha: Variable | Tensor,
  u: Tensor,
  parameters: HardConcreteParameters = {},
): Variable {
  checkOptions('hardConcreteSample', parameters, PARAMETER_KEYS);
  const { beta, gamma, zeta } = resolveHardConcrete('hardConcreteSample', parameters);
  const logitU = tsub(log(u), log1p(neg(u)));
  const s = sigmoid(div(add(logAlpha, logitU), beta));
  return clip(add(mul(s, zeta - gamma), gamma), 0, 1);
}

/**
 * The deterministic gate used at test time (Louizos et al. 2018, eq. 13):
 * ẑ = min(1, max(0, σ(log α)·(ζ − γ) + γ)). A gate is closed (ẑ = 0) when
 * σ(log α) ≤ −γ / (ζ − γ), i.e. log α ≤ log(−γ/ζ).
 */
export function hardConcreteEval(logAlpha: Variable | Tensor, parameters: HardConcreteParameters = {}): Variable {
  checkOptions('hardConcreteEval', parameters, PARAMETER_KEYS);
  const { gamma, zeta } = resolveHardConcrete('hardConcreteEval', parameters);
  return clip(add(mul(sigmoid(logAlpha), zeta - gamma), gamma), 0, 1);
}

/**
 * The expected number of non-zero gates, Σⱼ P(zⱼ ≠ 0) = Σⱼ σ(log αⱼ − β·log(−γ/ζ))
 * (Louizos et al. 2018, eq. 12): the differentiable surrogate of the L0 norm.
 */
export function expectedL0Gates(logAlpha: Variable | Tensor, parameters: HardConcreteParameters = {}): Variable {
  checkOptions('expectedL0Gates', parameters, PARAMETER_KEYS);
  const { beta, gamma, zeta } = resolveHardConcrete('expectedL0Gates', parameters);
  return sum(sigmoid(sub(logAlpha, beta * Math.log(-gamma / zeta))));
}

/**
 * A vector of `size` hard-concrete gates z ∈ [0, 1] with learnable log α (Louizos, Welling &
 * Kingma 2018, "Learning Sparse Neural Networks through L0 Regularization"). `forward(x)`
 * multiplies the last axis of x by the gates. In training mode each call draws fresh noise
 * u ~ U(ε, 1 − ε) from a seeded stream (the same seed gives the same gates, call after call);
 * in eval mode the gates are the deterministic {@link hardConcreteEval}, so a closed gate is
 * exactly 0 and can be removed ({@link GatedLinear.compact}).
 */
export class HardConcreteGate extends Module {
  /** log α, one per gate. */
  readonly logAlpha: Parameter;
  /** Number of gates. */
  readonly size: number;
  /** Temperature β. */
  readonly beta: number;
  /** Lower end γ of the stretched interval. */
  readonly gamma: number;
  /** Upper end ζ of the stretched interval. */
  readonly zeta: number;
  /** Noise is drawn from U(ε, 1 − ε). */
  readonly epsilon: number;
  private readonly _rng: Random;

  constructor(size: number, options: HardConcreteGateOptions = {}) {
    super();
    checkOptions('HardConcreteGate', options, [...PARAMETER_KEYS, 'initialDropRate', 'seed', 'epsilon']);
    checkInteger('HardConcreteGate', 'size', size, 1);
    const { beta, gamma, zeta } = resolveHardConcrete('HardConcreteGate', options);
    const p = checkRange('HardConcreteGate', 'initialDropRate', options.initialDropRate ?? 0.5, 0, 1, {
      lo: true,
      hi: true,
    });
    const epsilon = checkRange('HardConcreteGate', 'epsilon', options.epsilon ?? 1e-6, 0, 0.5, { lo: true, hi: true });
    const seed = options.seed ?? 0;
    if (!Number.isFinite(seed)) throw new ValueError('HardConcreteGate', `seed must be a finite number, got ${seed}`);
    this.size = size;
    this.beta = beta;
    this.gamma = gamma;
    this.zeta = zeta;
    this.epsilon = epsilon;
    this.logAlpha = new Parameter(randn([size], { seed, mean: Math.log(1 - p) - Math.log(p), std: 0.01 }));
    this._rng = new Random(seed + 1);
  }

  /** The gates: a fresh stochastic sample in training mode, {@link hardConcreteEval} in eval mode. */
  gates(): Variable {
    const params = { beta: this.beta, gamma: this.gamma, zeta: this.zeta };
    if (!this.training) return hardConcreteEval(this.logAlpha, params);
    const u = rand([this.size], { seed: this._rng.nextUint32(), low: this.epsilon, high: 1 - this.epsilon });
    return hardConcreteSample(this.logAlpha, u, params);
  }

  /** x ⊙ z along the last axis of x. */
  forward(x: Variable | Tensor): Variable {
    const last = x.shape[x.shape.length - 1];
    if (last !== this.size)
      throw new ValueError(
        'HardConcreteGate.forward',
        `x's last axis must have ${this.size} entries, got shape [${x.shape.join(', ')}]`,
      );
    return mul(x, this.gates());
  }

  /** Σⱼ P(zⱼ ≠ 0), see {@link expectedL0Gates}. */
  expectedL0(): Variable {
    return expectedL0Gates(this.logAlpha, { beta: this.beta, gamma: this.gamma, zeta: this.zeta });
  }

  /** The deterministic (eval) gate values, read back to the host. */
  async evalGates(): Promise<Float32Array> {
    const z = noGrad(() =>
      tidy(() => hardConcreteEval(this.logAlpha.value, { beta: this.beta, gamma: this.gamma, zeta: this.zeta })),
    );
    try {
      return Float32Array.from(await z.value.data());
    } finally {
      z.dispose();
    }
  }
}
