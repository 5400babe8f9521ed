// The weights a model computes with, read back to the host: what the sparsity figures,
// the heatmaps and the model report are measured on.
import { Linear, type Module, Sequential } from '@sparsekit/autograd';
import { sparsityReport } from '@sparsekit/metrics';
import { GatedLinear } from '@sparsekit/regularizers';
import { ValueError } from '@sparsekit/tensor';
import type { WeightSnapshot } from './types.js';

/** One affine layer's effective weight [rows = out, cols = in] and bias, on the host. */
export interface HostLayer {
  /** The weight's parameter name in the model (`layers.0.weight`). */
  name: string;
  rows: number;
  cols: number;
  weight: Float32Array;
  bias: Float32Array | null;
}

/**
 * The affine layers of a Sequential MLP as the model computes with them in eval mode: a
 * `Linear`'s weight as stored; a `GatedLinear`'s weight with its test-time gates folded in
 * (taken from the layer's public `compact()`: closed gates leave exactly-zero columns or
 * rows), so the sparsity reported is that of the model that would be shipped.
 */
export async function effectiveLayers(model: Module): Promise<HostLayer[]> {
  if (!(model instanceof Sequential))
    throw new ValueError('effectiveLayers', `model must be a Sequential MLP, got ${model?.constructor?.name}`);
  const out: HostLayer[] = [];
  for (const [i, m] of model.layers.entries()) {
    const name = `layers.${i}.weight`;
    if (m instanceof Linear) {
      out.push({
        name,
        rows: m.outFeatures,
        cols: m.inFeatures,
        weight: Float32Array.from(await m.weight.value.data()),
        bias: m.bias ? Float32Array.from(await m.bias.value.data()) : null,
      });
    } else if (m instanceof GatedLinear) {
      const { linear, inputs, outputs } = await m.compact();
      const small = await linear.weight.value.data();
      const smallBias = linear.bias ? await linear.bias.value.data() : null;
      const weight = new Float32Array(m.outFeatures * m.inFeatures);
      const bias = m.bias ? new Float32Array(m.outFeatures) : null;
      outputs.forEach((r, a) => {
        inputs.forEach((c, b) => {
          weight[r * m.inFeatures + c] = small[a * inputs.length + b];
        });
        if (bias && smallBias) bias[r] = smallBias[a];
      });
      // With every gate closed compact() keeps one column (or row) of zeros: scattering it back adds no non-zero.
      linear.dispose();
      out.push({ name, rows: m.outFeatures, cols: m.inFeatures, weight, bias });
    }
  }
  return out;
}

/** Sparsity measures of the weights (biases excluded) over all layers together. */
export interface WeightStats {
  parameters: number;
  zeros: number;
  sparsity: number;
  hoyer: number;
  gini: number;
}

/** Exact zeros, Hoyer and Gini of the layers' weights, all matrices taken as one vector (metrics' `sparsityReport`). */
export async function weightStats(layers: readonly HostLayer[]): Promise<WeightStats> {
  const report = await sparsityReport(
    new Map(layers.map((l) => [l.name, { data: l.weight, shape: [l.rows, l.cols] }] as const)),
  );
  const t = report.total;
  return {
    parameters: t.parameters,
    zeros: t.parameters - t.nonZeros,
    sparsity: t.sparsity,
    hoyer: t.hoyer,
    gini: t.gini,
  };
}

/** Heatmap columns at most: a 128×784 layer is shown as 128×196 (blocks of four inputs). */
const SNAPSHOT_MAX_COLS = 196;

/**
 * A weight matrix for a heatmap, its columns reduced in blocks of ⌈cols / maxCols⌉: each
 * cell holds the block's entry of largest magnitude (sign kept), so a cell is exactly 0 if
 * and only if its whole block is. `sparsity` is that of the full matrix.
 */
export function snapshot(layer: HostLayer, maxCols = SNAPSHOT_MAX_COLS): WeightSnapshot {
  const block = Math.ceil(layer.cols / maxCols);
  const cols = Math.ceil(layer.cols / block);
  const values = new Array<number>(layer.rows * cols).fill(0);
  let zeros = 0;
  for (let r = 0; r < layer.rows; r++) {
    for (let c = 0; c < layer.cols; c++) {
      const v = layer.weight[r * layer.cols + c];
      if (v === 0) zeros++;
      const cell = r * cols + Math.floor(c / block);
      if (Math.abs(v) > Math.abs(values[cell])) values[cell] = v;
    }
  }
  // Four significant digits are plenty for a heatmap and halve the report; exact zeros stay 0.
  for (let i = 0; i < values.length; i++) values[i] = Number(values[i].toPrecision(4));
  return { name: layer.name, rows: layer.rows, cols, values, sparsity: zeros / (layer.rows * layer.cols) };
}
