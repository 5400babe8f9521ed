/**
 * The proximal optimizers' built-in penalties. Their proximal maps live in
 * `@sparsekit/regularizers` (one implementation per map in SparseKit); this module names the
 * three that the optimizers' `penalty: 'l1' | 'l0' | 'l1/2'` shorthand selects. Any
 * regularizer of that package, or any object with a `prox(w, step, scale?)` method, plugs
 * into a proximal optimizer's `prox` option directly.
 */
import { l0, l1, l12, type Prox, type Penalty as StrengthPenalty } from '@sparsekit/regularizers';
import { ValueError } from '@sparsekit/tensor';

export type { Prox };

/** The built-in penalties of the proximal optimizers. */
export type Penalty = 'l1' | 'l0' | 'l1/2';
/** Every {@link Penalty}. */
export const PENALTIES: readonly Penalty[] = ['l1', 'l0', 'l1/2'];

/** The L1 penalty λ‖x‖₁ (soft-thresholding): `@sparsekit/regularizers`' `l1`, tagged with its shorthand. */
export function l1Prox(lambda: number): StrengthPenalty & { penalty: 'l1' } {
  return { ...l1(lambda), penalty: 'l1' };
}

/** The L0 penalty λ‖x‖₀ (hard-thresholding at √(2·λ·step·scale)): `@sparsekit/regularizers`' `l0`, tagged. */
export function l0Prox(lambda: number): StrengthPenalty & { penalty: 'l0' } {
  return { ...l0(lambda), penalty: 'l0' };
}

/** The L½ penalty λ Σ|xᵢ|^½ (half-thresholding, Xu et al. 2012): `@sparsekit/regularizers`' `l12`, tagged. */
export function l12Prox(lambda: number): StrengthPenalty & { penalty: 'l1/2' } {
  return { ...l12(lambda), penalty: 'l1/2' };
}

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
      throw new ValueError(
        'penaltyProx',
        `penalty must be one of ${PENALTIES.map((p) => `'${p}'`).join(', ')}, got ${String(penalty)}`,
      );
  }
}
