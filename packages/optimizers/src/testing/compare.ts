/** Comparisons the kit's checks make: errors against a solution, bits, state trees. @internal */
import { isTensor, type Tensor } from '@sparsekit/tensor';
import type { StateTree } from '../contract.js';

export function maxError(values: ArrayLike<number>[], solution: ArrayLike<number>[]): number {
  let worst = 0;
  values.forEach((v, k) => {
    for (let i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(v[i] - solution[k][i]));
  });
  return worst;
}

export function sameBits(a: Float32Array[], b: Float32Array[]): boolean {
  return (
    a.length === b.length && a.every((x, k) => x.length === b[k].length && x.every((v, i) => Object.is(v, b[k][i])))
  );
}

/** Deep equality of state dicts: typed arrays bit for bit, numbers with Object.is. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return firstDifference(a, b, '') === null;
}

/** Where two plain-data trees first differ (typed arrays bit for bit, numbers with Object.is), or null. */
export function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return path || 'the root';
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.length === y.length && x.every((v, i) => v === y[i]) ? null : path || 'the root';
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return path || 'the root';
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    if (firstDifference(ka, kb, '') !== null) return `${path || 'the root'} (its keys)`;
    for (const k of ka) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : path || 'the root';
}

/**
 * A state tree as plain data: every tensor as its identity (first-seen order), whether it
 * was disposed, its shape and its values, so replacing, disposing or changing one shows.
 */
export async function snapshotState(state: StateTree, ids = new Map<Tensor, number>()): Promise<unknown> {
  if (isTensor(state)) {
    if (!ids.has(state)) ids.set(state, ids.size);
    const id = ids.get(state);
    return state.isDisposed
      ? { tensor: id, disposed: true }
      : { tensor: id, shape: [...state.shape], data: await state.data() };
  }
  if (Array.isArray(state)) {
    const out: unknown[] = [];
    for (const x of state) out.push(await snapshotState(x, ids));
    return out;
  }
  if (state !== null && typeof state === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(state)) out[k] = await snapshotState(v as StateTree, ids);
    return out;
  }
  return state;
}

export function clone<T>(x: T): T {
  return structuredClone(x);
}
