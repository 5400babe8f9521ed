import { checkOptions, describeValue, type Tensor, ValueError } from '@sparsekit/tensor';
import { isModule } from '../brand.js';
import { toVariable, type Variable } from '../variable.js';
import { LeakyReLU, ReLU, Sigmoid, Softplus, Tanh } from './activations.js';
import { Linear, type LinearOptions } from './linear.js';
import { Module } from './module.js';

/** Modules applied in order; parameters are named `layers.<i>.<name>`. */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!isModule(m)) throw new ValueError('Sequential', `layers[${i}] must be a Module, got ${describeValue(m)}`);
    });
    this.layers = layers;
  }

  forward(x: Variable | Tensor): Variable {
    let y = toVariable('Sequential', 'x', x);
    for (const layer of this.layers) y = layer.forward(y);
    return y;
  }
}

/** Options of {@link mlp}. */
export interface MlpOptions extends Omit<LinearOptions, 'seed'> {
  /** Hidden activation (default `'relu'`); none after the last layer. */
  activation?: 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'softplus';
  /** Seed of the first layer; layer i uses seed + i (default 0). */
  seed?: number;
}

/**
 * A multilayer perceptron: `mlp([784, 128, 10])` is Linear(784→128), ReLU, Linear(128→10),
 * with parameters `layers.0.weight`, `layers.0.bias`, `layers.2.weight`, `layers.2.bias`.
 */
export function mlp(sizes: readonly number[], options: MlpOptions = {}): Sequential {
  if (!Array.isArray(sizes) || sizes.length < 2)
    throw new ValueError('mlp', `sizes must list at least 2 layer widths, got ${describeValue(sizes)}`);
  sizes.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1)
      throw new ValueError('mlp', `sizes[${i}] must be a positive integer, got ${describeValue(d)}`);
  });
  checkOptions('mlp', options, ['activation', 'bias', 'init', 'seed']);
  if (options.seed !== undefined && !Number.isInteger(options.seed))
    throw new ValueError('mlp', `options.seed must be an integer, got ${describeValue(options.seed)}`);
  const seed = options.seed ?? 0;
  const act = options.activation ?? 'relu';
  const make: Record<string, () => Module> = {
    relu: () => new ReLU(),
    leakyRelu: () => new LeakyReLU(),
    sigmoid: () => new Sigmoid(),
    tanh: () => new Tanh(),
    softplus: () => new Softplus(),
  };
  if (!Object.hasOwn(make, act))
    throw new ValueError('mlp', `activation must be one of ${Object.keys(make).join(', ')}, got ${String(act)}`);
  const layers: Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i], sizes[i + 1], { bias: options.bias, init: options.init, seed: seed + i }));
    if (i + 2 < sizes.length) layers.push(make[act]());
  }
  return new Sequential(...layers);
}
