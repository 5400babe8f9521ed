import { checkOptions, describeValue, rand, randn, type Tensor, ValueError, zeros } from '@sparsekit/tensor';
import { add, matmul } from '../ops.js';
import { Parameter, type Variable } from '../variable.js';
import { Module } from './module.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /**
   * Weight initialisation: `'he'` (default; normal with std √(2/in), He et al. 2015, for
   * ReLU networks) or `'xavier'` (uniform on ±√(6/(in+out)), Glorot & Bengio 2010). Biases
   * start at zero.
   */
  init?: 'he' | 'xavier';
  /** Seed of the initialisation (default: a per-process counter, so layers differ but runs repeat). */
  seed?: number;
}

let nextSeed = 0x5eed;

/** y = x·Wᵀ + b, with the weight stored as [out, in] (PyTorch's layout). */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [name, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new ValueError('Linear', `${name} must be a positive integer, got ${describeValue(v)}`);
    }
    checkOptions('Linear', options, ['bias', 'init', 'seed']);
    if (options.bias !== undefined && typeof options.bias !== 'boolean')
      throw new ValueError('Linear', `options.bias must be true or false, got ${describeValue(options.bias)}`);
    if (options.seed !== undefined && !Number.isInteger(options.seed))
      throw new ValueError('Linear', `options.seed must be an integer, got ${describeValue(options.seed)}`);
    const init = options.init ?? 'he';
    if (init !== 'he' && init !== 'xavier')
      throw new ValueError('Linear', `init must be 'he' or 'xavier', got ${String(init)}`);
    const seed = options.seed ?? nextSeed++;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const shape = [outFeatures, inFeatures];
    let w: Tensor;
    if (init === 'he') w = randn(shape, { seed, std: Math.sqrt(2 / inFeatures) });
    else {
      const a = Math.sqrt(6 / (inFeatures + outFeatures));
      w = rand(shape, { seed, low: -a, high: a });
    }
    this.weight = new Parameter(w);
    this.bias = options.bias === false ? null : new Parameter(zeros([outFeatures]));
  }

  forward(x: Variable | Tensor): Variable {
    const y = matmul(x, this.weight, { transposeB: true });
    return this.bias ? add(y, this.bias) : y;
  }
}
