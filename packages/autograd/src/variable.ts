import { ShapeError, type Tensor, ValueError, add, formatShape, keep, ones, reshape, tidy as tensorTidy, isTensor, checkOptions, describeValue as describe } from '@sparsekit/tensor';
import { PARAMETER, VARIABLE, brandedInstanceOf } from './brand.js';
import { sameShape } from './broadcast.js';

/**
 * A gradient rule: given the gradient of the loss with respect to an op's output, the
 * gradients with respect to each of its inputs (`null` where an input gets none).
 * It runs inside a tidy scope, so temporaries it creates are freed; what it returns is kept.
 */
export type GradientFn = (dy: Tensor) => Array<Tensor | null>;

/** What the differentiable ops accept: a variable, a plain tensor (a constant), or a number. */
export type Input = Variable | Tensor | number;

/** Options of {@link Variable.backward}. */
export interface BackwardOptions {
  /** Seeds the gradient; needed for an output of more than one element (default: 1). */
  gradOutput?: Tensor;
  /**
   * Keep the graph for another `backward()` through it (PyTorch's `retain_graph`), e.g.
   * two losses sharing a forward pass. Default false: the graph is released, and a later
   * `backward()` that reaches it throws.
   */
  retainGraph?: boolean;
}

let gradEnabled = true;

/**
 * A node of the computation graph: a tensor value, the nodes it was computed from, and
 * the closure that turns its output gradient into theirs. There is no tape: the graph
 * is the web of `inputs` references, walked in topological order by {@link Variable.backward}.
 */
export class Variable {
  /** The value. For a {@link Parameter} it is replaced by {@link Parameter.assign}. */
  value: Tensor;
  /**
   * The accumulated gradient of the last {@link Variable.backward} calls, for leaves that
   * require a gradient (parameters, inputs of {@link grad}); `null` before any.
   */
  grad: Tensor | null = null;
  /** Whether gradients flow to (or through) this node. */
  readonly requiresGrad: boolean;
  /** The op that made it (`'leaf'` for leaves), for messages and debugging. */
  readonly op: string;
  /** @internal */ inputs: Variable[];
  /** @internal */ gradFn: GradientFn | null;
  /** @internal whether dispose() releases the value */ readonly owned: boolean;

  /** `instanceof` that also recognises variables of another copy of this package (ESM next to CJS). */
  static [Symbol.hasInstance](x: unknown): boolean {
    return brandedInstanceOf(this, Variable, VARIABLE, x);
  }

  constructor(value: Tensor, options: { requiresGrad?: boolean; op?: string; owned?: boolean } = {}) {
    if (!isTensor(value)) throw new ValueError('Variable', `value must be a Tensor, got ${describe(value)}`);
    this.value = value;
    this.requiresGrad = options.requiresGrad ?? false;
    this.op = options.op ?? 'leaf';
    this.owned = options.owned ?? true;
    this.inputs = [];
    this.gradFn = null;
  }

  get shape(): readonly number[] {
    return this.value.shape;
  }

  get size(): number {
    return this.value.size;
  }

  get rank(): number {
    return this.value.rank;
  }

  /**
   * Whether this node is a leaf: it has no gradient rule, so backward() stops here (a
   * parameter, an input, a constant; also an op's result recorded without gradients, or
   * whose graph backward() released). False for a node an op made with a gradient rule.
   */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * Reverse-mode differentiation from this node. The gradient is seeded with `gradOutput`
   * (a tensor of this node's shape, given directly or as `{ gradOutput }`), which defaults
   * to 1 for a one-element value (a loss); other shapes must pass one.
   * Gradients are added into `.grad` of the leaves that require one (so they accumulate
   * across calls, as in PyTorch: zero them between steps). Intermediate gradients are
   * disposed and, unless `retainGraph` is set, the graph is released: a second
   * `backward()` reaching any node of it throws a `ValueError` before changing anything,
   * rather than silently stopping there. To backpropagate two losses that share a forward
   * pass, pass `{ retainGraph: true }` to the first call, or call `backward()` on their sum.
   */
  backward(options?: Tensor | BackwardOptions): void {
    const { gradOutput, retainGraph } = backwardOptions(this, options);
    // Root first: every node comes before the inputs it was computed from.
    const order = topologicalOrder(this).reverse();
    assertNotReleased(order);
    const grads = new GradientSums();
    // The seed is owned here (a copy-free view would alias the caller's tensor).
    grads.add(this, gradOutput ? add(gradOutput, 0) : ones(this.shape));
    for (const node of order) {
      const dy = grads.take(node);
      if (!dy) continue;
      const rule = node.gradFn;
      if (rule) grads.pass(node, dy, tensorTidy(() => rule(dy)));
      else grads.settle(node, dy);
    }
    if (!retainGraph) releaseGraph(order);
  }

  /** Disposes the value (when this node owns it) and the gradient. */
  dispose(): void {
    if (this.owned) this.value.dispose();
    this.grad?.dispose();
    this.grad = null;
    this.gradFn = null;
    this.inputs = [];
  }

  /** Reads the value (see `Tensor.data`). */
  data(): Promise<Float32Array> {
    return this.value.data();
  }

  /** Reads the value synchronously (see `Tensor.dataSync`). */
  dataSync(): Float32Array {
    return this.value.dataSync();
  }

  /** Reads a one-element value as a number. */
  item(): Promise<number> {
    return this.value.item();
  }

  toString(): string {
    return `Variable(${this.op}, shape=${formatShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}

// Nodes whose graph backward() has consumed, so a second backward() can say why it fails.
const releasedGraph = new WeakSet<Variable>();

// Validates backward()'s arguments; the seed must match the output (or the output be a scalar).
function backwardOptions(root: Variable, options: Tensor | BackwardOptions | undefined): { gradOutput?: Tensor; retainGraph: boolean } {
  let gradOutput: Tensor | undefined;
  let retainGraph = false;
  if (isTensor(options)) gradOutput = options;
  else if (options !== undefined) {
    checkOptions('backward', options, ['gradOutput', 'retainGraph']);
    gradOutput = options.gradOutput;
    if (options.retainGraph !== undefined && typeof options.retainGraph !== 'boolean') {
      throw new ValueError('backward', `options.retainGraph must be true or false, got ${describe(options.retainGraph)}`);
    }
    retainGraph = options.retainGraph ?? false;
  }
  if (releasedGraph.has(root)) {
    throw new ValueError('backward', `backward() was already called on this ${root.op} node and its graph was released; recompute the forward pass, or pass { retainGraph: true } to the first backward()`);
  }
  if (!root.requiresGrad) {
    throw new ValueError('backward', `this ${root.op} node does not require a gradient (no parameter or grad input reaches it)`);
  }
  if (gradOutput !== undefined) {
    if (!isTensor(gradOutput)) throw new ValueError('backward', `gradOutput must be a Tensor, got ${describe(gradOutput)}`);
    if (!sameShape(gradOutput.shape, root.shape)) {
      throw new ShapeError('backward', `gradOutput must have the output's shape ${formatShape(root.shape)}, got ${formatShape(gradOutput.shape)}`);
    }
  } else if (root.size !== 1) {
    throw new ShapeError('backward', `a gradOutput is needed for a non-scalar output of shape ${formatShape(root.shape)}`);
  }
  return { gradOutput, retainGraph };
}

// Checked before any gradient is written, so a rejected backward() changes nothing.
function assertNotReleased(order: readonly Variable[]): void {
  for (const node of order) {
    if (releasedGraph.has(node)) {
      throw new ValueError('backward', `this graph reaches a ${node.op} node (shape ${formatShape(node.shape)}) whose graph an earlier backward() released, so its gradient would be lost; pass { retainGraph: true } to the earlier backward(), or call backward() once on the sum of the losses`);
    }
  }
}

/**
 * The gradients in flight during one backward(): a running sum per node. Every tensor given
 * to it is owned by it and disposed exactly once — when summed into another, consumed by a
 * rule, dropped for an input that needs no gradient, or handed to a leaf's `.grad`.
 */
class GradientSums {
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
        throw new ShapeError('backward', `gradient of ${node.op} for input ${k} has shape ${formatShape(ig.shape)}, expected ${formatShape(input.shape)}`);
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

// Drops every op node's rule and inputs, so the graph's intermediates can be freed, and
// remembers the nodes so a later backward() through them can say why it fails.
function releaseGraph(order: readonly Variable[]): void {
  for (const node of order) {
    if (node.gradFn) {
      node.gradFn = null;
      node.inputs = [];
      releasedGraph.add(node);
    }
  }
}

/**
 * A trainable leaf: its value persists across steps (kept out of tidy scopes) and its
 * `.grad` accumulates until {@link Parameter.zeroGrad}.
 */
export class Parameter extends Variable {
  /** `instanceof` that also recognises parameters of another copy of this package (ESM next to CJS). */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return brandedInstanceOf(this, Parameter, PARAMETER, x);
  }

  constructor(value: Tensor) {
    if (!isTensor(value)) throw new ValueError('Parameter', `value must be a Tensor, got ${describe(value)}`);
    super(keep(value), { requiresGrad: true, op: 'parameter' });
  }

  /**
   * Replaces the value (an optimizer step): `p.assign(sub(p.value, mul(p.grad, lr)))`.
   * The new tensor must have the same shape; the old one is disposed.
   */
  assign(value: Tensor): void {
    if (!isTensor(value)) throw new ValueError('Parameter.assign', `value must be a Tensor, got ${describe(value)}`);
    if (!sameShape(value.shape, this.shape)) {
      throw new ShapeError('Parameter.assign', `value must have shape ${formatShape(this.shape)}, got ${formatShape(value.shape)}`);
    }
    if (value === this.value) return;
    const old = this.value;
    this.value = keep(value);
    old.dispose();
  }

  /** Drops the accumulated gradient. */
  zeroGrad(): void {
    this.grad?.dispose();
    this.grad = null;
  }
}

/** A leaf that requires a gradient but is not a parameter (what {@link grad} differentiates). */
export function variable(value: Tensor, options: { requiresGrad?: boolean } = {}): Variable {
  checkOptions('variable', options, ['requiresGrad']);
  if (!isTensor(value)) throw new ValueError('variable', `value must be a Tensor, got ${describe(value)}`);
  if (options.requiresGrad !== undefined && typeof options.requiresGrad !== 'boolean') {
    throw new ValueError('variable', `options.requiresGrad must be true or false, got ${describe(options.requiresGrad)}`);
  }
  return new Variable(value, { requiresGrad: options.requiresGrad ?? true, owned: false });
}

/** Wraps an op input as a graph node: variables pass through; tensors and numbers are constants. */
export function toVariable(op: string, name: string, x: Input): Variable {
  if (x instanceof Variable) {
    if (x.value.isDisposed) throw new ValueError(op, `${name} (${x.op}, shape ${formatShape(x.shape)}) has a disposed value`);
    if (x.gradFn === null && releasedGraph.has(x)) {
      throw new ValueError(op, `${name} comes from a graph that backward() already released; recompute it`);
    }
    return x;
  }
  if (isTensor(x)) return new Variable(x, { owned: false });
  throw new ValueError(op, `${name} must be a Variable or a Tensor, got ${describe(x)}`);
}

/**
 * Records an op's result as a graph node. When gradients are off or no input requires one,
 * the node is a constant and `gradFn` is dropped.
 */
export function record(op: string, value: Tensor, inputs: Variable[], gradFn: GradientFn): Variable {
  const requiresGrad = gradEnabled && inputs.some((x) => x.requiresGrad);
  const out = new Variable(value, { requiresGrad, op });
  if (requiresGrad) {
    out.inputs = inputs;
    out.gradFn = gradFn;
  }
  return out;
}

/** Whether ops record gradients now (false inside {@link noGrad}). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording gradients: every op returns a constant node. For
 * evaluation and for optimizer updates written with the differentiable ops.
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new ValueError('noGrad', `fn must be a function, got ${describe(fn)}`);
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/**
 * The tensor package's `tidy`, extended to results holding {@link Variable}s: tensors
 * created in `fn` are disposed except those the result refers to (directly, or as the
 * value of a variable in it, in arrays or plain objects).
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new ValueError('tidy', `fn must be a function, got ${describe(fn)}`);
  let result!: T;
  tensorTidy(() => {
    result = fn();
    const kept: Tensor[] = [];
    collectValues(result, kept);
    return kept;
  });
  return result;
}

function collectValues(x: unknown, out: Tensor[]): void {
  if (isTensor(x)) out.push(x);
  else if (x instanceof Variable) {
    out.push(x.value);
    if (x.grad) out.push(x.grad);
  } else if (Array.isArray(x)) for (const y of x) collectValues(y, out);
  else if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    for (const y of Object.values(x)) collectValues(y, out);
  }
}

function topologicalOrder(root: Variable): Variable[] {
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

Object.defineProperty(Variable.prototype, VARIABLE, { value: true });
Object.defineProperty(Parameter.prototype, PARAMETER, { value: true });
