import type { MatmulOptions, Tensor } from '@sparsekit/tensor';
import { matmul, sum } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/**
 * C = op(A)·op(B) with op a transpose or not. Per case (dC = dy):
 * plain: dA = dC·Bᵀ, dB = Aᵀ·dC; Aᵀ·B: dA = B·dCᵀ, dB = A·dC;
 * A·Bᵀ: dA = dC·B, dB = dCᵀ·A; Aᵀ·Bᵀ: dA = Bᵀ·dCᵀ, dB = dCᵀ·Aᵀ.
 * A 2-D operand shared by a batched product gets the sum over the batch.
 */
export const matmulGrad: GradRule<[Tensor, Tensor], MatmulOptions> = (dy, [a, b], _out, options) => {
  const ta = options.transposeA === true;
  const tb = options.transposeB === true;
  let da: Tensor;
  let db: Tensor;
  if (!ta && !tb) {
    da = matmul(dy, b, { transposeB: true });
    db = matmul(a, dy, { transposeA: true });
  } else if (ta && !tb) {
    da = matmul(b, dy, { transposeB: true });
    db = matmul(a, dy);
  } else if (!ta && tb) {
    da = matmul(dy, b);
    db = matmul(dy, a, { transposeA: true });
  } else {
    da = matmul(b, dy, { transposeA: true, transposeB: true });
    db = matmul(dy, a, { transposeA: true, transposeB: true });
  }
  if (da.rank > a.rank) da = sum(da, { axis: 0 });
  if (db.rank > b.rank) db = sum(db, { axis: 0 });
  return [da, db];
};
