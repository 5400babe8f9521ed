import { Dropout, type Module, noGrad } from '@sparsekit/autograd';
import {
  add,
  CsrTensor,
  keep,
  reshape,
  spmm,
  type Tensor,
  tensor,
  tidy,
  transpose,
  ValueError,
} from '@sparsekit/tensor';
import { readAffineLayers } from './compact.js';

/** One layer of a {@link CsrModel}. */
export interface CsrLayer {
  /** The weight [out, in] in CSR form. */
  readonly weight: CsrTensor;
  /** The bias [out] on the host, or null. */
  readonly bias: Float32Array | null;
  /** Activations applied after the layer. */
  readonly activations: readonly Module[];
}

/**
 * An MLP for sparse inference: each weight stored as a {@link CsrTensor} and applied with
 * `spmm`, so a layer costs nnz·batch multiply-adds instead of out·in·batch. Activations are
 * kept in the feature-major layout hᵀ = [features, batch] that `spmm(W, hᵀ)` produces, so the
 * input and output are transposed once each. Inference only (no gradient through `spmm`).
 */
export class CsrModel {
  readonly layers: readonly CsrLayer[];
  private readonly _biases: Tensor[];

  /** @internal Built by {@link toCsr}. */
  constructor(layers: CsrLayer[]) {
    this.layers = layers;
    // Kept: a model built inside someone's tidy scope must outlive it.
    this._biases = layers
      .map((l) => (l.bias ? keep(tensor(l.bias, [l.bias.length, 1])) : null))
      .filter((b): b is Tensor => b !== null);
  }

  /** Input features. */
  get inFeatures(): number {
    return this.layers[0].weight.shape[1];
  }

  /** Output features. */
  get outFeatures(): number {
    return this.layers[this.layers.length - 1].weight.shape[0];
  }

  /** Stored weight non-zeros plus biases. */
  get nnz(): number {
    return this.layers.reduce((n, l) => n + l.weight.nnz + (l.bias?.length ?? 0), 0);
  }

  /** Bytes of the CSR arrays (float32 values, int32 indices and row pointers) plus float32 biases. */
  get bytes(): number {
    return this.layers.reduce((n, l) => n + l.weight.bytes + (l.bias?.byteLength ?? 0), 0);
  }

  /** Bytes of the same model stored dense in float32. */
  get denseBytes(): number {
    return this.layers.reduce((n, l) => n + l.weight.denseBytes + (l.bias?.byteLength ?? 0), 0);
  }

  /** The model's eval output for x = [batch, inFeatures]: a lazy [batch, outFeatures] tensor. */
  predict(x: Tensor): Tensor {
    if (x?.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new ValueError(
        'CsrModel.predict',
        `x must be a [batch, ${this.inFeatures}] tensor, got ${x?.shape ? `[${x.shape.join(', ')}]` : typeof x}`,
      );
    }
    return tidy(() =>
      noGrad(() => {
        // With one sample the transpose is a reshape (a view): no kernel, no copy.
        const flip = (t: Tensor): Tensor =>
          t.shape[1] === 1 || t.shape[0] === 1 ? reshape(t, [t.shape[1], t.shape[0]]) : transpose(t);
        let h = flip(x);
        let b = 0;
        for (const layer of this.layers) {
          h = spmm(layer.weight, h);
          if (layer.bias) h = add(h, this._biases[b++]);
          for (const act of layer.activations) h = act.forward(h).value;
        }
        return flip(h);
      }),
    );
  }

  /** Disposes the bias tensors. */
  dispose(): void {
    for (const b of this._biases) b.dispose();
  }
}

/**
 * The CSR form of an MLP (a Sequential of Linear / GatedLinear layers and elementwise
 * activations; gated layers in eval form, dropout dropped): exact zeros are not stored, so
 * its `predict` equals the dense model's eval output up to float rounding (summation order).
 */
export async function toCsr(model: Module): Promise<CsrModel> {
  const layers = await readAffineLayers('toCsr', model);
  return new CsrModel(
    layers.map((l) => ({
      weight: CsrTensor.fromArray(l.weight, [l.rows, l.cols]),
      bias: l.bias,
      activations: l.after.filter((m) => !(m instanceof Dropout)),
    })),
  );
}
