import {
  checkOptions,
  describeValue,
  formatShape,
  isTensor,
  ShapeError,
  type ReadableTensor as Tensor,
  ValueError,
} from '@sparsekit/core';
import { giniOf } from './gini.js';
import { hoyerOf } from './hoyer.js';
import { finiteVector, tolerance } from './input.js';

/**
 * A model, structurally: anything listing its parameters by name, such as
 * `@sparsekit/autograd` modules (`layers.0.weight`, …). A parameter is a tensor or holds
 * one in `value`. Linear weights follow PyTorch: shape [outFeatures, inFeatures].
 */
export interface NamedParameters {
  namedParameters(): Iterable<readonly [string, Tensor | { value: Tensor }]>;
}

/** A parameter already on the host: row-major values and their shape. */
export interface HostParameter {
  data: ArrayLike<number>;
  shape: readonly number[];
}

/** One entry of a plain parameter map; a bare array-like is a vector of its length. */
export type ParameterSource = ArrayLike<number> | Tensor | { value: Tensor } | HostParameter;

/** What {@link sparsityReport} measures. */
export type ReportSource = NamedParameters | Record<string, ParameterSource> | ReadonlyMap<string, ParameterSource>;

/** Options of {@link sparsityReport}. */
export interface SparsityReportOptions {
  /** Magnitudes `|x| ≤ tol` count as zero everywhere in the report (Hoyer and Gini included). Default 0. */
  tol?: number;
  /** Which parameters to include, by name (e.g. `/weight$/`); default all. */
  filter?: RegExp | ((name: string, shape: readonly number[]) => boolean);
}

/** Storage in bytes: float32 values, int32 indices. */
export interface ByteCounts {
  /** 4 bytes per parameter. */
  dense: number;
  /** CSR: 4·nnz values + 4·nnz column indices + 4·(rows + 1) row pointers (a vector is one row). */
  csr: number;
  /** Dense after dropping all-zero rows and columns (a bias: the entries of dropped output rows). */
  compacted: number;
}

/** Estimated multiply-adds per input sample (per output position for rank > 2 kernels). */
export interface MultiplyAdds {
  /** rows × cols of every weight matrix. */
  dense: number;
  /** One per stored non-zero, as a CSR matrix-vector product does. */
  sparse: number;
  /** (rows − zero rows) × (cols − zero columns). */
  compacted: number;
}

/** Measures shared by a layer and the total. */
export interface SparsityStats {
  /** Number of parameters. */
  parameters: number;
  /** Parameters with |x| > tol. */
  nonZeros: number;
  /** Fraction of parameters with |x| ≤ tol, in [0, 1]. */
  sparsity: number;
  /** Hoyer's sparseness of the values, in [0, 1] (see {@link hoyer}). */
  hoyer: number;
  /** Gini index of the values, in [0, 1) (see {@link gini}). */
  gini: number;
  /**
   * Weight matrices only (null for vectors): `outputs` counts all-zero rows — output
   * neurons with no incoming weights; `inputs` counts all-zero columns — inputs with no
   * outgoing weights. Biases do not revive a neuron: its output is then a constant that
   * the next layer's bias can absorb, which is what compaction relies on.
   */
  deadNeurons: { outputs: number; inputs: number } | null;
  /** Weight matrices only (null for vectors): fraction of all-zero rows and of all-zero columns. */
  structuredSparsity: { rows: number; cols: number } | null;
  bytes: ByteCounts;
  multiplyAdds: MultiplyAdds;
}

/** One parameter's line in the report. */
export interface LayerSparsity extends SparsityStats {
  name: string;
  shape: number[];
}

/**
 * A model's sparsity, per parameter and in total. A plain JSON-ready object:
 * `JSON.stringify(report)` is its JSON form, {@link formatReport} its text table.
 */
export interface SparsityReport {
  tol: number;
  layers: LayerSparsity[];
  /** Everything summed; Hoyer and Gini over all values at once; dead-neuron counts summed over matrices. */
  total: SparsityStats;
}

interface Parameter {
  name: string;
  shape: number[];
  data: ArrayLike<number>;
}

/**
 * Measures how sparse a model is, per parameter and in total: parameters, non-zeros,
 * sparsity, Hoyer, Gini, dead neurons, structured (row / column) sparsity, bytes dense
 * vs CSR vs compacted, and multiply-adds dense vs sparse.
 *
 * A parameter of rank ≥ 2 is read as a matrix [shape[0], rest]: rows are output neurons
 * (PyTorch's [outFeatures, inFeatures]), columns are inputs. Dead neurons, bytes and
 * multiply-adds are per parameter: a hidden unit whose row in one layer and column in the
 * next are both zero is counted once in each. A vector named `X.bias` next to a matrix
 * `X.weight` with as many rows loses the entries of that matrix's zero rows when compacted.
 * Biases cost no multiply-adds.
 *
 * Tensors are read with `await t.data()`, so this works on every backend (WebGPU too).
 * @throws ValueError on a source with no parameters, a parameter of an unknown kind,
 * NaN/±Infinity (naming the parameter and index) or a bad option; ShapeError when a
 * shape does not match its data or a parameter has no elements.
 */
export async function sparsityReport(
  source: ReportSource,
  options: SparsityReportOptions = {},
): Promise<SparsityReport> {
  const op = 'sparsityReport';
  checkOptions(op, options, ['tol', 'filter']);
  const tol = tolerance(op, options.tol);
  const keep = filterOf(op, options.filter);
  const params: Parameter[] = [];
  for (const [name, entry] of entriesOf(op, source)) {
    const { shape, read } = resolve(op, name, entry);
    if (!keep(name, shape)) continue;
    const data = finiteVector(op, name, await read());
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new ShapeError(
        op,
        `parameter '${name}' has shape ${formatShape(shape)} (${size} values) but ${data.length} values`,
      );
    }
    if (size === 0)
      throw new ShapeError(
        op,
        `parameter '${name}' has no elements (shape ${formatShape(shape)}); leave it out with options.filter`,
      );
    params.push({ name, shape, data });
  }
  if (params.length === 0) throw new ValueError(op, 'the source has no parameters to report (after options.filter)');
  return buildReport(params, tol);
}

function buildReport(params: Parameter[], tol: number): SparsityReport {
  const count = params.reduce((s, p) => s + p.data.length, 0);
  // All values in one buffer, thresholded: layers measure views of it, the total all of it.
  const all = params.every((p) => p.data instanceof Float32Array) ? new Float32Array(count) : new Float64Array(count);
  let offset = 0;
  const layers = params.map((p) => {
    const view = all.subarray(offset, offset + p.data.length);
    for (let i = 0; i < view.length; i++) {
      const x = p.data[i];
      view[i] = Math.abs(x) <= tol ? 0 : x;
    }
    offset += view.length;
    return { name: p.name, shape: p.shape, ...layerStats(p.name, p.shape, view) };
  });
  foldBiases(layers);
  const sum = (f: (l: LayerSparsity) => number): number => layers.reduce((s, l) => s + f(l), 0);
  const matrices = layers.filter((l) => l.shape.length >= 2);
  const nonZeros = sum((l) => l.nonZeros);
  const total: SparsityStats = {
    parameters: count,
    nonZeros,
    sparsity: 1 - nonZeros / count,
    hoyer: hoyerOf(all, 'sparsityReport', 'all parameters'),
    gini: giniOf(all, 'sparsityReport', 'all parameters'),
    deadNeurons:
      matrices.length === 0
        ? null
        : { outputs: sum((l) => l.deadNeurons?.outputs ?? 0), inputs: sum((l) => l.deadNeurons?.inputs ?? 0) },
    structuredSparsity:
      matrices.length === 0
        ? null
        : {
            rows: sum((l) => l.deadNeurons?.outputs ?? 0) / matrices.reduce((s, l) => s + l.shape[0], 0),
            cols: sum((l) => l.deadNeurons?.inputs ?? 0) / matrices.reduce((s, l) => s + l.parameters / l.shape[0], 0),
          },
    bytes: { dense: sum((l) => l.bytes.dense), csr: sum((l) => l.bytes.csr), compacted: sum((l) => l.bytes.compacted) },
    multiplyAdds: {
      dense: sum((l) => l.multiplyAdds.dense),
      sparse: sum((l) => l.multiplyAdds.sparse),
      compacted: sum((l) => l.multiplyAdds.compacted),
    },
  };
  return { tol, layers, total };
}

function layerStats(name: string, shape: readonly number[], v: Float32Array | Float64Array): SparsityStats {
  const n = v.length;
  let nonZeros = 0;
  for (let i = 0; i < n; i++) if (v[i] !== 0) nonZeros++;
  const base = {
    parameters: n,
    nonZeros,
    sparsity: 1 - nonZeros / n,
    hoyer: hoyerOf(v, 'sparsityReport', name),
    gini: giniOf(v, 'sparsityReport', name),
  };
  if (shape.length < 2) {
    return {
      ...base,
      deadNeurons: null,
      structuredSparsity: null,
      bytes: { dense: 4 * n, csr: 8 * nonZeros + 8, compacted: 4 * n },
      multiplyAdds: { dense: 0, sparse: 0, compacted: 0 },
    };
  }
  const rows = shape[0];
  const cols = n / rows;
  const colUsed = new Uint8Array(cols);
  let zeroRows = 0;
  for (let r = 0; r < rows; r++) {
    let used = false;
    for (let c = 0, k = r * cols; c < cols; c++, k++) {
      if (v[k] !== 0) {
        used = true;
        colUsed[c] = 1;
      }
    }
    if (!used) zeroRows++;
  }
  let zeroCols = 0;
  for (let c = 0; c < cols; c++) if (colUsed[c] === 0) zeroCols++;
  const kept = (rows - zeroRows) * (cols - zeroCols);
  return {
    ...base,
    deadNeurons: { outputs: zeroRows, inputs: zeroCols },
    structuredSparsity: { rows: zeroRows / rows, cols: zeroCols / cols },
    bytes: { dense: 4 * n, csr: 8 * nonZeros + 4 * (rows + 1), compacted: 4 * kept },
    multiplyAdds: { dense: n, sparse: nonZeros, compacted: kept },
  };
}

/** A bias loses the entries of its weight's dead output neurons when the layer is compacted. */
function foldBiases(layers: LayerSparsity[]): void {
  const byName = new Map(layers.map((l) => [l.name, l]));
  for (const bias of layers) {
    if (bias.shape.length !== 1 || !/(^|\.)bias$/.test(bias.name)) continue;
    const weight = byName.get(bias.name.replace(/bias$/, 'weight'));
    if (!weight?.deadNeurons || weight.shape[0] !== bias.parameters) continue;
    bias.bytes.compacted = 4 * (bias.parameters - weight.deadNeurons.outputs);
  }
}

function entriesOf(op: string, source: ReportSource): Array<readonly [string, unknown]> {
  let entries: Array<readonly [string, unknown]>;
  if (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as NamedParameters).namedParameters === 'function'
  ) {
    entries = Array.from((source as NamedParameters).namedParameters());
  } else if (source instanceof Map) {
    entries = Array.from(source.entries());
  } else if (typeof source === 'object' && source !== null && !isTensor(source) && !('length' in source)) {
    entries = Object.entries(source);
  } else {
    throw new ValueError(
      op,
      `source must be a model with namedParameters() or a map of name → parameter, got ${describeValue(source)}`,
    );
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
      throw new ValueError(op, `namedParameters() must yield [name, parameter] pairs, got ${describeValue(entry)}`);
    }
    if (seen.has(entry[0])) throw new ValueError(op, `parameter name '${entry[0]}' appears twice`);
    seen.add(entry[0]);
  }
  return entries;
}

function resolve(op: string, name: string, p: unknown): { shape: number[]; read: () => Promise<unknown> | unknown } {
  const tensor = isTensor(p)
    ? p
    : typeof p === 'object' && p !== null && isTensor((p as { value?: unknown }).value)
      ? (p as { value: Tensor }).value
      : null;
  if (tensor) return { shape: [...tensor.shape], read: () => tensor.data() };
  if (typeof p === 'object' && p !== null && 'data' in p && 'shape' in p) {
    const { data, shape } = p as { data: unknown; shape: unknown };
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(
        op,
        `parameter '${name}' shape must be an array of non-negative integers, got ${describeValue(shape)}`,
      );
    }
    return { shape: [...shape], read: () => data };
  }
  if (typeof p === 'object' && p !== null && typeof (p as ArrayLike<number>).length === 'number') {
    return { shape: [(p as ArrayLike<number>).length], read: () => p };
  }
  throw new ValueError(
    op,
    `parameter '${name}' must be a Tensor, { value: Tensor }, { data, shape } or an array of numbers, got ${describeValue(p)}`,
  );
}

function filterOf(
  op: string,
  filter: SparsityReportOptions['filter'],
): (name: string, shape: readonly number[]) => boolean {
  if (filter === undefined) return () => true;
  if (filter instanceof RegExp) {
    return (name) => {
      filter.lastIndex = 0;
      return filter.test(name);
    };
  }
  if (typeof filter === 'function') return filter;
  throw new ValueError(
    op,
    `options.filter must be a RegExp or a function (name, shape) => boolean, got ${describeValue(filter)}`,
  );
}
