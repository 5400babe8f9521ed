import { add, Linear, Module, matmul, mul, type Parameter, type Variable } from '@sparsekit/autograd';
import { type Tensor, tensor, ValueError } from '@sparsekit/tensor';
import { checkOptions } from './checks.js';
import { HardConcreteGate, type HardConcreteGateOptions } from './hard-concrete.js';

/** Options of {@link GatedLinear}. */
export interface GatedLinearOptions extends HardConcreteGateOptions {
  /**
   * What a gate switches off: `'input'` (default; one gate per input feature, a column of the
   * weight, Louizos et al.'s group sparsity over input neurons) or `'output'` (one gate per
   * output neuron: a row of the weight and its bias).
   */
  gate?: 'input' | 'output';
  /** Add a bias (default true). */
  bias?: boolean;
  /** Weight initialisation, as {@link Linear}'s (default `'he'`). */
  init?: 'he' | 'xavier';
}

/** What {@link GatedLinear.compact} returns: `y[:, outputs] = linear(x[:, inputs])`. */
export interface CompactLinear {
  /** An ordinary layer over the open inputs to the open outputs, gates folded into its weights. */
  linear: Linear;
  /** Indices of the kept input features, ascending (all of them for output gates). */
  inputs: Int32Array;
  /** Indices of the kept outputs, ascending (all of them for input gates); the others are exactly 0. */
  outputs: Int32Array;
}

/**
 * A `Linear` layer whose input features (or output neurons) pass through
 * {@link HardConcreteGate}s: y = (x ⊙ z)·Wᵀ + b for input gates, y = (x·Wᵀ + b) ⊙ z for
 * output gates. Train it with the task loss plus λ·{@link GatedLinear.expectedL0}; in eval
 * mode closed gates are exactly 0, and {@link GatedLinear.compact} (or `compact(model)`)
 * removes them. Parameters are named `weight`, `bias` and `gate.logAlpha`.
 */
export class GatedLinear extends Module {
  /** [out, in], PyTorch's layout, as in `Linear`. */
  readonly weight: Parameter;
  /** [out], or null without bias. */
  readonly bias: Parameter | null;
  /** One gate per input feature (`gating: 'input'`) or per output neuron. */
  readonly gate: HardConcreteGate;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** What the gates switch off. */
  readonly gating: 'input' | 'output';

  constructor(inFeatures: number, outFeatures: number, options: GatedLinearOptions = {}) {
    super();
    checkOptions('GatedLinear', options, [
      'gate',
      'bias',
      'init',
      'seed',
      'beta',
      'gamma',
      'zeta',
      'initialDropRate',
      'epsilon',
    ]);
    const gating = options.gate ?? 'input';
    if (gating !== 'input' && gating !== 'output')
      throw new ValueError('GatedLinear', `gate must be 'input' or 'output', got ${String(gating)}`);
    const { gate: _g, bias, init, ...gateOptions } = options;
    // Linear validates sizes and init before it draws (or advances its default seed counter);
    // the gate validates the rest before the layer exists.
    if (!Number.isInteger(inFeatures) || !Number.isInteger(outFeatures) || inFeatures < 1 || outFeatures < 1) {
      throw new ValueError(
        'GatedLinear',
        `inFeatures and outFeatures must be positive integers, got ${inFeatures} and ${outFeatures}`,
      );
    }
    const gate = new HardConcreteGate(gating === 'input' ? inFeatures : outFeatures, gateOptions);
    const linear = new Linear(inFeatures, outFeatures, { bias, init, seed: options.seed });
    this.weight = linear.weight;
    this.bias = linear.bias;
    this.gate = gate;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.gating = gating;
  }

  forward(x: Variable | Tensor): Variable {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new ValueError('GatedLinear.forward', `x must be [batch, ${this.inFeatures}], got [${x.shape.join(', ')}]`);
    }
    if (this.gating === 'input') {
      const y = matmul(this.gate.forward(x), this.weight, { transposeB: true });
      return this.bias ? add(y, this.bias) : y;
    }
    const y = matmul(x, this.weight, { transposeB: true });
    return this.gate.forward(this.bias ? add(y, this.bias) : y);
  }

  /**
   * The expected number of non-zero weights (and biases) under the gates:
   * Σ_g |g|·P(z_g ≠ 0) (Louizos et al. 2018, eq. 15, group sparsity), where a group is a
   * weight column (|g| = out) for input gates, or a row and its bias (|g| = in + 1) for
   * output gates.
   */
  expectedL0(): Variable {
    const groupSize = this.gating === 'input' ? this.outFeatures : this.inFeatures + (this.bias ? 1 : 0);
    return mul(this.gate.expectedL0(), groupSize);
  }

  /** @internal The eval-mode layer as a plain affine map with the gates folded in: W' = W·diag(z) or diag(z)·W. */
  async foldedAffine(): Promise<{ weight: Float32Array; bias: Float32Array | null; gates: Float32Array }> {
    const [w, b, z] = await Promise.all([
      this.weight.value.data(),
      this.bias?.value.data() ?? null,
      this.gate.evalGates(),
    ]);
    const weight = Float32Array.from(w);
    const bias = b ? Float32Array.from(b) : null;
    const n = this.inFeatures;
    for (let i = 0; i < this.outFeatures; i++) {
      for (let j = 0; j < n; j++) weight[i * n + j] *= this.gating === 'input' ? z[j] : z[i];
      if (bias && this.gating === 'output') bias[i] *= z[i];
    }
    return { weight, bias, gates: z };
  }

  /**
   * An ordinary {@link Linear} with the closed gates removed and the open ones folded into
   * its weights, so `linear(x[:, inputs])` equals this layer's eval output at `outputs` (the
   * other outputs are exactly 0). Reads the parameters back; the layer is unchanged.
   */
  async compact(): Promise<CompactLinear> {
    const { weight, bias, gates } = await this.foldedAffine();
    const open = Int32Array.from([...gates.keys()].filter((j) => gates[j] > 0));
    const all = Int32Array.from({ length: this.gating === 'input' ? this.outFeatures : this.inFeatures }, (_, i) => i);
    // A layer with every gate closed still needs one row or column; it carries zeros.
    const kept = open.length ? open : Int32Array.of(0);
    const inputs = this.gating === 'input' ? kept : all;
    const outputs = this.gating === 'input' ? all : kept;
    const w = new Float32Array(outputs.length * inputs.length);
    outputs.forEach((i, r) => inputs.forEach((j, c) => (w[r * inputs.length + c] = weight[i * this.inFeatures + j])));
    const linear = new Linear(inputs.length, outputs.length, { bias: bias !== null, seed: 0 });
    linear.weight.assign(tensor(w, [outputs.length, inputs.length]));
    if (bias && linear.bias)
      linear.bias.assign(
        tensor(
          Float32Array.from(outputs, (i) => bias[i]),
          [outputs.length],
        ),
      );
    return { linear, inputs, outputs };
  }
}

/**
 * The model's expected L0 penalty: the sum of {@link GatedLinear.expectedL0} over its gated
 * layers and of {@link HardConcreteGate.expectedL0} over stand-alone gates. Add λ times it
 * to the task loss (Louizos et al. 2018, eq. 3 with the hard-concrete relaxation).
 */
export function expectedL0(model: Module): Variable {
  if (!(model instanceof Module)) throw new ValueError('expectedL0', `model must be a Module, got ${typeof model}`);
  const terms: Variable[] = [];
  const visit = (m: Module): void => {
    if (m instanceof GatedLinear) terms.push(m.expectedL0());
    else if (m instanceof HardConcreteGate) terms.push(m.expectedL0());
    else for (const [, child] of m.namedChildren()) visit(child);
  };
  visit(model);
  if (!terms.length) throw new ValueError('expectedL0', 'model has no GatedLinear layer or HardConcreteGate');
  return terms.reduce((a, b) => add(a, b));
}
