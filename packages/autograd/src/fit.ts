import { type Tensor, Random, ShapeError, ValueError, formatShape, gather, materializeAll, sliceRows } from '@sparsekit/tensor';
import type { Module } from './nn/module.js';
import { type Parameter, type Variable, tidy } from './variable.js';

/** What the optimizer-agnostic step callback sees after each backward pass. */
export interface StepContext {
  /** The model's parameters by name, with `.grad` filled in. */
  params: Map<string, Parameter>;
  /** 0-based epoch. */
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
  /** Steps taken so far across epochs, before this one. */
  step: number;
}

/** Per-epoch summary handed to `onEpochEnd`. */
export interface EpochInfo {
  epoch: number;
  /** Mean training loss over the epoch's batches (weighted by batch size). */
  loss: number;
  /** Steps taken so far. */
  steps: number;
  /** Seconds the epoch took. */
  seconds: number;
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Inputs, first axis = samples. */
  x: Tensor;
  /** Targets, first axis = samples (class indices as a 1-D tensor, one-hot rows, regression values…). */
  y: Tensor;
  /** The loss of a batch: from the model's output and the batch's targets. */
  loss: (output: Variable, target: Tensor) => Variable;
  /**
   * Applies one update to the parameters, e.g. `p.assign(sub(p.value, mul(p.grad, lr)))`
   * or an optimizer's `step()`. Gradients are zeroed by `fit` before each backward pass.
   */
  step: (ctx: StepContext) => void | Promise<void>;
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Samples per batch (default 32); the last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Shuffle the samples each epoch (default true), with a stream seeded by `seed`. */
  shuffle?: boolean;
  /** Seed of the shuffling (default 0). */
  seed?: number;
  /** Called after each epoch (metrics, progress, early stop by returning `false`). */
  onEpochEnd?: (info: EpochInfo) => void | boolean | Promise<void | boolean>;
  /** Called after each batch with its loss. */
  onBatchEnd?: (info: { epoch: number; batch: number; loss: number }) => void | Promise<void>;
}

/** What {@link fit} returns. */
export interface FitHistory {
  /** Mean loss per epoch. */
  loss: number[];
  /** Total steps taken. */
  steps: number;
}

/**
 * Trains `model` with mini-batches: per batch, zero the gradients, run forward, loss and
 * backward in a tidy scope, hand the gradients to `step`, then realise the new parameter
 * values (cutting the lazy chain). Shuffling uses a seeded permutation per epoch, so runs
 * repeat exactly. The model is in training mode during `fit` and restored afterwards.
 */
export async function fit(model: Module, options: FitOptions): Promise<FitHistory> {
  const { x, y, loss, step } = options;
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValueError('fit', `epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError('fit', `batchSize must be a positive integer, got ${batchSize}`);
  if (typeof loss !== 'function') throw new ValueError('fit', `loss must be a function, got ${typeof loss}`);
  if (typeof step !== 'function') throw new ValueError('fit', `step must be a function, got ${typeof step}`);
  if (x.rank < 1 || y.rank < 1 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError('fit', `x and y must have the same number of samples (first axis), got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`);
  }
  const n = x.shape[0];
  const rng = new Random(options.seed ?? 0);
  const params = model.parameterMap();
  const paramList = [...params.values()];
  const wasTraining = model.training;
  model.train();
  const history: FitHistory = { loss: [], steps: 0 };
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const started = performance.now();
      const order = options.shuffle === false ? null : rng.permutation(n);
      let total = 0;
      let batch = 0;
      for (let start = 0; start < n; start += batchSize, batch++) {
        const end = Math.min(n, start + batchSize);
        model.zeroGrad();
        const lossValue = tidy(() => {
          const idx = order ? Array.from(order.subarray(start, end)) : null;
          const xb = idx ? gather(x, idx) : sliceRows(x, start, end);
          const yb = idx ? gather(y, idx) : sliceRows(y, start, end);
          const l = loss(model.forward(xb), yb);
          if (l.size !== 1) throw new ShapeError('fit', `loss must return a one-element Variable, got shape ${formatShape(l.shape)}`);
          l.backward();
          return l.value;
        });
        const value = (await lossValue.data())[0];
        lossValue.dispose();
        await tidyAsync(() => step({ params, epoch, batch, step: history.steps }));
        history.steps++;
        model.zeroGrad();
        await materializeAll(paramList.map((p) => p.value));
        total += value * (end - start);
        await options.onBatchEnd?.({ epoch, batch, loss: value });
      }
      const info: EpochInfo = { epoch, loss: n > 0 ? total / n : NaN, steps: history.steps, seconds: (performance.now() - started) / 1000 };
      history.loss.push(info.loss);
      if ((await options.onEpochEnd?.(info)) === false) break;
    }
  } finally {
    model.train(wasTraining);
  }
  return history;
}

// The step may be async (an optimizer awaiting its state); a synchronous one runs in a tidy
// scope so its temporaries are freed, and parameter values it assigns are kept by assign().
async function tidyAsync(fn: () => void | Promise<void>): Promise<void> {
  let pending: void | Promise<void> = undefined;
  tidy(() => {
    pending = fn();
  });
  await pending;
}
