// Realisation: plan the kernels an unrealised tensor needs (fusing elementwise chains via
// codegen.ts), run them through the backend's adapter with one executor for the sync and async
// contracts, and read values back.
import { type ArgKind, type CompiledKernel, current, kernelFor, noteFallback } from './backend.js';
import { fuse } from './codegen.js';
import { BackendError, describeValue, ValueError } from './errors.js';
import type { KernelProgram } from './kernels/registry.js';
import { dropOp, hold, maybeFree } from './memory.js';
import { sizeOf } from './shape.js';
import { type DeviceValue, isTensor, type NestedArray, OP, PENDING, type Tensor, VALUE, type Value } from './tensor.js';

/** Nests row-major `data` as arrays of `shape`. @internal */
export function nest(data: Float32Array, shape: readonly number[]): NestedArray {
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
/** A copy of `t`'s realised values. @internal */
export function readValue(t: Tensor): Float32Array {
  const v = t[VALUE] as Value;
  if (v instanceof Float32Array) return v.slice();
  current().stats.readbacks++;
  return v.copy ? v.copy() : toFlat(v.toArray(), t.size);
}
/** A copy of `t`'s realised values, awaiting a device readback. @internal */
export async function readValueAsync(t: Tensor): Promise<Float32Array> {
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
  program?: KernelProgram;
  args?: Array<Tensor | number>;
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
    steps.push({ target: t, program: op.program, args: [...op.inputs, ...op.scalars] });
  } else {
    const fused = fuse(t, current().adapter.codegen, (leaf) => plan(leaf, steps, planned));
    steps.push({ target: t, program: fused.program, args: fused.args });
  }
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

function finish(step: Step, out: unknown, kernel: CompiledKernel): void {
  const t = step.target;
  noteFallback(kernel);
  const s = current();
  const layout = step.program?.layout;
  if (layout) {
    s.stats.readbacks++;
    const cells = layout.dims.reduce((p, d) => p * d, 1) * layout.lanes;
    t[VALUE] = layout.post(s.adapter.rawLayoutResult(out, kernel, cells));
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

function settleEmpty(t: Tensor): void {
  t[VALUE] = new Float32Array(0);
  dropOp(t);
}

// On backends with device memory a host tensor is uploaded once, by a copy kernel, and then
// lives on the device: later kernels see only device arguments (one compiled variant each)
// and a parameter used by a thousand steps crosses the bus once.
const UPLOAD: KernelProgram = { source: 'function(a0) {\n  return a0[this.thread.x];\n}' };

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
      if (step.target.size === 0) {
        settleEmpty(step.target);
        continue;
      }
      const args = step.args as Array<Tensor | number>;
      if (current().info.resident) {
        for (const x of args) {
          if (typeof x === 'number' || !(x[VALUE] instanceof Float32Array) || x.size === 0) continue;
          const kernel = kernelFor(UPLOAD, x.size, ['a0'], ['host'], [x.size], allowAsync);
          const device = yield kernel(x[VALUE]);
          current().stats.uploads++;
          x[VALUE] = device as DeviceValue;
          hold(x, x[VALUE]);
        }
      }
      const kernel = kernelFor(
        step.program as KernelProgram,
        step.target.size,
        params(args),
        argKinds(args),
        argSizes(args),
        allowAsync,
      );
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
 * each, so each keeps its own fused kernel (the README's "Design" section says why a
 * multi-output kernel is not used).
 */
export async function materializeAll(tensors: readonly Tensor[]): Promise<void> {
  for (const t of liveList('materializeAll', tensors)) await realize(t, true);
}

// Every entry is checked before any is computed, so a rejected call runs no kernel.
function liveList(op: string, tensors: unknown): readonly Tensor[] {
  if (!Array.isArray(tensors))
    throw new ValueError(op, `tensors must be an array of tensors, got ${describeValue(tensors)}`);
  tensors.forEach((t: unknown, i) => {
    if (!isTensor(t)) throw new ValueError(op, `tensors[${i}] must be a Tensor, got ${describeValue(t)}`);
    if (t.isDisposed)
      throw new ValueError(op, `tensors[${i}] (tensor #${t.id}, shape [${t.shape.join(', ')}]) was disposed`);
    t.assertLive(op);
  });
  return tensors as readonly Tensor[];
}

/** Synchronous {@link materializeAll} (not on WebGPU). */
export function materializeAllSync(tensors: readonly Tensor[]): void {
  if (!current().info.syncReadback) {
    throw new BackendError(
      'materializeAllSync',
      `backend '${current().info.name}' runs kernels asynchronously; use await materializeAll()`,
    );
  }
  for (const t of liveList('materializeAllSync', tensors)) realizeSync(t);
}
