// One colour per MNIST method, fixed by the method's place in MNIST_METHODS, so a method has
// the same colour live, in the report and across runs with different method subsets.
import { MNIST_METHODS, type MnistMethod } from '../experiments/types.js';

// Ten distinguishable colours (Tableau 10), in method order.
const COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

/** The colour a method is drawn in. */
export function methodColour(method: MnistMethod): string {
  const index = MNIST_METHODS.indexOf(method);
  return COLOURS[Math.max(index, 0) % COLOURS.length];
}
