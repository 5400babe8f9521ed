// Memory: tidy scopes, live counts, reference counts of pending consumers and of shared
// device buffers, and the FinalizationRegistry that frees buffers of collected tensors.
import { describeValue, ValueError } from './errors.js';
import { shared } from './registry.js';
import { type DeviceValue, isTensor, OP, PENDING, type Tensor, VALUE } from './tensor.js';

interface Scope {
  tensors: Tensor[];
}

// Shared by every loaded copy of the package (see registry.ts): one tidy stack, one memory count.
const scopes = shared('scopes', (): Scope[] => []);
const live = shared('live', () => ({ count: 0, bytes: 0, nextId: 0 }));

/** Counts a new tensor and adds it to the innermost tidy scope; returns its id. @internal */
export function track(t: Tensor): number {
  live.count++;
  live.bytes += t.size * 4;
  const scope = scopes[scopes.length - 1];
  if (scope) scope.tensors.push(t);
  return live.nextId++;
}

/** Uncounts a disposed tensor. @internal */
export function forget(t: Tensor): void {
  live.count--;
  live.bytes -= t.size * 4;
}

/** Frees a disposed tensor's op and value once nothing pending reads it. @internal */
export function maybeFree(t: Tensor): void {
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

/** Makes `t` a holder of device buffer `v`. @internal */
export function hold(t: Tensor, v: DeviceValue): void {
  retain(v);
  nurse(t);
}

// Registering with the FinalizationRegistry cost ~1 µs a tensor (an 8×8 add on `wasm`: 4.5 µs
// against 3.4 µs without), mostly for tensors disposed microseconds later. So a new device
// tensor waits in a nursery, and only those still live when it is flushed — at the end of the
// current task (a microtask), or every NURSERY tensors in a long synchronous run — are
// registered. A tensor dropped undisposed is registered then, and collected after: its buffer
// comes back as before (finalizers never run inside a synchronous run anyway).
const NURSERY = 1024;
const nursery: Tensor[] = [];
let flushQueued = false;

function nurse(t: Tensor): void {
  if (!collected) return;
  nursery.push(t);
  if (nursery.length >= NURSERY) flushNursery();
  else if (!flushQueued && typeof queueMicrotask === 'function') {
    flushQueued = true;
    queueMicrotask(flushNursery);
  }
}

function flushNursery(): void {
  flushQueued = false;
  for (const t of nursery) {
    const v = t[VALUE];
    if (!t.isDisposed && v && !(v instanceof Float32Array)) collected?.register(t, v, t);
  }
  nursery.length = 0;
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

/**
 * Whether `t`'s memory may be handed to a new tensor and overwritten ({@link takeOver}): `t` is
 * live and realised on the device, no lazy op waits on it, and no other tensor holds its buffer
 * (a view). Then nothing else can ever read that memory. @internal
 */
export function canTakeOver(t: Tensor): boolean {
  const v = t[VALUE];
  return !t.isDisposed && !!v && !(v instanceof Float32Array) && t[PENDING] === 0 && deviceRefs.get(v) === 1;
}

/**
 * A new tensor of `t`'s shape holding `t`'s device buffer (its values as they are now, changed
 * in place by the caller), and `t` disposed without freeing that buffer. Only when
 * {@link canTakeOver}. @internal
 */
export function takeOver(t: Tensor, make: (shape: readonly number[]) => Tensor): Tensor {
  const v = t[VALUE] as DeviceValue;
  const next = make(t.shape);
  next[VALUE] = v;
  collected?.unregister(t);
  nurse(next);
  t[VALUE] = null;
  t.dispose();
  return next;
}

/** Drops `t`'s op, so its inputs no longer wait for it. @internal */
export function dropOp(t: Tensor): void {
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
  return (
    (typeof x === 'object' || typeof x === 'function') &&
    x !== null &&
    typeof (x as { then?: unknown }).then === 'function'
  );
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
    throw new ValueError(
      'tidy',
      'fn returned a Promise; tidy() is synchronous and would dispose the tensors the async function still awaits. Use await tidyAsync(async () => …) instead',
    );
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
    throw new ValueError(
      'tidyAsync',
      `cannot start inside tidy() or while another tidyAsync() is pending (${scopes.length} scope(s) open); await the first one, or nest a synchronous tidy() inside instead`,
    );
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
