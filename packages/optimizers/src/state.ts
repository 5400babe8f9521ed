/**
 * Optimizer state: walking a {@link StateTree}, and its saved form (tensors encoded as
 * `{ $tensor: { shape, data } }`, checked against a template before anything is restored,
 * and JSON that keeps float32 values exact).
 */
import {
  describeValue,
  formatShape,
  isTensor,
  keep,
  ShapeError,
  sameShape,
  type Tensor,
  tensor,
  ValueError,
} from '@sparsekit/tensor';
import type { OptimizerStateDict, StateTree } from './contract.js';

/** Disposes every tensor in a state tree. */
export function disposeState(state: StateTree): void {
  for (const t of stateTensors(state)) t.dispose();
}

/** Every tensor in a state tree, depth first. */
export function stateTensors(state: StateTree, out: Tensor[] = []): Tensor[] {
  if (isTensor(state)) out.push(state);
  else if (Array.isArray(state)) for (const x of state) stateTensors(x, out);
  else if (state !== null && typeof state === 'object')
    for (const x of Object.values(state)) stateTensors(x as StateTree, out);
  return out;
}

/** Rebuilds a state tree with every tensor replaced by `f(tensor)`. */
export function mapState(state: StateTree, f: (t: Tensor) => Tensor): StateTree {
  if (isTensor(state)) return f(state);
  if (Array.isArray(state)) return state.map((x) => mapState(x, f));
  if (state !== null && typeof state === 'object') {
    const out: Record<string, StateTree> = {};
    for (const [k, v] of Object.entries(state)) out[k] = mapState(v as StateTree, f);
    return out;
  }
  return state;
}

/** Keeps every tensor of a state tree out of the enclosing tidy scopes. @internal */
export function keepState<S extends StateTree>(state: S): S {
  for (const t of stateTensors(state)) keep(t);
  return state;
}

/** A tensor inside a state dict. */
export interface EncodedTensor {
  $tensor: { shape: number[]; data: Float32Array | number[] };
}

/** A state tree with every tensor encoded by `read` (its values, read by the caller sync or async). @internal */
export function encodeState(state: StateTree, read: (t: Tensor) => Float32Array): unknown {
  if (isTensor(state)) return { $tensor: { shape: [...state.shape], data: read(state) } };
  if (Array.isArray(state)) return state.map((x) => encodeState(x, read));
  if (state !== null && typeof state === 'object') {
    return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, encodeState(v as StateTree, read)]));
  }
  return state;
}

function isEncodedTensor(x: unknown): x is EncodedTensor {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && '$tensor' in (x as object);
}

/** The state tree a checked ({@link checkLayout}) saved state encodes, with new tensors. @internal */
export function decodeState(x: unknown): StateTree {
  if (isEncodedTensor(x)) return tensor(Float32Array.from(x.$tensor.data as ArrayLike<number>), x.$tensor.shape);
  if (Array.isArray(x)) return x.map(decodeState);
  if (x !== null && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decodeState(v)]));
  return x as StateTree;
}

/**
 * Throws unless `saved` has the layout of `template` (a fresh `init` state): the same
 * lists, keys, scalar types and tensor shapes, every value finite. @internal
 */
export function checkLayout(op: string, path: string, saved: unknown, template: StateTree): void {
  if (isTensor(template)) {
    if (!isEncodedTensor(saved))
      throw new ValueError(
        op,
        `${path} should be a tensor of shape ${formatShape(template.shape)}, got ${describeValue(saved)}`,
      );
    const { shape, data } = saved.$tensor;
    if (!Array.isArray(shape) || !sameShape(shape, template.shape)) {
      throw new ShapeError(
        op,
        `${path} should have shape ${formatShape(template.shape)}, got ${Array.isArray(shape) ? formatShape(shape) : describeValue(shape)}`,
      );
    }
    if (
      !data ||
      typeof (data as ArrayLike<number>).length !== 'number' ||
      (data as ArrayLike<number>).length !== template.size
    ) {
      throw new ValueError(
        op,
        `${path} should hold ${template.size} values, got ${data && typeof (data as ArrayLike<number>).length === 'number' ? (data as ArrayLike<number>).length : describeValue(data)}`,
      );
    }
    // A NaN or ±Inf moment would make the next step write NaN into the parameters.
    const values = data as ArrayLike<unknown>;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new ValueError(op, `${path} must hold finite numbers, got ${describeValue(v)} at element ${i}`);
    }
    return;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(saved) || saved.length !== template.length) {
      throw new ValueError(
        op,
        `${path} should be a list of ${template.length}, got ${Array.isArray(saved) ? `a list of ${saved.length}` : describeValue(saved)}`,
      );
    }
    template.forEach((t, i) => checkLayout(op, `${path}[${i}]`, saved[i], t));
    return;
  }
  if (template !== null && typeof template === 'object') {
    if (saved === null || typeof saved !== 'object' || Array.isArray(saved))
      throw new ValueError(op, `${path} should be an object, got ${describeValue(saved)}`);
    for (const [k, t] of Object.entries(template))
      checkLayout(op, `${path}.${k}`, (saved as Record<string, unknown>)[k], t as StateTree);
    return;
  }
  if (typeof saved !== typeof template || (typeof saved === 'number' && !Number.isFinite(saved))) {
    throw new ValueError(
      op,
      `${path} should be a ${template === null ? 'null' : typeof template}, got ${describeValue(saved)}`,
    );
  }
}

// Finite numbers only: JSON has no Infinity, and a state dict must survive JSON.
/** Whether a hyperparameter value goes into a state dict (finite numbers, flags, names). @internal */
export function isSerialisable(v: unknown): v is number | boolean | string {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || typeof v === 'string';
}

/** A state dict as JSON text (tensor data as number arrays; float32 values survive exactly). */
export function stateDictToJSON(dict: OptimizerStateDict): string {
  if (dict === null || typeof dict !== 'object' || (dict as { format?: unknown }).format !== 'sparsekit-optimizer') {
    throw new ValueError('stateDictToJSON', `dict must be a state dict from stateDict(), got ${describeValue(dict)}`);
  }
  return JSON.stringify(dict, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v));
}

/** Parses {@link stateDictToJSON}'s text back into a state dict. */
export function stateDictFromJSON(text: string): OptimizerStateDict {
  if (typeof text !== 'string')
    throw new ValueError('stateDictFromJSON', `text must be a string of JSON, got ${describeValue(text)}`);
  let dict: unknown;
  try {
    dict = JSON.parse(text, (k, v) => (k === 'data' && Array.isArray(v) ? Float32Array.from(v) : v));
  } catch (e) {
    throw new ValueError('stateDictFromJSON', `text is not valid JSON (${(e as Error).message})`);
  }
  if (dict === null || typeof dict !== 'object' || (dict as { format?: unknown }).format !== 'sparsekit-optimizer') {
    throw new ValueError(
      'stateDictFromJSON',
      `text must hold a state dict with format 'sparsekit-optimizer', got ${describeValue(dict)}`,
    );
  }
  return dict as OptimizerStateDict;
}
