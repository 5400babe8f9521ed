import {
  Dropout,
  LeakyReLU,
  Linear,
  type Module,
  noGrad,
  ReLU,
  Sequential,
  Sigmoid,
  Softplus,
  Tanh,
  tidy,
} from '@sparsekit/autograd';
import { tensor, ValueError } from '@sparsekit/tensor';
import { GatedLinear } from './gated-linear.js';

/** @internal One affine layer of an MLP read back to the host, with the elementwise modules after it. */
export interface AffineLayer {
  rows: number;
  cols: number;
  /** Row-major [rows, cols]. */
  weight: Float32Array;
  bias: Float32Array | null;
  /** Elementwise modules (activations, dropout) between this layer and the next. */
  after: Module[];
}

const ELEMENTWISE = [ReLU, LeakyReLU, Sigmoid, Tanh, Softplus, Dropout] as const;
const isElementwise = (m: Module): boolean => ELEMENTWISE.some((C) => m instanceof C);

/**
 * @internal Reads a Sequential of Linear / GatedLinear layers and elementwise modules into
 * host arrays, gated layers in their eval form (gates folded into the weights).
 */
export async function readAffineLayers(fn: string, model: Module): Promise<AffineLayer[]> {
  if (!(model instanceof Sequential))
    throw new ValueError(
      fn,
      `model must be a Sequential of Linear / GatedLinear layers and activations, got ${model?.constructor?.name ?? typeof model}`,
    );
  const layers: AffineLayer[] = [];
  for (const [i, m] of model.layers.entries()) {
    if (m instanceof Linear || m instanceof GatedLinear) {
      const prev = layers[layers.length - 1];
      if (prev && prev.rows !== m.inFeatures)
        throw new ValueError(fn, `layers[${i}] takes ${m.inFeatures} inputs but the layer before gives ${prev.rows}`);
      if (m instanceof GatedLinear) {
        const { weight, bias } = await m.foldedAffine();
        layers.push({ rows: m.outFeatures, cols: m.inFeatures, weight, bias, after: [] });
      } else {
        const [w, b] = await Promise.all([m.weight.value.data(), m.bias?.value.data() ?? null]);
        layers.push({
          rows: m.outFeatures,
          cols: m.inFeatures,
          weight: Float32Array.from(w),
          bias: b ? Float32Array.from(b) : null,
          after: [],
        });
      }
    } else if (isElementwise(m)) {
      if (!layers.length)
        throw new ValueError(
          fn,
          `layers[${i}] (${m.constructor.name}) comes before any Linear layer; expected a Linear or GatedLinear first`,
        );
      layers[layers.length - 1].after.push(m);
    } else {
      throw new ValueError(
        fn,
        `layers[${i}] is a ${m.constructor.name}; expected Linear, GatedLinear, ${ELEMENTWISE.map((C) => C.name).join(', ')}`,
      );
    }
  }
  if (!layers.length) throw new ValueError(fn, 'model must contain at least one Linear or GatedLinear layer, got none');
  for (const l of layers) {
    for (const v of l.weight)
      if (!Number.isFinite(v)) throw new ValueError(fn, `model parameters must be finite, got ${v}`);
    if (l.bias)
      for (const v of l.bias)
        if (!Number.isFinite(v)) throw new ValueError(fn, `model parameters must be finite, got ${v}`);
  }
  return layers;
}

/** The eval-mode elementwise chain applied to host values (dropout is the identity in eval). */
async function applyAfter(after: readonly Module[], values: Float32Array): Promise<Float32Array> {
  const acts = after.filter((m) => !(m instanceof Dropout));
  if (!acts.length || !values.length) return values;
  const out = noGrad(() => tidy(() => acts.reduce((h, m) => m.forward(h).value, tensor(values, [values.length]))));
  try {
    return Float32Array.from(await out.data());
  } finally {
    out.dispose();
  }
}

/**
 * Removes the dead hidden neurons of a sparse MLP (a Sequential of Linear / GatedLinear
 * layers and elementwise activations) and returns a smaller dense Sequential with the same
 * inputs and outputs, whose eval outputs equal the model's up to float rounding:
 *
 * - a neuron whose incoming weights are all zero outputs the constant c = act(bᵢ); it is
 *   removed and c·W_{next}[:, i] is added to the next layer's bias;
 * - a neuron whose outgoing weights are all zero is removed outright.
 *
 * Gated layers are taken in eval mode, gates folded into the weights, so closed gates leave
 * zero rows or columns and their neurons go. A forward pass resolves constant neurons (each
 * removal can silence the next layer's rows); a backward pass then removes neurons nothing
 * reads. Model inputs and outputs are never removed. Activation and dropout modules are
 * shared with the original model (they hold no parameters); the original is unchanged.
 */
export async function compact(model: Module): Promise<Sequential> {
  const layers = await readAffineLayers('compact', model);
  const L = layers.length;
  const aliveRows = layers.map((l) => new Uint8Array(l.rows).fill(1));
  const aliveCols = layers.map((l) => new Uint8Array(l.cols).fill(1));
  const biases = layers.map((l) => (l.bias ? Float64Array.from(l.bias) : new Float64Array(l.rows)));
  const hasBias = layers.map((l) => l.bias !== null);

  for (let k = 0; k + 1 < L; k++) {
    const { weight: w, rows, cols } = layers[k];
    const deadIn: number[] = [];
    for (let i = 0; i < rows; i++) {
      let zero = true;
      for (let j = 0; j < cols && zero; j++) if (aliveCols[k][j] && w[i * cols + j] !== 0) zero = false;
      if (zero) deadIn.push(i);
    }
    if (!deadIn.length) continue;
    const c = await applyAfter(
      layers[k].after,
      Float32Array.from(deadIn, (i) => biases[k][i]),
    );
    const next = layers[k + 1];
    for (let r = 0; r < next.rows; r++) {
      let add = 0;
      deadIn.forEach((i, q) => (add += next.weight[r * next.cols + i] * c[q]));
      if (add !== 0) {
        biases[k + 1][r] += add;
        hasBias[k + 1] = true;
      }
    }
    for (const i of deadIn) {
      aliveRows[k][i] = 0;
      aliveCols[k + 1][i] = 0;
    }
  }
  for (let k = L - 2; k >= 0; k--) {
    const next = layers[k + 1];
    for (let i = 0; i < layers[k].rows; i++) {
      if (!aliveRows[k][i]) continue;
      let zero = true;
      for (let r = 0; r < next.rows && zero; r++)
        if (aliveRows[k + 1][r] && next.weight[r * next.cols + i] !== 0) zero = false;
      if (zero) {
        aliveRows[k][i] = 0;
        aliveCols[k + 1][i] = 0;
      }
    }
  }

  const modules: Module[] = [];
  const placeholder = new Set<number>();
  layers.forEach((l, k) => {
    // A layer with every neuron gone keeps one zero neuron whose outgoing weights are zero.
    let rows = indicesOf(aliveRows[k]);
    if (!rows.length) {
      rows = [0];
      placeholder.add(k);
    }
    let cols = indicesOf(aliveCols[k]);
    if (!cols.length) cols = [0];
    const w = new Float32Array(rows.length * cols.length);
    if (!placeholder.has(k)) {
      rows.forEach((i, r) =>
        cols.forEach((j, q) => (w[r * cols.length + q] = placeholder.has(k - 1) ? 0 : l.weight[i * l.cols + j])),
      );
    }
    const lin = new Linear(cols.length, rows.length, { bias: hasBias[k], seed: 0 });
    lin.weight.assign(tensor(w, [rows.length, cols.length]));
    if (lin.bias)
      lin.bias.assign(
        tensor(
          Float32Array.from(rows, (i) => (placeholder.has(k) ? 0 : biases[k][i])),
          [rows.length],
        ),
      );
    modules.push(lin, ...l.after);
  });
  return new Sequential(...modules);
}

function indicesOf(flags: Uint8Array): number[] {
  const out: number[] = [];
  flags.forEach((f, i) => f && out.push(i));
  return out;
}
