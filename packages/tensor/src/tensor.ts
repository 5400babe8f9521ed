import { isTensor as isBrandedTensor } from '@sparsekit/core';
import { current, kernelFor, noteFallback, type ArgKind, type CompiledKernel, type KernelLayout } from './backend.js';
import { BackendError, ValueError, describeValue } from './errors.js';
import { codeContext, type CodeContext } from './fastmath.js';
import { formatValues, formatWithout } from './format.js';
import { shared } from './registry.js';
import { divmod, sizeOf } from './shape.js';

/** A nested array of numbers, as returned by {@link Tensor.array}. */
export type NestedArray = number | NestedArray[];

/** A device-resident result: a gpu.js Texture (GL) or buffer handle (WebGPU). */
interface DeviceValue {
  toArray(): unknown;
  delete?(): void;
}

type Value = Float32Array | DeviceValue;

/**
 * An elementwise op: `code` builds the expression from its operands' expressions.
 * Consecutive elementwise ops fuse into one kernel when the result is realised.
 * @internal
 */
export interface ElementwiseOp {
  kind: 'ew';
  code: (args: string[], ctx: CodeContext) => string;
  inputs: Array<Tensor | number>;
  depth: number;
}

/**
 * A kernel op: a complete gpu.js kernel source over a flat output of the tensor's size,
 * whose arguments are its tensor inputs (`a0…`) then its float scalars (`s0…`). @internal
 */
export interface KernelOp {
  kind: 'kernel';
  source: string;
  inputs: Tensor[];
  scalars: number[];
  layout?: KernelLayout;
}

/** A view: the input's data under another shape (reshape). @internal */
export interface ViewOp {
  kind: 'view';
  inputs: [Tensor];
}

/** @internal */
export type Op = ElementwiseOp | KernelOp | ViewOp;

// Fused elementwise kernels stop growing past these bounds: GL backends cap texture
// arguments (16 units is the common floor), and very deep expressions compile slowly.
const MAX_FUSED_LEAVES = 12;
const MAX_FUSED_DEPTH = 48;

interface Scope {
  tensors: Tensor[];
}

// Shared by every loaded copy of the package (see registry.ts): one tidy stack, one memory count.
const scopes = shared('scopes', (): Scope[] => []);
const live = shared('live', () => ({ count: 0, bytes: 0, nextId: 0 }));

/**
 * The brand every tensor carries. A `Symbol.for` key is the same in every copy of this
 * package loaded in one realm (the ESM and CJS builds, two releases), where a class identity
 * is not. @internal
 */
export const TENSOR_BRAND = Symbol.for('sparsekit.tensor');
// Internal slots live under symbol keys: off the public type, not reachable as named fields
// from user code, and the same keys in every copy so any copy can run another copy's tensors.
/** @internal */ export const VALUE = Symbol.for('sparsekit.tensor.value');
/** @internal */ export const OP = Symbol.for('sparsekit.tensor.op');
/** @internal pending consumers that still need this tensor's value */ export const PENDING = Symbol.for('sparsekit.tensor.pending');
/** @internal */ export const DISPOSED = Symbol.for('sparsekit.tensor.disposed');
/** @internal backend generation this value belongs to */ export const BACKEND = Symbol.for('sparsekit.tensor.backend');

/**
 * Whether `x` is a SparseKit {@link Tensor}, from this copy of the package or any other
 * loaded in the same realm (ESM and CJS builds side by side, or two releases). Use it rather
 * than `instanceof` in code that receives tensors from elsewhere; `instanceof Tensor` also
 * answers by the brand.
 */
export function isTensor(x: unknown): x is Tensor {
  return isBrandedTensor(x);
}

/**
 * A float32 n-dimensional tensor. Ops on tensors are lazy: they record what to compute
 * and return at once; the work runs as gpu.js kernels when a value is read
 * ({@link Tensor.data}, {@link Tensor.dataSync}) — with consecutive elementwise ops fused
 * into one kernel. The same code therefore runs on synchronous backends and on WebGPU.
 */
export class Tensor {
  /** Unique id, for debugging. */
  readonly id: number;
  /** The shape, outermost dimension first. */
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** Always `'float32'`. */
  readonly dtype = 'float32' as const;
  /** @internal */ declare [VALUE]: Value | null;
  /** @internal */ declare [OP]: Op | null;
  /** @internal */ declare [PENDING]: number;
  /** @internal */ declare [DISPOSED]: boolean;
  /** @internal */ declare readonly [BACKEND]: object;

  /** @internal Use the creation functions (`tensor`, `zeros`, …) instead. */
  constructor(shape: readonly number[], value: Float32Array | null, op: Op | null) {
    this.id = live.nextId++;
    this.shape = Object.freeze(shape.slice());
    this.size = sizeOf(shape);
    this[VALUE] = value;
    this[OP] = op;
    this[PENDING] = 0;
    this[DISPOSED] = false;
    this[BACKEND] = current();
    if (op) for (const x of op.inputs) if (isTensor(x)) x[PENDING]++;
    live.count++;
    live.bytes += this.size * 4;
    const scope = scopes[scopes.length - 1];
    if (scope) scope.tensors.push(this);
  }

  /** @internal The brand {@link isTensor} reads; on the prototype, so it costs no per-tensor slot. */
  get [TENSOR_BRAND](): true {
    return true;
  }

  /** Answers by the brand, so a tensor from another copy of the package passes `instanceof Tensor`. */
  static [Symbol.hasInstance](x: unknown): x is Tensor {
    return isTensor(x);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Whether {@link Tensor.dispose} was called. */
  get isDisposed(): boolean {
    return this[DISPOSED];
  }

  /** Reads the values into a new `Float32Array` (row-major). Works on every backend. */
  async data(): Promise<Float32Array> {
    this.assertLive('data');
    await realize(this, true);
    return readValueAsync(this);
  }

  /**
   * Reads the values synchronously. Throws a {@link BackendError} on WebGPU, which has
   * no synchronous readback: use `await data()` there.
   */
  dataSync(): Float32Array {
    this.assertLive('dataSync');
    if (!current().info.syncReadback) {
      throw new BackendError('dataSync', `backend '${current().info.name}' has no synchronous readback; use await tensor.data()`);
    }
    realizeSync(this);
    return readValue(this);
  }

  /** Reads the values as nested arrays matching the shape. */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  /** Synchronous {@link Tensor.array}; same restrictions as {@link Tensor.dataSync}. */
  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** Reads a one-element tensor as a number. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new ValueError('item', `tensor must have exactly 1 element, got shape [${this.shape.join(', ')}]`);
    return (await this.data())[0];
  }

  /** Synchronous {@link Tensor.item}. */
  itemSync(): number {
    if (this.size !== 1) throw new ValueError('itemSync', `tensor must have exactly 1 element, got shape [${this.shape.join(', ')}]`);
    return this.dataSync()[0];
  }

  /**
   * Computes the value now and keeps it on the device (where the backend has one),
   * without reading it back. Useful to cut a long lazy chain, e.g. once per training step.
   */
  async materialize(): Promise<this> {
    this.assertLive('materialize');
    await realize(this, true);
    return this;
  }

  /** Synchronous {@link Tensor.materialize} (not on WebGPU). */
  materializeSync(): this {
    this.assertLive('materializeSync');
    if (!current().info.syncReadback) {
      throw new BackendError('materializeSync', `backend '${current().info.name}' runs kernels asynchronously; use await tensor.materialize()`);
    }
    realizeSync(this);
    return this;
  }

  /**
   * Releases this tensor. Tensors computed from it but not yet realised keep what they
   * need; the memory goes once nothing pending refers to it. Idempotent.
   */
  dispose(): void {
    if (this[DISPOSED]) return;
    this[DISPOSED] = true;
    live.count--;
    live.bytes -= this.size * 4;
    maybeFree(this);
  }

  /** @internal */
  assertLive(op: string): void {
    if (this[DISPOSED]) throw new ValueError(op, `tensor #${this.id} (shape [${this.shape.join(', ')}]) was disposed`);
    if (this[BACKEND] !== current()) {
      throw new BackendError(op, `tensor #${this.id} belongs to a backend that was replaced by setBackend(); recreate it`);
    }
  }

  /**
   * The values, NumPy/PyTorch style: `Tensor([[1, 2],\n        [3, 4]], shape=[2, 2])`,
   * summarised with `...` past 1000 elements. An unrealised tensor is computed first on a
   * backend with synchronous readback; on WebGPU the text says to `await t.data()` instead.
   * Never throws: a tensor that cannot be read says why.
   */
  toString(): string {
    if (this[DISPOSED]) return formatWithout('disposed', this.shape);
    if (this[BACKEND] !== current()) return formatWithout('belongs to a backend replaced by setBackend()', this.shape);
    const v = this[VALUE];
    if (!(v instanceof Float32Array) && !current().info.syncReadback) {
      return formatWithout(`on ${current().info.name}: values need await t.data()`, this.shape);
    }
    try {
      return formatValues(v instanceof Float32Array ? v : this.dataSync(), this.shape);
    } catch (e) {
      return formatWithout(`unreadable: ${e instanceof Error ? e.message : String(e)}`, this.shape);
    }
  }

  /** Prints {@link Tensor.toString} with `console.log`. */
  print(): void {
    console.log(this.toString());
  }

  /**
   * What Node's `console.log` and `util.inspect` show: the values, not the internals. Keyed by
   * the registered symbol Node looks up, so browsers load this module without `node:util`.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function maybeFree(t: Tensor): void {
  if (!t.isDisposed || t[PENDING] > 0) return;
  dropOp(t);
  if (t[VALUE] && !(t[VALUE] instanceof Float32Array)) {
    collected?.unregister(t);
    release(t[VALUE]);
  }
  t[VALUE] = null;
}

// Device buffers can be shared by views (reshape); each is deleted when its last holder goes.
const deviceRefs = shared('deviceRefs', () => new WeakMap<DeviceValue, number>());

// Tensors dropped without dispose() still give their device buffers back when collected.
const collected =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<DeviceValue>((v) => release(v)) : null;

function hold(t: Tensor, v: DeviceValue): void {
  retain(v);
  collected?.register(t, v, t);
}

function retain(v: DeviceValue): void {
  deviceRefs.set(v, (deviceRefs.get(v) ?? 0) + 1);
}

function release(v: DeviceValue): void {
  const n = (deviceRefs.get(v) ?? 1) - 1;
  if (n <= 0) {
    deviceRefs.delete(v);
    v.delete?.();
  } else deviceRefs.set(v, n);
}

function dropOp(t: Tensor): void {
  const op = t[OP];
  if (!op) return;
  t[OP] = null;
  for (const x of op.inputs) {
    if (isTensor(x)) {
      x[PENDING]--;
      maybeFree(x);
    }
  }
}

/** Live-tensor and kernel counters. */
export interface MemoryInfo {
  /** Tensors created and not yet disposed. */
  liveTensors: number;
  /** Logical bytes of those tensors (size × 4). */
  liveBytes: number;
}

/** How many tensors are alive (not disposed), and their bytes: leaks show up here. */
export function memory(): MemoryInfo {
  return { liveTensors: live.count, liveBytes: live.bytes };
}

function isThenable(x: unknown): boolean {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

function checkFunction(op: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new ValueError(op, `fn must be a function, got ${describeValue(fn)}`);
}

// Removes `scope` wherever it sits: an async scope need not be on top when it ends.
function leave(scope: Scope): void {
  const i = scopes.lastIndexOf(scope);
  if (i >= 0) scopes.splice(i, 1);
}

// Disposes what the scope made but `result` does not hold; what it holds moves to the parent scope.
function close(scope: Scope, result: unknown): void {
  const kept = new Set<Tensor>();
  collect(result, kept);
  const parent = scopes[scopes.length - 1];
  for (const t of scope.tensors) {
    if (kept.has(t)) {
      if (parent) parent.tensors.push(t);
    } else t.dispose();
  }
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (a tensor, or
 * an array or plain object of tensors). Tensors still needed by a returned lazy result
 * keep their data until it is realised. `fn` must be synchronous: one that returns a Promise
 * is rejected with a {@link ValueError} (its tensors would be disposed before it awaited
 * them, as TensorFlow.js also refuses) — use {@link tidyAsync} for async work.
 */
export function tidy<T>(fn: () => T): T {
  checkFunction('tidy', fn);
  const scope: Scope = { tensors: [] };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // A failed computation leaves nothing behind: what it made so far is released.
    leave(scope);
    for (const t of scope.tensors) t.dispose();
    throw e;
  }
  leave(scope);
  if (isThenable(result)) {
    for (const t of scope.tensors) t.dispose();
    // The async function goes on without its tensors; its failure is reported here, not as an unhandled rejection.
    (result as unknown as PromiseLike<unknown>).then(undefined, () => undefined);
    throw new ValueError('tidy', 'fn returned a Promise; tidy() is synchronous and would dispose the tensors the async function still awaits. Use await tidyAsync(async () => …) instead');
  }
  close(scope, result);
  return result;
}

/**
 * The async form of {@link tidy}: awaits `fn`, then disposes every tensor created while it
 * ran except those its result holds (and those passed to {@link keep}); on rejection it
 * disposes them all and rethrows. Every tensor created while `fn` is pending belongs to the
 * scope, whichever code creates it, so one tidyAsync runs at a time and not inside
 * {@link tidy}: a call that would overlap is rejected with a {@link ValueError}.
 */
export async function tidyAsync<T>(fn: () => Promise<T>): Promise<T> {
  checkFunction('tidyAsync', fn);
  if (scopes.length > 0) {
    throw new ValueError('tidyAsync', `cannot start inside tidy() or while another tidyAsync() is pending (${scopes.length} scope(s) open); await the first one, or nest a synchronous tidy() inside instead`);
  }
  const scope: Scope = { tensors: [] };
  scopes.push(scope);
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    leave(scope);
    for (const t of scope.tensors) t.dispose();
    throw e;
  }
  leave(scope);
  close(scope, result);
  return result;
}

/** Excludes `t` from the enclosing {@link tidy} scopes, so it survives them. */
export function keep<T extends Tensor>(t: T): T {
  if (!isTensor(t)) throw new ValueError('keep', `t must be a Tensor, got ${describeValue(t)}`);
  for (const s of scopes) {
    const i = s.tensors.indexOf(t);
    if (i >= 0) s.tensors.splice(i, 1);
  }
  return t;
}

function collect(x: unknown, out: Set<Tensor>): void {
  if (isTensor(x)) out.add(x);
  else if (Array.isArray(x)) for (const y of x) collect(y, out);
  else if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    for (const y of Object.values(x)) collect(y, out);
  }
}

function nest(data: Float32Array, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return data[0];
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim];
    const out: NestedArray[] = new Array(n);
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = data[offset + i];
    } else {
      const stride = sizeOf(shape.slice(dim + 1));
      for (let i = 0; i < n; i++) out[i] = build(offset + i * stride, dim + 1);
    }
    return out;
  };
  return build(0, 0);
}

function readValue(t: Tensor): Float32Array {
  const v = t[VALUE] as Value;
  if (v instanceof Float32Array) return v.slice();
  current().stats.readbacks++;
  return toFlat(v.toArray(), t.size);
}

async function readValueAsync(t: Tensor): Promise<Float32Array> {
  const v = t[VALUE] as Value;
  if (v instanceof Float32Array) return v.slice();
  current().stats.readbacks++;
  return toFlat(await v.toArray(), t.size);
}

function toFlat(x: unknown, size: number): Float32Array {
  if (x instanceof Float32Array) return x.length === size ? x.slice() : x.slice(0, size);
  const out = new Float32Array(size);
  let k = 0;
  const walk = (y: unknown): void => {
    if (typeof y === 'number') out[k++] = y;
    else {
      const arr = y as ArrayLike<unknown>;
      for (let j = 0; j < arr.length && k < size; j++) walk(arr[j]);
    }
  };
  walk(x);
  return out;
}

// ---------------------------------------------------------------------------------------
// Realisation: plan the kernels an unrealised tensor needs, then run them.

interface Step {
  target: Tensor;
  view?: Tensor;
  source?: string;
  args?: Array<Tensor | number>;
  layout?: KernelLayout;
}

function plan(t: Tensor, steps: Step[], planned: Set<Tensor>): void {
  if (t[VALUE] || planned.has(t)) return;
  const op = t[OP];
  if (!op) throw new ValueError('realize', `tensor #${t.id} has no value (was it disposed?)`);
  planned.add(t);
  if (op.kind === 'view') {
    plan(op.inputs[0], steps, planned);
    steps.push({ target: t, view: op.inputs[0] });
  } else if (op.kind === 'kernel') {
    for (const x of op.inputs) plan(x, steps, planned);
    steps.push({ target: t, source: op.source, args: [...op.inputs, ...op.scalars], layout: op.layout });
  } else {
    const fused = fuse(t, steps, planned);
    steps.push({ target: t, source: fused.source, args: fused.args });
  }
}

/**
 * Generates one kernel for the elementwise subgraph rooted at `root`. Leaves (realised
 * tensors and non-elementwise ops) are read with broadcasting against the root's shape,
 * which is exact because NumPy broadcasting composes.
 */
function fuse(root: Tensor, steps: Step[], planned: Set<Tensor>): { source: string; args: Array<Tensor | number> } {
  const leaves: Tensor[] = [];
  const scalars: number[] = [];
  const lines: string[] = [];
  const names = new Map<Tensor, string>();
  const fastExp = current().info.name === 'webasm';
  let tmp = 0;
  const constant = (value: number): string => {
    scalars.push(value);
    return `s${scalars.length - 1}`;
  };
  const visit = (t: Tensor, depth: number): string => {
    const known = names.get(t);
    if (known) return known;
    const op = t[OP];
    const inline = t !== root ? !t[VALUE] && op?.kind === 'ew' && depth < MAX_FUSED_DEPTH && leaves.length < MAX_FUSED_LEAVES : true;
    let name: string;
    if (inline && op?.kind === 'ew') {
      const args = op.inputs.map((x) => {
        if (typeof x === 'number') {
          scalars.push(x);
          return `s${scalars.length - 1}`;
        }
        return visit(x, depth + 1);
      });
      name = `v${tmp++}`;
      const expr = op.code(args, codeContext(lines, `${name}_`, fastExp, constant));
      lines.push(`const ${name} = ${expr};`);
    } else {
      plan(t, steps, planned);
      const k = leaves.length;
      leaves.push(t);
      name = `r${k}`;
      lines.push(`const ${name} = a${k}[${broadcastIndex(t.shape, root.shape, 'this.thread.x', { lines, prefix: `i${k}_` })}];`);
    }
    names.set(t, name);
    return name;
  };
  const out = visit(root, 0);
  const params = [...leaves.map((_, k) => `a${k}`), ...scalars.map((_, k) => `s${k}`)];
  const source = `function(${params.join(', ')}) {\n  ${lines.join('\n  ')}\n  return ${out};\n}`;
  return { source, args: [...leaves, ...scalars] };
}

/**
 * The flat index into a tensor of shape `from` that broadcasts to element `i` of a tensor
 * of shape `to`. Divisions are floored at i + 0.5 so GL's float arithmetic stays exact; past
 * 2²³ output cells that is no longer exact in float32, and the coordinates are computed by
 * {@link divmod}'s corrected statements, appended to `emit.lines`.
 * @internal
 */
// `this.thread.x` is written inline: webasm keeps a declared integer local in f32 and pays a
// conversion on every indexed read (measured 1.5× on a 1e6-element kernel).
export function broadcastIndex(
  from: readonly number[],
  to: readonly number[],
  i = 'this.thread.x',
  emit?: { lines: string[]; prefix: string },
): string {
  const size = sizeOf(from);
  const total = sizeOf(to);
  if (size === total && from.length <= to.length && sameTail(from, to)) return i;
  if (size === 1) return '0';
  const r = to.length;
  const padded = [...new Array(r - from.length).fill(1), ...from];
  const terms: string[] = [];
  let inStride = 1;
  const inStrides = new Array(r).fill(0);
  for (let d = r - 1; d >= 0; d--) {
    inStrides[d] = padded[d] === 1 ? 0 : inStride;
    inStride *= padded[d];
  }
  const exactInline = total <= 2 ** 23;
  if (!exactInline && !emit) throw new Error(`broadcastIndex: ${total} cells need statement lines`);
  let outStride = total;
  let rem = i;
  for (let d = 0; d < r; d++) {
    outStride /= to[d];
    let coord = rem;
    if (outStride !== 1) {
      if (exactInline) {
        coord = `Math.floor((${rem} + 0.5) / ${outStride})`;
        rem = `(${rem} - Math.floor((${rem} + 0.5) / ${outStride}) * ${outStride})`;
      } else {
        const { lines, prefix } = emit as { lines: string[]; prefix: string };
        lines.push(...divmod(`${prefix}q${d}`, `${prefix}r${d}`, rem, outStride, total));
        coord = `${prefix}q${d}`;
        rem = `${prefix}r${d}`;
      }
    }
    if (inStrides[d] !== 0) terms.push(inStrides[d] === 1 ? `(${coord})` : `(${coord}) * ${inStrides[d]}`);
  }
  return terms.length ? terms.join(' + ') : '0';
}

function sameTail(a: readonly number[], b: readonly number[]): boolean {
  for (let k = 1; k <= a.length; k++) if (a[a.length - k] !== b[b.length - k]) return false;
  return true;
}

function argKinds(args: Array<Tensor | number>): ArgKind[] {
  return args.map((x) => (typeof x === 'number' ? 'float' : x[VALUE] instanceof Float32Array ? 'host' : 'device'));
}

function argSizes(args: Array<Tensor | number>): number[] {
  return args.map((x) => (typeof x === 'number' ? 0 : x.size));
}

function argValues(args: Array<Tensor | number>): unknown[] {
  const stats = current().stats;
  return args.map((x) => {
    if (typeof x === 'number') return x;
    const v = x[VALUE];
    if (!v) throw new ValueError('realize', `input tensor #${x.id} has no value`);
    if (v instanceof Float32Array) stats.uploads++;
    return v;
  });
}

function params(args: Array<Tensor | number>): string[] {
  let a = 0;
  let s = 0;
  return args.map((x) => (typeof x === 'number' ? `s${s++}` : `a${a++}`));
}

// A multi-float (Array(4)) result on webasm comes back as cells that are subarrays of one
// buffer; view the buffer instead of walking them, and skip building them after the first call.
function rawLayoutResult(out: unknown, kernel: CompiledKernel, cells: number): Float32Array {
  const inner = (kernel as unknown as { kernel?: { _shapeOutput?: unknown; skFlat?: boolean } }).kernel;
  if (inner && typeof inner._shapeOutput === 'function' && !inner.skFlat) {
    inner._shapeOutput = (d: unknown) => d;
    inner.skFlat = true;
  }
  if (out instanceof Float32Array) return out;
  let leaf: unknown = out;
  while (Array.isArray(leaf)) leaf = leaf[0];
  const f = leaf as Float32Array;
  return new Float32Array(f.buffer, f.byteOffset, cells);
}

function finish(step: Step, out: unknown, kernel: CompiledKernel): void {
  const t = step.target;
  noteFallback(kernel);
  const s = current();
  if (step.layout) {
    s.stats.readbacks++;
    const cells = step.layout.output.reduce((p, d) => p * d, 1) * step.layout.lanes;
    t[VALUE] = step.layout.post(rawLayoutResult(out, kernel, cells));
  } else if (out instanceof Float32Array) {
    s.stats.readbacks++;
    t[VALUE] = out.length === t.size ? out : out.slice(0, t.size);
  } else if (Array.isArray(out) || ArrayBuffer.isView(out)) {
    s.stats.readbacks++;
    t[VALUE] = toFlat(out, t.size);
  } else {
    t[VALUE] = out as DeviceValue;
    hold(t, t[VALUE]);
  }
  dropOp(t);
  if (t.isDisposed) maybeFree(t);
}

function runView(step: Step): void {
  const v = (step.view as Tensor)[VALUE];
  step.target[VALUE] = v;
  if (v && !(v instanceof Float32Array)) hold(step.target, v);
  dropOp(step.target);
}

function empty(step: Step): boolean {
  if (step.target.size === 0) {
    step.target[VALUE] = new Float32Array(0);
    dropOp(step.target);
    return true;
  }
  return false;
}

// On backends with device memory a host tensor is uploaded once, by a copy kernel, and then
// lives on the device: later kernels see only device arguments (one compiled variant each)
// and a parameter used by a thousand steps crosses the bus once.
const UPLOAD = 'function(a0) {\n  return a0[this.thread.x];\n}';

// Every tensor a plan reads is pinned until the plan ends: a step can release a disposed
// tensor (through dropOp) that a later step of the same plan still reads, e.g. when a fused
// kernel inlines a node that another step also realises on its own.
function pin(steps: Step[]): Tensor[] {
  const pinned: Tensor[] = [];
  for (const step of steps) {
    for (const x of step.args ?? [step.view as Tensor]) {
      if (isTensor(x)) {
        x[PENDING]++;
        pinned.push(x);
      }
    }
  }
  return pinned;
}

function unpin(pinned: Tensor[]): void {
  for (const x of pinned) {
    x[PENDING]--;
    maybeFree(x);
  }
}

/**
 * The plan's kernel launches, in order, as a generator: it yields every gpu.js call's result
 * and is resumed with the value (awaited by the async driver, passed through by the sync
 * one), so both contracts share one executor.
 */
function* execute(t: Tensor, allowAsync: boolean): Generator<unknown, void, unknown> {
  if (t[VALUE]) return;
  const steps: Step[] = [];
  plan(t, steps, new Set());
  const pinned = pin(steps);
  try {
    for (const step of steps) {
      if (step.target[VALUE]) continue;
      if (step.view) {
        runView(step);
        continue;
      }
      if (empty(step)) continue;
      const args = step.args as Array<Tensor | number>;
      if (current().info.resident) {
        for (const x of args) {
          if (typeof x === 'number' || !(x[VALUE] instanceof Float32Array) || x.size === 0) continue;
          const { kernel } = kernelFor(UPLOAD, x.size, ['a0'], ['host'], [x.size], allowAsync);
          const device = yield kernel(x[VALUE]);
          current().stats.uploads++;
          x[VALUE] = device as DeviceValue;
          hold(x, x[VALUE]);
        }
      }
      const { kernel } = kernelFor(step.source as string, step.target.size, params(args), argKinds(args), argSizes(args), allowAsync, step.layout);
      const vals = argValues(args);
      current().stats.calls++;
      finish(step, yield kernel(...vals), kernel);
    }
  } finally {
    unpin(pinned);
  }
}

/** Realises `t` with synchronous kernel calls. @internal */
export function realizeSync(t: Tensor): void {
  const run = execute(t, false);
  try {
    for (let r = run.next(); !r.done; r = run.next(r.value));
  } finally {
    run.return(undefined); // runs the plan's unpinning if a kernel threw
  }
}

/** Realises `t`, awaiting asynchronous kernels (WebGPU, threaded webasm). @internal */
export async function realize(t: Tensor, allowAsync: boolean): Promise<void> {
  const run = execute(t, allowAsync);
  try {
    for (let r = run.next(); !r.done; r = run.next(r.value instanceof Promise ? await r.value : r.value));
  } finally {
    run.return(undefined); // runs the plan's unpinning if an awaited kernel rejected
  }
}

/**
 * Realises several tensors (e.g. all parameters after a training step), one kernel plan
 * each. Computing related results in one multi-output kernel (an optimizer's θ, m and v)
 * was measured slower on webasm — 17–19 ms against 11–12 ms for an Adam step over 1e6
 * parameters — because gpu.js evaluates every output for every SIMD lane and de-interleaving
 * costs a host pass; so each tensor keeps its own fused kernel.
 */
export async function materializeAll(tensors: readonly Tensor[]): Promise<void> {
  for (const t of liveList('materializeAll', tensors)) await realize(t, true);
}

// Every entry is checked before any is computed, so a rejected call runs no kernel.
function liveList(op: string, tensors: unknown): readonly Tensor[] {
  if (!Array.isArray(tensors)) throw new ValueError(op, `tensors must be an array of tensors, got ${describeValue(tensors)}`);
  tensors.forEach((t: unknown, i) => {
    if (!isTensor(t)) throw new ValueError(op, `tensors[${i}] must be a Tensor, got ${describeValue(t)}`);
    if (t.isDisposed) throw new ValueError(op, `tensors[${i}] (tensor #${t.id}, shape [${t.shape.join(', ')}]) was disposed`);
    t.assertLive(op);
  });
  return tensors as readonly Tensor[];
}

/** Synchronous {@link materializeAll} (not on WebGPU). */
export function materializeAllSync(tensors: readonly Tensor[]): void {
  if (!current().info.syncReadback) {
    throw new BackendError('materializeAllSync', `backend '${current().info.name}' runs kernels asynchronously; use await materializeAll()`);
  }
  for (const t of liveList('materializeAllSync', tensors)) realizeSync(t);
}

