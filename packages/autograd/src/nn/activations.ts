import { describeValue, type Tensor, ValueError } from '@sparsekit/tensor';
import { leakyRelu, relu, sigmoid, softplus, tanh } from '../ops.js';
import type { Variable } from '../variable.js';
import { Module } from './module.js';

/** max(x, 0). */
export class ReLU extends Module {
  forward(x: Variable | Tensor): Variable {
    return relu(x);
  }
}

/** x for x > 0, alpha·x otherwise. */
export class LeakyReLU extends Module {
  constructor(readonly alpha = 0.01) {
    super();
    if (typeof alpha !== 'number' || !Number.isFinite(alpha))
      throw new ValueError('LeakyReLU', `alpha must be a finite number, got ${describeValue(alpha)}`);
  }
  forward(x: Variable | Tensor): Variable {
    return leakyRelu(x, this.alpha);
  }
}

/** 1 / (1 + e⁻ˣ). */
export class Sigmoid extends Module {
  forward(x: Variable | Tensor): Variable {
    return sigmoid(x);
  }
}

/** tanh x. */
export class Tanh extends Module {
  forward(x: Variable | Tensor): Variable {
    return tanh(x);
  }
}

/** ln(1 + eˣ). */
export class Softplus extends Module {
  forward(x: Variable | Tensor): Variable {
    return softplus(x);
  }
}
