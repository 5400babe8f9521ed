// The ten ways to train the 784-128-10 MLP: each a model, a loss and an update built from
// the packages (optimizers, regularizers), with the same initialisation seed and budget.
import {
  add,
  type Module,
  mlp,
  mul,
  type Parameter,
  ReLU,
  Sequential,
  softmaxCrossEntropy,
  type Variable,
} from '@sparsekit/autograd';
import { Adam, AdamW, FTRL, type Optimizer, ProximalAdam, SGD, SubgradientSGD } from '@sparsekit/optimizers';
import { expectedL0, GatedLinear, GradualPruner, l0, l1, penaltyLoss, proxGroups } from '@sparsekit/regularizers';
import type { Tensor } from '@sparsekit/tensor';
import type { MnistMethod, PruningConfig } from './types.js';

/** The MLP's layer sizes. */
export const MLP_SIZES = [784, 128, 10] as const;

/** Weights (biases excluded) of the MLP, and of its first layer alone. */
export const MLP_WEIGHTS = MLP_SIZES[0] * MLP_SIZES[1] + MLP_SIZES[1] * MLP_SIZES[2];
export const FIRST_LAYER_WEIGHTS = MLP_SIZES[0] * MLP_SIZES[1];

/** The first layer's sparsity that makes `sparsity` of all the weights zero when only it is pruned. */
export const firstLayerSparsity = (sparsity: number): number => (sparsity * MLP_WEIGHTS) / FIRST_LAYER_WEIGHTS;

/** How each method is named in tables and charts. */
export const METHOD_LABELS: Record<MnistMethod, string> = {
  sgd: 'SGD (momentum)',
  adam: 'Adam',
  'adam-l1': 'Adam + L1 in the loss',
  adamw: 'AdamW (decoupled decay)',
  'sgd-l1': 'SGD + L1 subgradient',
  'prox-adam-l1': 'Proximal Adam (L1)',
  'prox-adam-l0': 'Proximal Adam (L0)',
  ftrl: 'FTRL-Proximal',
  'l0-gates': 'L0 hard-concrete gates',
  pruning: 'Gradual magnitude pruning',
};

/** Methods whose λ comes from cross-validation (or a flag); the others take none. */
export const LAMBDA_METHODS = [
  'adam-l1',
  'adamw',
  'sgd-l1',
  'prox-adam-l1',
  'prox-adam-l0',
  'ftrl',
  'l0-gates',
] as const satisfies readonly MnistMethod[];
export type LambdaMethod = (typeof LAMBDA_METHODS)[number];

/** Whether `method` takes a λ. */
export const takesLambda = (method: MnistMethod): method is LambdaMethod =>
  (LAMBDA_METHODS as readonly string[]).includes(method);

/** What λ means for each method, for tables and the report. */
export const LAMBDA_MEANING: Record<LambdaMethod, string> = {
  'adam-l1': 'λ·Σ|w| added to the batch loss',
  adamw: 'decoupled weight decay',
  'sgd-l1': 'λ·sign(w) added to the gradient',
  'prox-adam-l1': 'soft threshold lr·λ/denom after each Adam step',
  'prox-adam-l0': 'hard threshold √(2λ·lr/denom) after each Adam step',
  ftrl: 'FTRL l1 strength (|z| ≤ λ gives w = 0)',
  'l0-gates': 'λ/N per expected open weight (Louizos et al.)',
};

// Learning rates: Adam's default 1e-3 for the Adam family; SGD with heavy-ball momentum 0.9
// at 0.05 (the old demo's); FTRL's per-coordinate rate lr/√n needs a larger base rate (0.2
// reached 94.3% at λ = 0.01 where 0.05 reached 92.1% and 0.5 92.5%, 10 epochs, seed 7).
const ADAM_LR = 1e-3;
const SGD_LR = 0.05;
const SGD_MOMENTUM = 0.9;
const FTRL_LR = 0.2;
// Gates start mostly open (10% drop rate) and log α moves at a faster rate than the
// weights: from σ(log α) = 0.9 a gate closes only below log α ≈ −2.4, which 1,250 steps of
// 1e-3 cannot reach.
const GATE_LR = 0.05;
const GATE_INITIAL_DROP = 0.1;

/**
 * The pruning schedule in steps: from the start of `startEpoch` to the last step before
 * `endEpoch` (both clamped into the run, so a shorter run prunes to the same target sooner),
 * with as many re-rankings every `frequency` steps as fit, at least one.
 */
function pruningWindow(setup: TrainerSetup): { startStep: number; pruningSteps: number; endStep: number } {
  const { startEpoch, endEpoch, frequency } = setup.pruning;
  const end = Math.min(endEpoch, setup.epochs);
  const start = Math.min(startEpoch, end - 1);
  const startStep = start * setup.stepsPerEpoch;
  const span = (end - start) * setup.stepsPerEpoch;
  const pruningSteps = Math.max(1, Math.floor((span - 1) / frequency));
  return { startStep, pruningSteps, endStep: startStep + pruningSteps * frequency };
}

/** What one method trains: its model, its batch loss and its update. */
export interface Trainer {
  model: Sequential;
  /** The batch loss: cross-entropy, plus a penalty for the methods that put one in the loss. */
  loss(output: Variable, target: Tensor): Variable;
  /** One update after the backward pass (an optimizer step, then the pruning mask). */
  step(): Promise<void>;
  dispose(): void;
}

/** What building a trainer needs besides the method. */
export interface TrainerSetup {
  /** λ for the methods that take one (ignored by the others). */
  lambda: number;
  seed: number;
  trainSize: number;
  epochs: number;
  stepsPerEpoch: number;
  pruning: PruningConfig;
}

const isWeight = (name: string, p: Parameter): boolean => p.rank === 2 && /(^|\.)weight$/.test(name);

function split(model: Module): { weights: Parameter[]; others: Parameter[] } {
  const weights: Parameter[] = [];
  const others: Parameter[] = [];
  for (const [name, p] of model.namedParameters()) (isWeight(name, p) ? weights : others).push(p);
  return { weights, others };
}

function withOptimizer(model: Sequential, optimizer: Optimizer, loss?: Trainer['loss']): Trainer {
  return {
    model,
    loss: loss ?? ((out, y) => softmaxCrossEntropy(out, y)),
    async step() {
      await optimizer.stepAsync();
    },
    dispose() {
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** The gated MLP: input gates on both layers, so whole pixels and whole hidden units can close. */
function gatedMlp(seed: number): Sequential {
  return new Sequential(
    new GatedLinear(MLP_SIZES[0], MLP_SIZES[1], { seed, initialDropRate: GATE_INITIAL_DROP }),
    new ReLU(),
    new GatedLinear(MLP_SIZES[1], MLP_SIZES[2], { seed: seed + 1, initialDropRate: GATE_INITIAL_DROP }),
  );
}

/**
 * Builds the model and update of `method`. Every model starts from `mlp(MLP_SIZES, { seed })`
 * (the gated one from the same seeds), penalties touch weights only (never biases or gates),
 * and every optimizer takes one step per batch.
 */
export function makeTrainer(method: MnistMethod, setup: TrainerSetup): Trainer {
  const { lambda, seed } = setup;
  if (method === 'l0-gates') {
    const model = gatedMlp(seed);
    const gates: Parameter[] = [];
    const rest: Parameter[] = [];
    for (const [name, p] of model.namedParameters()) (name.endsWith('logAlpha') ? gates : rest).push(p);
    const optimizer = new Adam([{ params: rest }, { params: gates, lr: GATE_LR }], { lr: ADAM_LR });
    const scale = lambda / setup.trainSize;
    return withOptimizer(model, optimizer, (out, y) => add(softmaxCrossEntropy(out, y), mul(expectedL0(model), scale)));
  }
  const model = mlp(MLP_SIZES, { seed });
  const { weights, others } = split(model);
  switch (method) {
    case 'sgd':
      return withOptimizer(model, new SGD(model.parameters(), { lr: SGD_LR, momentum: SGD_MOMENTUM }));
    case 'adam':
      return withOptimizer(model, new Adam(model.parameters(), { lr: ADAM_LR }));
    case 'adam-l1': {
      const penalty = l1(lambda);
      return withOptimizer(model, new Adam(model.parameters(), { lr: ADAM_LR }), (out, y) =>
        add(softmaxCrossEntropy(out, y), penaltyLoss(model, penalty)),
      );
    }
    case 'adamw':
      return withOptimizer(
        model,
        new AdamW([{ params: weights }, { params: others, weightDecay: 0 }], { lr: ADAM_LR, weightDecay: lambda }),
      );
    case 'sgd-l1':
      return withOptimizer(
        model,
        new SubgradientSGD([{ params: weights }, { params: others, lambda: 0 }], {
          lr: SGD_LR,
          momentum: SGD_MOMENTUM,
          lambda,
        }),
      );
    case 'prox-adam-l1':
      return withOptimizer(model, new ProximalAdam(proxGroups(model, l1(lambda)), { lr: ADAM_LR }));
    case 'prox-adam-l0':
      return withOptimizer(model, new ProximalAdam(proxGroups(model, l0(lambda)), { lr: ADAM_LR }));
    case 'ftrl':
      return withOptimizer(
        model,
        new FTRL([{ params: weights }, { params: others, l1: 0 }], { lr: FTRL_LR, l1: lambda }),
      );
    case 'pruning': {
      const optimizer = new Adam(model.parameters(), { lr: ADAM_LR });
      const { finalSparsity, frequency, scope } = setup.pruning;
      const { startStep, pruningSteps } = pruningWindow(setup);
      const pruner =
        scope === 'first-layer'
          ? new GradualPruner(model, {
              finalSparsity: firstLayerSparsity(finalSparsity),
              startStep,
              pruningSteps,
              frequency,
              parameters: /^layers\.0\.weight$/,
            })
          : new GradualPruner(model, { finalSparsity, startStep, pruningSteps, frequency, scope });
      return {
        model,
        loss: (out, y) => softmaxCrossEntropy(out, y),
        async step() {
          await optimizer.stepAsync();
          await pruner.step();
        },
        dispose() {
          pruner.dispose();
          optimizer.dispose();
          model.dispose();
        },
      };
    }
  }
}
