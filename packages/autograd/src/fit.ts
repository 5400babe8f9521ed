import {
  checkOptions,
  describeValue,
  formatShape,
  gather,
  isTensor,
  materializeAll,
  Random,
  ShapeError,
  sliceRows,
  type Tensor,
  tidyAsync as tensorTidyAsync,
  ValueError,
} from '@sparsekit/tensor';
import { isModule } from './brand.js';
import type { Module } from './nn/module.js';
import { type Parameter, tidy, type Variable } from './variable.js';

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
   * Returning `false` (an optimizer's `step()` under `nonFinite: 'skip'`) says the update
   * was skipped: the batch counts in {@link FitHistory.skipped}, not in the steps or the loss.
   */
  step: (ctx: StepContext) => void | boolean | Promise<void | boolean>;
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
  /**
   * What a batch whose loss is NaN or ±Inf does: `'throw'` (default) a `ValueError` naming
   * the epoch and batch, before `step` runs, so the parameters keep their last finite
   * values; or `'skip'` the batch (no step; counted in {@link FitHistory.skipped}).
   */
  nonFinite?: 'throw' | 'skip';
}

const FIT_OPTIONS = [
  'x',
  'y',
  'loss',
  'step',
  'epochs',
  'batchSize',
  'shuffle',
  'seed',
  'onEpochEnd',
  'onBatchEnd',
  'nonFinite',
];

/** What {@link fit} returns. */
export interface FitHistory {
  /**
   * Mean loss per epoch over the batches that were stepped (weighted by batch size); NaN
   * only for an epoch whose every batch was skipped.
   */
  loss: number[];
  /** Total steps taken. */
  steps: number;
  /** Batches skipped: a non-finite loss under `nonFinite: 'skip'`, or a step that returned false. */
  skipped: number;
}

/**
 * Trains `model` with mini-batches: per batch, zero the gradients, run forward, loss and
 * backward in a tidy scope, hand the gradients to `step`, then realise the new parameter
 * values (cutting the lazy chain). Shuffling uses a seeded permutation per epoch, so runs
 * repeat exactly. The model is in training mode during `fit` and restored afterwards.
 */
export async function fit(model: Module, options: FitOptions): Promise<FitHistory> {
  if (!isModule(model)) throw new ValueError('fit', `model must be a Module, got ${describeValue(model)}`);
  if (options === null || typeof options !== 'object')
    throw new ValueError('fit', `options must be an object { x, y, loss, step, … }, got ${describeValue(options)}`);
  checkOptions('fit', options, FIT_OPTIONS);
  const { x, y, loss, step } = options;
  for (const [name, t] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (!isTensor(t))
      throw new ValueError('fit', `options.${name} must be a Tensor (first axis = samples), got ${describeValue(t)}`);
    if (t.isDisposed) throw new ValueError('fit', `options.${name} has been disposed`);
  }
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  const nonFinite = options.nonFinite ?? 'throw';
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new ValueError('fit', `options.epochs must be a non-negative integer, got ${describeValue(epochs)}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ValueError('fit', `options.batchSize must be a positive integer, got ${describeValue(batchSize)}`);
  if (typeof loss !== 'function')
    throw new ValueError('fit', `options.loss must be a function, got ${describeValue(loss)}`);
  if (typeof step !== 'function')
    throw new ValueError('fit', `options.step must be a function, got ${describeValue(step)}`);
  for (const name of ['onEpochEnd', 'onBatchEnd'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw new ValueError('fit', `options.${name} must be a function, got ${describeValue(options[name])}`);
  }
  if (options.shuffle !== undefined && typeof options.shuffle !== 'boolean')
    throw new ValueError('fit', `options.shuffle must be true or false, got ${describeValue(options.shuffle)}`);
  if (options.seed !== undefined && !Number.isInteger(options.seed))
    throw new ValueError('fit', `options.seed must be an integer, got ${describeValue(options.seed)}`);
  if (nonFinite !== 'throw' && nonFinite !== 'skip')
    throw new ValueError('fit', `options.nonFinite must be 'throw' or 'skip', got ${describeValue(nonFinite)}`);
  if (x.rank < 1 || y.rank < 1 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      'fit',
      `x and y must have the same number of samples (first axis), got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`,
    );
  }
  const n = x.shape[0];
  if (n === 0) throw new ShapeError('fit', `x must hold at least one sample, got shape ${formatShape(x.shape)}`);
  const rng = new Random(options.seed ?? 0);
  const params = model.parameterMap();
  const paramList = [...params.values()];
  const wasTraining = model.training;
  model.train();
  const history: FitHistory = { loss: [], steps: 0, skipped: 0 };
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const started = performance.now();
      const order = options.shuffle === false ? null : rng.permutation(n);
      let total = 0;
      let counted = 0;
      let batch = 0;
      for (let start = 0; start < n; start += batchSize, batch++) {
        const end = Math.min(n, start + batchSize);
        model.zeroGrad();
        const lossValue = tidy(() => {
          const idx = order ? Array.from(order.subarray(start, end)) : null;
          const xb = idx ? gather(x, idx) : sliceRows(x, start, end);
          const yb = idx ? gather(y, idx) : sliceRows(y, start, end);
          const l = loss(model.forward(xb), yb);
          if (l === null || typeof l !== 'object' || !isTensor((l as Variable).value)) {
            throw new ValueError('fit', `options.loss must return a Variable, got ${describeValue(l)}`);
          }
          if (l.size !== 1)
            throw new ShapeError('fit', `loss must return a one-element Variable, got shape ${formatShape(l.shape)}`);
          l.backward();
          return l.value;
        });
        const value = (await lossValue.data())[0];
        lossValue.dispose();
        let stepped = false;
        if (Number.isFinite(value)) {
          stepped = (await runStep(() => step({ params, epoch, batch, step: history.steps }))) !== false;
        } else if (nonFinite === 'throw') {
          model.zeroGrad();
          throw new ValueError(
            'fit',
            `the loss of epoch ${epoch}, batch ${batch} is ${value}; no step was taken (pass nonFinite: 'skip' to skip such batches)`,
          );
        }
        model.zeroGrad();
        if (stepped) {
          history.steps++;
          await materializeAll(paramList.map((p) => p.value));
          total += value * (end - start);
          counted += end - start;
        } else history.skipped++;
        await options.onBatchEnd?.({ epoch, batch, loss: value });
      }
      const info: EpochInfo = {
        epoch,
        loss: counted > 0 ? total / counted : NaN,
        steps: history.steps,
        seconds: (performance.now() - started) / 1000,
      };
      history.loss.push(info.loss);
      if ((await options.onEpochEnd?.(info)) === false) break;
    }
  } finally {
    model.train(wasTraining);
  }
  return history;
}

// The step may be async (an optimizer awaiting its state, as every read must on WebGPU): the
// tensor package's tidyAsync keeps what it allocates alive across its awaits and frees it when
// it settles; parameter values it assigns are kept by assign(). A synchronous step runs in the
// same scope.
function runStep<R>(fn: () => R | Promise<R>): Promise<R> {
  return tensorTidyAsync(async () => await fn());
}
