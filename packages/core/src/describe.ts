import { hasBrand } from './brand.js';
import { formatShape } from './errors.js';
import { TENSOR_BRAND } from './tensor.js';

/**
 * Whether `x` looks like an autograd `Variable` (or `Parameter`): an object holding a tensor
 * in `.value` and a `.grad` slot. Tensor ops take the tensor, so messages point to `.value`.
 * @internal
 */
export function isVariableLike(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || hasBrand(x, TENSOR_BRAND)) return false;
  const v = (x as { value?: unknown }).value;
  return typeof v === 'object' && v !== null && hasBrand(v, TENSOR_BRAND) && 'grad' in x;
}

const MAX_SHOWN = 32;

/**
 * Describes a value for error messages, the same way in every SparseKit package: its type and,
 * where short, the value itself — `number NaN`, `string "abc"`, `array of length 3`,
 * `Float32Array of length 4`, `Tensor of shape [2, 3]`, `Variable — use .value`,
 * `object {length}`, `null`, `undefined`.
 */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  switch (typeof x) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return `number ${Object.is(x, -0) ? '-0' : String(x)}`;
    case 'boolean':
      return `boolean ${x}`;
    case 'bigint':
      return `bigint ${x}n`;
    case 'string':
      return `string ${JSON.stringify(x.length > MAX_SHOWN ? `${x.slice(0, MAX_SHOWN)}…` : x)}`;
    case 'symbol':
      return `symbol ${x.description ?? ''}`.trimEnd();
    case 'function':
      return x.name ? `function ${x.name}` : 'function';
  }
  const o = x as object;
  if (hasBrand(o, TENSOR_BRAND)) {
    const t = o as { shape: readonly number[]; isDisposed?: boolean };
    return `Tensor of shape ${formatShape(t.shape)}${t.isDisposed ? ' (disposed)' : ''}`;
  }
  if (isVariableLike(o)) {
    const name = o.constructor?.name && o.constructor.name !== 'Object' ? o.constructor.name : 'Variable';
    return `${name} — use .value`;
  }
  if (Array.isArray(o)) return `array of length ${o.length}`;
  if (ArrayBuffer.isView(o)) {
    const len = (o as unknown as { length?: number }).length;
    return len === undefined ? o.constructor.name : `${o.constructor.name} of length ${len}`;
  }
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(o);
    const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : '');
    return keys.length ? `object {${shown}}` : 'object {}';
  }
  const shape = (o as { shape?: unknown }).shape;
  const name = o.constructor?.name || 'object';
  return Array.isArray(shape) ? `${name} of shape ${formatShape(shape)}` : name;
}
