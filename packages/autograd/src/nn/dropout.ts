import {
  checkOptions,
  describeValue,
  greaterEqual,
  mul,
  Random,
  rand,
  type Tensor,
  ValueError,
} from '@sparsekit/tensor';
import { mul as vmul } from '../ops.js';
import { toVariable, type Variable } from '../variable.js';
import { Module } from './module.js';

/**
 * Inverted dropout: in training mode each element is zeroed with probability `p` and the
 * rest scaled by 1/(1 − p), so evaluation (the identity) needs no rescaling. Masks come
 * from a seeded stream: the same seed gives the same masks, call after call.
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly _rng: Random;

  constructor(p = 0.5, options: { seed?: number } = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p < 1))
      throw new ValueError('Dropout', `p must be in [0, 1), got ${describeValue(p)}`);
    checkOptions('Dropout', options, ['seed']);
    if (options.seed !== undefined && !Number.isInteger(options.seed))
      throw new ValueError('Dropout', `options.seed must be an integer, got ${describeValue(options.seed)}`);
    this.p = p;
    this._rng = new Random(options.seed ?? 0);
  }

  forward(x: Variable | Tensor): Variable {
    const v = toVariable('Dropout', 'x', x);
    if (!this.training || this.p === 0) return v;
    const keepMask = mul(greaterEqual(rand(v.shape, { seed: this._rng.nextUint32() }), this.p), 1 / (1 - this.p));
    return vmul(v, keepMask);
  }
}
