// Chooses λ for each sparse MNIST method by k-fold cross-validation on the training split
// (the regularizers package's crossValidate and bestLambda) and caches the result, with the
// command that made it, in src/experiments/lambdas.json, which the demo imports — so the
// default run never redoes this. Run from apps/demo: `pnpm select-lambdas` (a few minutes).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fit, noGrad, tidy } from '@sparsekit/autograd';
import { accuracy } from '@sparsekit/metrics';
import { bestLambda, crossValidate } from '@sparsekit/regularizers';
import { argmax, gather, getBackend, type Tensor, tensor } from '@sparsekit/tensor';
import { defaultConfig, LAMBDA_METHODS, type LambdaCache, type LambdaMethod } from '../src/experiments/index.js';
import type { LambdaSelection } from '../src/experiments/lambdas.js';
import { makeTrainer } from '../src/experiments/methods.js';
import { splitDigits } from '../src/experiments/mnist.js';
import { effectiveLayers } from '../src/experiments/weights.js';
import { loadDigits } from '../src/node/data.js';

const COMMAND = 'pnpm --filter @sparsekit/demo select-lambdas';
/** Training digits the folds are cut from: the first of the default run's seeded training split. */
const SAMPLES = 4000;
const FOLDS = 3;
/** As many epochs as the default run: sparsity builds up over training, so a shorter fit would judge λ too early. */
const EPOCHS = defaultConfig().mnist.epochs;
const RULE = 'one-standard-error' as const;

/** The candidates per method, in increasing λ (what λ means: LAMBDA_MEANING). */
const GRIDS: Record<LambdaMethod, number[]> = {
  'adam-l1': [3e-5, 1e-4, 3e-4, 1e-3],
  adamw: [1e-2, 1e-1, 1, 10],
  'sgd-l1': [1e-4, 3e-4, 1e-3, 3e-3],
  'prox-adam-l1': [1e-4, 3e-4, 1e-3, 3e-3],
  'prox-adam-l0': [1e-4, 5e-4, 2e-3, 8e-3],
  ftrl: [3e-3, 1e-2, 3e-2, 1e-1],
  'l0-gates': [0.03, 0.1, 0.3, 1],
};

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

const root = process.cwd();
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { name?: string };
if (pkg.name !== '@sparsekit/demo')
  throw new Error(`select-lambdas: run it in apps/demo (pnpm --filter @sparsekit/demo select-lambdas), not ${root}`);

const config = defaultConfig();
const { batchSize, pruning } = config.mnist;
const data = splitDigits(loadDigits(), SAMPLES, 0, config.seed);
const labels = await data.yTrain.data();
log(
  `select-lambdas: ${FOLDS}-fold cross-validation on ${SAMPLES} training digits, ${EPOCHS} epochs per fit, backend ${getBackend().name}`,
);

/** One method's cross-validation: every λ of its grid on every fold, then the rule. */
async function select(method: LambdaMethod): Promise<LambdaSelection> {
  // The fitted weights go to crossValidate (it counts their zeros); the model behind them is scored.
  const models = new WeakMap<object, ReturnType<typeof makeTrainer>>();
  const table = await crossValidate({
    samples: SAMPLES,
    folds: FOLDS,
    lambdas: GRIDS[method],
    seed: config.seed,
    train: async (split) => {
      const trainer = makeTrainer(method, {
        lambda: split.lambda,
        seed: config.seed,
        trainSize: split.train.length,
        epochs: EPOCHS,
        stepsPerEpoch: Math.ceil(split.train.length / batchSize),
        pruning,
      });
      const x = gather(data.xTrain, split.train);
      const y = gather(data.yTrain, split.train);
      try {
        await fit(trainer.model, {
          x,
          y,
          epochs: EPOCHS,
          batchSize,
          seed: config.seed,
          loss: trainer.loss,
          step: () => trainer.step(),
        });
      } finally {
        x.dispose();
        y.dispose();
      }
      const layers = await effectiveLayers(trainer.model);
      const weights = layers.map((l) => tensor(l.weight, [l.rows, l.cols]));
      models.set(weights, trainer);
      return weights;
    },
    score: async (weights, split) => {
      const trainer = models.get(weights) as ReturnType<typeof makeTrainer>;
      trainer.model.eval();
      const x = gather(data.xTrain, split.validation);
      const predicted: Tensor = tidy(() => noGrad(() => argmax(trainer.model.forward(x).value, 1)));
      const p = await predicted.data();
      predicted.dispose();
      x.dispose();
      trainer.dispose();
      return (
        1 -
        accuracy(
          split.validation.map((i) => labels[i]),
          p,
        )
      );
    },
    onProgress: ({ done, total, lambda, fold, score }) =>
      log(`  ${method} ${done}/${total}: λ = ${lambda}, fold ${fold}, validation accuracy ${pct(1 - score)}`),
  });
  const lambda = bestLambda(table, { rule: RULE });
  const chosen = table.find((r) => r.lambda === lambda) as (typeof table)[number];
  const sparsest = table[table.length - 1];
  const note =
    `${RULE} rule: λ = ${lambda} (validation accuracy ${pct(1 - chosen.mean)} ± ${pct(chosen.se)}, ` +
    `${pct(chosen.sparsity)} weights exactly zero after ${EPOCHS} epochs); the largest λ tried, ${sparsest.lambda}, ` +
    `gave ${pct(sparsest.sparsity)} zeros at ${pct(1 - sparsest.mean)}. ` +
    (chosen.sparsity >= 0.9
      ? 'It reaches the 90% zeros of the headline in cross-validation.'
      : 'It does not reach the 90% zeros of the headline in cross-validation.');
  log(`  ${method}: ${note}`);
  return {
    lambda,
    grid: GRIDS[method],
    table: table.map((r) => ({ lambda: r.lambda, mean: r.mean, se: r.se, sparsity: r.sparsity })),
    note,
  };
}

const started = performance.now();
const methods = {} as Record<LambdaMethod, LambdaSelection>;
for (const method of LAMBDA_METHODS) methods[method] = await select(method);
const cache: LambdaCache = {
  command: COMMAND,
  date: new Date().toISOString(),
  protocol:
    `${FOLDS}-fold cross-validation (regularizers' crossValidate, folds shuffled with seed ${config.seed}) on the first ` +
    `${SAMPLES} digits of the default run's seeded training split, ${EPOCHS} epochs per fit at batch ${batchSize}, ` +
    `score 1 − validation accuracy, λ by the ${RULE} rule (regularizers' bestLambda): the largest λ within one ` +
    `standard error of the best mean — the sparsest model statistically as accurate. Backend ${getBackend().name}; ` +
    `took ${((performance.now() - started) / 60_000).toFixed(1)} min.`,
  methods,
};
const out = resolve(root, 'src/experiments/lambdas.json');
writeFileSync(out, `${JSON.stringify(cache, null, 2)}\n`);
log(`select-lambdas: wrote ${out}`);
data.xTrain.dispose();
data.yTrain.dispose();
data.xTest.dispose();
