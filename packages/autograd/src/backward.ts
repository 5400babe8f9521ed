/**
 * The bookkeeping behind `Variable.backward()`: the graph's order, the checks that come
 * before any gradient is written, the running gradient sums and who owns (and disposes) each
 * tensor, and releasing the graph afterwards. `backward()` itself reads as micrograd's.
 * @internal
 */
import {
  add,
  checkOptions,
  describeValue as describe,
  formatShape,
  isTensor,
  keep,
  reshape,
  ShapeError,
  type Tensor,
  ValueError,
} from '@sparsekit/tensor';
import { sameShape } from './broadcast.js';
import type { BackwardOptions, Variable } from './variable.js';

// Nodes whose graph backward() has consumed, so a second backward() can say why it fails.
const releasedGraph = new WeakSet<Variable>();

/** Whether backward() released the graph through `node`. */
export function isReleased(node: Variable): boolean {
  return releasedGraph.has(node);
}

/** backward()'s arguments, validated: the seed must match the output (or the output be a scalar). */
export function backwardOptions(
  root: Variable,
  options: Tensor | BackwardOptions | undefined,
): { gradOutput?: Tensor; retainGraph: boolean } {
  let gradOutput: Tensor | undefined;
  let retainGraph = false;
  if (isTensor(options)) gradOutput = options;
  else if (options !== undefined) {
    checkOptions('backward', options, ['gradOutput', 'retainGraph']);
    gradOutput = options.gradOutput;
    if (options.retainGraph !== undefined && typeof options.retainGraph !== 'boolean') {
      throw new ValueError(
        'backward',
        `options.retainGraph must be true or false, got ${describe(options.retainGraph)}`,
      );
    }
    retainGraph = options.retainGraph ?? false;
  }
  if (releasedGraph.has(root)) {
    throw new ValueError(
      'backward',
      `backward() was already called on this ${root.op} node and its graph was released; recompute the forward pass, or pass { retainGraph: true } to the first backward()`,
    );
  }
  if (!root.requiresGrad) {
    throw new ValueError(
      'backward',
      `this ${root.op} node does not require a gradient (no parameter or grad input reaches it)`,
    );
  }
  if (gradOutput !== undefined) {
    if (!isTensor(gradOutput))
      throw new ValueError('backward', `gradOutput must be a Tensor, got ${describe(gradOutput)}`);
    if (!sameShape(gradOutput.shape, root.shape)) {
      throw new ShapeError(
        'backward',
        `gradOutput must have the output's shape ${formatShape(root.shape)}, got ${formatShape(gradOutput.shape)}`,
      );
    }
  } else if (root.size !== 1) {
    throw new ShapeError(
      'backward',
      `a gradOutput is needed for a non-scalar output of shape ${formatShape(root.shape)}`,
    );
  }
  return { gradOutput, retainGraph };
}

/** Throws if the graph reaches a released node; checked before any gradient is written, so a rejected backward() changes nothing. */
export function assertNotReleased(order: readonly Variable[]): void {
  for (const node of order) {
    if (releasedGraph.has(node)) {
      throw new ValueError(
        'backward',
        `this graph reaches a ${node.op} node (shape ${formatShape(node.shape)}) whose graph an earlier backward() released, so its gradient would be lost; pass { retainGraph: true } to the earlier backward(), or call backward() once on the sum of the losses`,
      );
    }
  }
}

/**
 * The gradients in flight during one backward(): a running sum per node. Every tensor given
 * to it is owned by it and disposed exactly once — when summed into another, consumed by a
 * rule, dropped for an input that needs no gradient, or handed to a leaf's `.grad`.
 */
export class GradientSums {
  private readonly sums = new Map<Variable, Tensor>();

  /** Adds `g` into `node`'s sum. */
  add(node: Variable, g: Tensor): void {
    const prev = this.sums.get(node);
    if (!prev) {
      this.sums.set(node, g);
      return;
    }
    this.sums.set(node, add(prev, g));
    prev.dispose();
    g.dispose();
  }

  /** Removes and returns `node`'s total gradient (undefined when none reached it). */
  take(node: Variable): Tensor | undefined {
    const g = this.sums.get(node);
    this.sums.delete(node);
    return g;
  }

  /** Adds what `node`'s rule made of `dy` into its inputs' sums, then disposes `dy`. */
  pass(node: Variable, dy: Tensor, inputGrads: Array<Tensor | null>): void {
    // A rule may hand back dy itself, or one tensor for two inputs (add(x, x)): give each
    // slot its own handle (a view, no copy) so each can be disposed on its own.
    const handed = new Set<Tensor>([dy]);
    node.inputs.forEach((input, k) => {
      let ig = inputGrads[k];
      if (!ig) return;
      if (handed.has(ig)) ig = reshape(ig, ig.shape);
      handed.add(ig);
      if (!input.requiresGrad) {
        ig.dispose();
        return;
      }
      if (!sameShape(ig.shape, input.shape)) {
        throw new ShapeError(
          'backward',
          `gradient of ${node.op} for input ${k} has shape ${formatShape(ig.shape)}, expected ${formatShape(input.shape)}`,
        );
      }
      this.add(input, ig);
    });
    for (const ig of inputGrads.slice(node.inputs.length)) if (ig && !handed.has(ig)) ig.dispose();
    dy.dispose();
  }

  /** Accumulates a leaf's total gradient into its `.grad`, which outlives any enclosing tidy scope. */
  settle(leaf: Variable, g: Tensor): void {
    if (!leaf.grad) {
      leaf.grad = keep(g);
      return;
    }
    const sum = add(leaf.grad, g);
    leaf.grad.dispose();
    g.dispose();
    leaf.grad = keep(sum);
  }
}

/**
 * Drops every op node's rule and inputs, so the graph's intermediates can be freed, and
 * remembers the nodes so a later backward() through them can say why it fails.
 */
export function releaseGraph(order: readonly Variable[]): void {
  for (const node of order) {
    if (node.gradFn) {
      node.gradFn = null;
      node.inputs = [];
      releasedGraph.add(node);
    }
  }
}

/** `root` and every node it was computed from (through nodes requiring a gradient), each after its inputs. */
export function topologicalOrder(root: Variable): Variable[] {
  // Iterative DFS so deep graphs (long unrolled loops) cannot overflow the stack.
  const order: Variable[] = [];
  const seen = new Set<Variable>();
  const stack: Array<[Variable, number]> = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [node, i] = top;
    if (i < node.inputs.length) {
      top[1]++;
      const next = node.inputs[i];
      if (next.requiresGrad && !seen.has(next)) {
        seen.add(next);
        stack.push([next, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}
