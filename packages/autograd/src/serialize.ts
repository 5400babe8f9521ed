import { describeValue, formatShape, ShapeError, tensor, ValueError } from '@sparsekit/tensor';
import { isModule } from './brand.js';
import type { Module } from './nn/module.js';
import type { Parameter } from './variable.js';

/** The JSON half of saved parameters. `offset` counts float32 elements into the buffer. */
export interface ParameterManifest {
  format: 'sparsekit-params';
  version: 1;
  params: Array<{ name: string; shape: number[]; offset: number }>;
}

/** Saved parameters: a JSON-able manifest and one float32 buffer holding every value in order. */
export interface SavedParameters {
  manifest: ParameterManifest;
  data: Float32Array;
}

function layout(params: Array<[string, Parameter]>): ParameterManifest {
  let offset = 0;
  const entries = params.map(([name, p]) => {
    const e = { name, shape: [...p.shape], offset };
    offset += p.size;
    return e;
  });
  return { format: 'sparsekit-params', version: 1, params: entries };
}

function pack(
  manifest: ParameterManifest,
  params: Array<[string, Parameter]>,
  values: Float32Array[],
): SavedParameters {
  const total = params.reduce((n, [, p]) => n + p.size, 0);
  const data = new Float32Array(total);
  values.forEach((v, i) => data.set(v, manifest.params[i].offset));
  return { manifest, data };
}

/** A model's parameters as a manifest + buffer (works on every backend). */
export async function saveParameters(model: Module): Promise<SavedParameters> {
  assertModule('saveParameters', model);
  const params = [...model.namedParameters()];
  const manifest = layout(params);
  const values = await Promise.all(params.map(([, p]) => p.value.data()));
  return pack(manifest, params, values);
}

/** Synchronous {@link saveParameters} (backends with synchronous readback). */
export function saveParametersSync(model: Module): SavedParameters {
  assertModule('saveParametersSync', model);
  const params = [...model.namedParameters()];
  return pack(
    layout(params),
    params,
    params.map(([, p]) => p.value.dataSync()),
  );
}

/**
 * Loads saved parameters into `model`. Everything is checked before anything is assigned:
 * format and version, then name by name and shape by shape in order; the first mismatch
 * throws (naming the parameter and both shapes) and the model stays as it was.
 */
export function loadParameters(model: Module, saved: SavedParameters): void {
  assertModule('loadParameters', model);
  if (saved === null || typeof saved !== 'object')
    throw new ValueError('loadParameters', `saved must be { manifest, data }, got ${describeValue(saved)}`);
  const m = saved?.manifest;
  if (m?.format !== 'sparsekit-params') {
    throw new ValueError(
      'loadParameters',
      `manifest.format must be 'sparsekit-params', got ${JSON.stringify(m?.format)}`,
    );
  }
  if (m.version !== 1)
    throw new ValueError(
      'loadParameters',
      `unsupported manifest.version ${JSON.stringify(m.version)} (this version reads 1)`,
    );
  if (!(saved.data instanceof Float32Array))
    throw new ValueError('loadParameters', `saved.data must be a Float32Array, got ${describeValue(saved.data)}`);
  if (!Array.isArray(m.params))
    throw new ValueError('loadParameters', `manifest.params must be an array, got ${describeValue(m.params)}`);
  m.params.forEach((e, i) => {
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.name !== 'string' ||
      !Array.isArray(e.shape) ||
      !e.shape.every((d) => Number.isInteger(d) && d >= 0)
    ) {
      throw new ValueError(
        'loadParameters',
        `manifest.params[${i}] must be { name, shape, offset } with a string name and a shape of non-negative integers, got ${JSON.stringify(e)}`,
      );
    }
  });
  const params = [...model.namedParameters()];
  const n = Math.max(params.length, m.params.length);
  for (let i = 0; i < n; i++) {
    const mine = params[i];
    const theirs = m.params[i];
    if (!mine)
      throw new ShapeError(
        'loadParameters',
        `saved parameter '${theirs.name}' ${formatShape(theirs.shape)} has no counterpart in the model (it has ${params.length} parameters)`,
      );
    if (!theirs)
      throw new ShapeError(
        'loadParameters',
        `model parameter '${mine[0]}' ${formatShape(mine[1].shape)} is missing from the saved parameters (they have ${m.params.length})`,
      );
    if (mine[0] !== theirs.name) {
      throw new ShapeError(
        'loadParameters',
        `parameter ${i} is '${mine[0]}' ${formatShape(mine[1].shape)} in the model but '${theirs.name}' ${formatShape(theirs.shape)} in the saved parameters`,
      );
    }
    const same = mine[1].shape.length === theirs.shape.length && mine[1].shape.every((d, k) => d === theirs.shape[k]);
    if (!same) {
      throw new ShapeError(
        'loadParameters',
        `parameter '${mine[0]}' has shape ${formatShape(mine[1].shape)} in the model but ${formatShape(theirs.shape)} in the saved parameters`,
      );
    }
    if (!Number.isInteger(theirs.offset) || theirs.offset < 0 || theirs.offset + mine[1].size > saved.data.length) {
      throw new ValueError(
        'loadParameters',
        `parameter '${theirs.name}' at offset ${theirs.offset} runs past the buffer of ${saved.data.length} values`,
      );
    }
    // A NaN or ±Inf weight would turn every later output and step into NaN: refuse it here.
    for (let k = theirs.offset; k < theirs.offset + mine[1].size; k++) {
      if (!Number.isFinite(saved.data[k])) {
        throw new ValueError(
          'loadParameters',
          `parameter '${theirs.name}' holds ${saved.data[k]} at element ${k - theirs.offset}; parameters must be finite`,
        );
      }
    }
  }
  params.forEach(([, p], i) => {
    const { offset } = m.params[i];
    p.assign(tensor(saved.data.slice(offset, offset + p.size), p.shape));
  });
}

/** Encodes saved parameters as a JSON string and a separate binary buffer (little-endian float32). */
export function encodeParameters(saved: SavedParameters): { json: string; buffer: ArrayBuffer } {
  if (
    saved === null ||
    typeof saved !== 'object' ||
    !(saved.data instanceof Float32Array) ||
    saved.manifest === null ||
    typeof saved.manifest !== 'object'
  ) {
    throw new ValueError(
      'encodeParameters',
      `saved must be { manifest, data: Float32Array } (from saveParameters), got ${describeValue(saved)}`,
    );
  }
  const copy = saved.data.slice();
  return { json: JSON.stringify(saved.manifest), buffer: copy.buffer as ArrayBuffer };
}

/** The inverse of {@link encodeParameters}. */
export function decodeParameters(json: string, buffer: ArrayBuffer | Uint8Array): SavedParameters {
  if (typeof json !== 'string')
    throw new ValueError('decodeParameters', `json must be a string, got ${describeValue(json)}`);
  if (!(buffer instanceof ArrayBuffer) && !(buffer instanceof Uint8Array))
    throw new ValueError(
      'decodeParameters',
      `buffer must be an ArrayBuffer or Uint8Array, got ${describeValue(buffer)}`,
    );
  let manifest: ParameterManifest;
  try {
    manifest = JSON.parse(json) as ParameterManifest;
  } catch (e) {
    throw new ValueError('decodeParameters', `json is not valid JSON: ${(e as Error).message}`);
  }
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.byteLength % 4 !== 0)
    throw new ValueError('decodeParameters', `buffer length must be a multiple of 4 bytes, got ${bytes.byteLength}`);
  const data = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(data.buffer).set(bytes);
  return { manifest, data };
}

function assertModule(op: string, model: unknown): void {
  if (!isModule(model)) throw new ValueError(op, `model must be a Module, got ${describeValue(model)}`);
}
