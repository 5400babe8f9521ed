import { add, clip, greater, less, max, min, ValueError, zeros } from '@sparsekit/tensor';
import { checkProx, indicatorValue, type Projection, tensorOf } from './regularizer.js';

/**
 * The box constraint lower ≤ wᵢ ≤ upper (either bound may be infinite).
 *
 * - project: clip(w, lower, upper);
 * - prox: the same clip for any step and positive preconditioner, since the box is a product
 *   of intervals and the projection separates by coordinate.
 */
export function projectBox(lower: number, upper: number): Projection {
  for (const [name, v] of [
    ['lower', lower],
    ['upper', upper],
  ] as const) {
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new ValueError('projectBox', `${name} must be a number (±Infinity allowed), got ${String(v)}`);
  }
  if (!(lower <= upper) || lower === Infinity || upper === -Infinity) {
    throw new ValueError('projectBox', `need lower <= upper with a non-empty box, got lower=${lower}, upper=${upper}`);
  }
  const project = (op: string, w: unknown): ReturnType<typeof clip> => clip(tensorOf(op, 'w', w), lower, upper);
  return {
    name: 'box',
    project: (w) => project('projectBox.project', w),
    prox: (w, step, scale) => project('projectBox.prox', checkProx('projectBox.prox', w, step, scale)),
    value(w) {
      const x = tensorOf('projectBox.value', 'w', w);
      return indicatorValue(greater(add(less(min(x), lower), greater(max(x), upper)), 0));
    },
    subgradient: (w) => zeros(tensorOf('projectBox.subgradient', 'w', w).shape),
  };
}
