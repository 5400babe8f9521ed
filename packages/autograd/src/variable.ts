import {
  add,
  checkOptions,
  describeValue as describe,
  formatShape,
  isTensor,
  keep,
  ones,
  ShapeError,
  type Tensor,
  type TensorLike,
  tidy as tensorTidy,
  ValueError,
} from '@sparsekit/tensor';
import {
  assertNotReleased,
  backwardOptions,
  GradientSums,
  isReleased,
  releaseGraph,
  topologicalOrder,
} from './backward.js';
import { brandedInstanceOf, PARAMETER, VARIABLE } from './brand.js';
import { sameShape } from './broadcast.js';

/**
 * A gradient rule: given the gradient of the loss with respect to an op's output, the
 * gradients with respect to each of its inputs (`null` where an input gets none).
 * It runs inside a tidy scope, so temporaries it creates are freed; what it returns is kept.
 */
export type GradientFn = (dy: Tensor) => Array<Tensor | null>;

/** What the differentiable ops accept: a variable, a plain tensor (a constant), or a number. */
export type Input = Variable | TensorLike;

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
      if (rule)
        grads.pass(
          node,
          dy,
          tensorTidy(() => rule(dy)),
        );
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
      throw new ShapeError(
        'Parameter.assign',
        `value must have shape ${formatShape(this.shape)}, got ${formatShape(value.shape)}`,
      );
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
    throw new ValueError(
      'variable',
      `options.requiresGrad must be true or false, got ${describe(options.requiresGrad)}`,
    );
  }
  return new Variable(value, { requiresGrad: options.requiresGrad ?? true, owned: false });
}

/** Wraps an op input as a graph node: variables pass through; tensors and numbers are constants. */
export function toVariable(op: string, name: string, x: Input): Variable {
  if (x instanceof Variable) {
    if (x.value.isDisposed)
      throw new ValueError(op, `${name} (${x.op}, shape ${formatShape(x.shape)}) has a disposed value`);
    if (x.gradFn === null && isReleased(x)) {
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

Object.defineProperty(Variable.prototype, VARIABLE, { value: true });
Object.defineProperty(Parameter.prototype, PARAMETER, { value: true });
