import { add, mul, setBackend, type Tensor, zeros } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  cosineSchedule,
  FTRL,
  type GradientTransformation,
  HSPG,
  IHT,
  OBProxSG,
  Optimizer,
  type OptimizerSpec,
  ProximalAdam,
  ProximalSGD,
  RDA,
  RMSprop,
  SGD,
  SubgradientSGD,
} from '../src/index.js';
import {
  ConformanceError,
  type ConformanceOptions,
  conformanceChecks,
  describeConformance,
} from '../src/testing/index.js';

// Every optimizer of the package runs the kit, as a third party would. Hyperparameters per
// problem are the caller's to choose; tolerances and problems are the kit's.
setBackend('cpu');

const suites: ConformanceOptions[] = [
  {
    name: 'SGD (Nesterov)',
    create: (ps, problem) =>
      new SGD(
        ps,
        problem === 'rosenbrock'
          ? { lr: 1e-3, momentum: 0.9, nesterov: true }
          : { lr: 0.2, momentum: 0.5, nesterov: true },
      ),
    steps: { rosenbrock: 6000 },
    invalid: [
      { hyperparameter: 'lr', create: (ps) => new SGD(ps, { lr: 0 }) },
      { hyperparameter: 'momentum', create: (ps) => new SGD(ps, { momentum: 1 }) },
      { hyperparameter: 'nesterov', create: (ps) => new SGD(ps, { nesterov: true }) },
      { hyperparameter: 'weightDecay', create: (ps) => new SGD(ps, { weightDecay: -1 }) },
    ],
  },
  {
    name: 'SGD (momentum, dampening)',
    create: (ps, problem) =>
      new SGD(
        ps,
        problem === 'rosenbrock'
          ? { lr: 1e-3, momentum: 0.9, dampening: 0.1 }
          : { lr: 0.2, momentum: 0.5, dampening: 0.1 },
      ),
    steps: { rosenbrock: 6000 },
    invalid: [{ hyperparameter: 'dampening', create: (ps) => new SGD(ps, { dampening: Number.NaN }) }],
  },
  {
    name: 'Adam',
    create: (ps, problem) => new Adam(ps, { lr: problem === 'rosenbrock' ? 0.02 : 0.05 }),
    invalid: [
      { hyperparameter: 'lr', create: (ps) => new Adam(ps, { lr: -1 }) },
      { hyperparameter: 'beta1', create: (ps) => new Adam(ps, { beta1: 1 }) },
      { hyperparameter: 'beta2', create: (ps) => new Adam(ps, { beta2: -0.1 }) },
      { hyperparameter: 'eps', create: (ps) => new Adam(ps, { eps: 0 }) },
    ],
  },
  {
    name: 'Adam (AMSGrad)',
    create: (ps, problem) => new Adam(ps, { lr: problem === 'rosenbrock' ? 0.02 : 0.05, amsgrad: true }),
    steps: { rosenbrock: 6000 },
    invalid: [{ hyperparameter: 'amsgrad', create: (ps) => new Adam(ps, { amsgrad: 1 as unknown as boolean }) }],
  },
  {
    name: 'AdamW',
    create: (ps, problem) => new AdamW(ps, { lr: problem === 'rosenbrock' ? 0.02 : 0.05, weightDecay: 1e-3 }),
    invalid: [{ hyperparameter: 'weightDecay', create: (ps) => new AdamW(ps, { weightDecay: Infinity }) }],
  },
  {
    name: 'Adamax',
    create: (ps) => new Adamax(ps, { lr: 0.05 }),
    steps: { rosenbrock: 6000 },
    invalid: [{ hyperparameter: 'beta2', create: (ps) => new Adamax(ps, { beta2: 1.5 }) }],
  },
  {
    name: 'RMSprop (centered)',
    create: (ps, problem) =>
      new RMSprop(ps, {
        lr: cosineSchedule({
          lr: problem === 'rosenbrock' ? 5e-3 : 2e-2,
          period: problem === 'rosenbrock' ? 3000 : 500,
          restarts: false,
        }),
        centered: true,
      }),
    invalid: [{ hyperparameter: 'alpha', create: (ps) => new RMSprop(ps, { alpha: 1 }) }],
  },
  {
    name: 'Adagrad',
    create: (ps, problem) => new Adagrad(ps, { lr: problem === 'rosenbrock' ? 1 : 0.5 }),
    steps: { rosenbrock: 6000 },
    invalid: [
      { hyperparameter: 'initialAccumulatorValue', create: (ps) => new Adagrad(ps, { initialAccumulatorValue: -1 }) },
    ],
  },
  {
    name: 'Adadelta',
    create: (ps, problem) =>
      new Adadelta(ps, {
        lr: problem === 'rosenbrock' ? cosineSchedule({ lr: 1, period: 15_000, restarts: false }) : 1,
      }),
    steps: { rosenbrock: 15_000, quadratic: 1000, leastSquares: 1000 },
    invalid: [{ hyperparameter: 'rho', create: (ps) => new Adadelta(ps, { rho: 1 }) }],
  },
  {
    name: 'SubgradientSGD',
    create: (ps, problem) =>
      new SubgradientSGD(ps, problem === 'rosenbrock' ? { lr: 1e-3, momentum: 0.9 } : { lr: 0.2 }),
    steps: { rosenbrock: 6000 },
    invalid: [{ hyperparameter: 'lambda', create: (ps) => new SubgradientSGD(ps, { lambda: -0.1 }) }],
  },
  {
    name: 'ProximalSGD',
    create: (ps, problem) => new ProximalSGD(ps, problem === 'rosenbrock' ? { lr: 1e-3, momentum: 0.9 } : { lr: 0.2 }),
    steps: { rosenbrock: 6000 },
    invalid: [
      { hyperparameter: 'penalty', create: (ps) => new ProximalSGD(ps, { penalty: 'l2' as 'l1' }) },
      { hyperparameter: 'prox', create: (ps) => new ProximalSGD(ps, { prox: {} as never }) },
    ],
    sparsity: { create: (ps, { lambda }) => new ProximalSGD(ps, { lr: 0.2, lambda }), steps: 500 },
  },
  {
    name: 'ProximalAdam (L1)',
    create: (ps, problem) => new ProximalAdam(ps, { lr: problem === 'rosenbrock' ? 0.02 : 0.05 }),
    invalid: [{ hyperparameter: 'lambda', create: (ps) => new ProximalAdam(ps, { lambda: Number.NaN }) }],
    sparsity: { create: (ps, { lambda }) => new ProximalAdam(ps, { lr: 0.01, lambda }), steps: 1500 },
  },
  {
    name: 'ProximalAdam (L0)',
    create: (ps, problem) => new ProximalAdam(ps, { lr: problem === 'rosenbrock' ? 0.02 : 0.05, penalty: 'l0' }),
    invalid: [{ hyperparameter: 'penalty', create: (ps) => new ProximalAdam(ps, { penalty: 'L0' as 'l0' }) }],
  },
  {
    name: 'ProximalAdam (L1/2)',
    create: (ps, problem) => new ProximalAdam(ps, { lr: problem === 'rosenbrock' ? 0.02 : 0.05, penalty: 'l1/2' }),
    invalid: [{ hyperparameter: 'eps', create: (ps) => new ProximalAdam(ps, { eps: -1, penalty: 'l1/2' }) }],
  },
  {
    name: 'FTRL',
    create: (ps, problem) => new FTRL(ps, { lr: problem === 'rosenbrock' ? 1 : 0.5 }),
    steps: { rosenbrock: 6000 },
    invalid: [
      { hyperparameter: 'lrPower', create: (ps) => new FTRL(ps, { lrPower: 0.5 }) },
      { hyperparameter: 'l1', create: (ps) => new FTRL(ps, { l1: -1 }) },
      { hyperparameter: 'l2Shrinkage', create: (ps) => new FTRL(ps, { l2Shrinkage: -1 }) },
    ],
    sparsity: {
      create: (ps, { lambda }) => new FTRL(ps, { lr: 0.5, l1: lambda * 100 }),
      steps: 1500,
      expect: 'support',
    },
  },
  {
    name: 'RDA',
    create: (ps) => new RDA(ps, { lr: 2 }),
    steps: { quadratic: 2000, leastSquares: 2000 },
    skip: {
      rosenbrock:
        'dual averaging is a method for convex problems; from (−1.2, 1) its averaged gradients overshoot the valley',
    },
    invalid: [{ hyperparameter: 'rho', create: (ps) => new RDA(ps, { rho: -1 }) }],
    sparsity: { create: (ps, { lambda }) => new RDA(ps, { lr: 2, lambda }), steps: 3000 },
  },
  {
    name: 'OBProxSG',
    // Orthant steps never cross zero, and x must go from −1.2 to 1: Rosenbrock runs prox steps only.
    create: (ps, problem) =>
      new OBProxSG(ps, problem === 'rosenbrock' ? { lr: 1.5e-3, proxSteps: 10_000 } : { lr: 0.2 }),
    steps: { rosenbrock: 10000 },
    invalid: [{ hyperparameter: 'proxSteps', create: (ps) => new OBProxSG(ps, { proxSteps: 1.5 }) }],
    sparsity: { create: (ps, { lambda }) => new OBProxSG(ps, { lr: 0.2, lambda, proxSteps: 100 }), steps: 500 },
  },
  {
    name: 'HSPG',
    create: (ps, problem) => new HSPG(ps, problem === 'rosenbrock' ? { lr: 1.5e-3, proxSteps: 10000 } : { lr: 0.2 }),
    steps: { rosenbrock: 10000 },
    invalid: [
      { hyperparameter: 'groups', create: (ps) => new HSPG(ps, { groups: 'neurons' as 'rows' }) },
      { hyperparameter: 'epsilon', create: (ps) => new HSPG(ps, { epsilon: 1 }) },
    ],
    sparsity: {
      create: (ps, { lambda }) => new HSPG(ps, { lr: 0.2, lambda, proxSteps: 100, groups: 'rows' }),
      steps: 500,
    },
  },
  {
    name: 'IHT',
    // k per tensor must fit each tensor: one group per parameter, keeping all of it (no sparsity is claimed here).
    create: (ps, problem) =>
      problem === 'rosenbrock'
        ? new IHT(ps, { lr: 1e-3, momentum: 0.9, k: 2 })
        : new IHT(
            [...ps].map((p) => ({ params: [p], k: p.value.size })),
            { lr: 0.2 },
          ),
    steps: { rosenbrock: 6000 },
    invalid: [{ hyperparameter: 'k', create: (ps) => new IHT(ps, { k: -1 }) }],
    sparsity: { create: (ps, { k }) => new IHT(ps, { lr: 0.2, k }), steps: 500, expect: 'support' },
  },
];

for (const suite of suites) describeConformance(suite, { describe, it });

// The kit's "never mutates" check must catch a transformation that changes its input state in
// place, whichever way: a counter bumped, a tensor swapped into a list, a tensor disposed.
describe('the kit holds pure transformations to "never mutates its input state"', () => {
  type Moments = { count: number; mu: Tensor[] };
  const mutating = (how: 'count' | 'swap' | 'dispose'): GradientTransformation<Moments> => ({
    name: `mutating(${how})`,
    init: (params) => ({ count: 0, mu: params.map((p) => zeros(p.shape)) }),
    update(grads, state) {
      const mu = grads.map((g, i) => add(mul(state.mu[i], 0.5), g));
      if (how === 'count') (state as { count: number }).count++;
      if (how === 'swap') state.mu[0] = mu[0];
      if (how === 'dispose') state.mu[0].dispose();
      return { updates: mu.map((m) => mul(m, -0.1)), state: { count: state.count + 1, mu } };
    },
  });
  const check = (how: 'count' | 'swap' | 'dispose') => {
    const spec: OptimizerSpec<{ lr: number }> = {
      name: 'Mutating',
      defaults: { lr: 0.1 },
      validate: (c) => c.positive('lr'),
      transformation: () => mutating(how) as never,
    };
    const found = conformanceChecks({ name: 'Mutating', create: (ps) => new Optimizer(spec, ps), invalid: [] }).find(
      (c) => c.name.startsWith('never mutates'),
    );
    if (!found) throw new Error('the kit has no "never mutates" check');
    return found.run();
  };

  it('fails a transformation that bumps a counter in its input state', async () => {
    await expect(check('count')).rejects.toThrow(
      'mutating(count).update changed state.count of the state it was given (step 1)',
    );
  });

  it('fails a transformation that swaps a tensor into its input state', async () => {
    await expect(check('swap')).rejects.toThrow(/^mutating\(swap\)\.update changed state\.mu\[0\]/);
  });

  it('fails a transformation that disposes a tensor of its input state', async () => {
    await expect(check('dispose')).rejects.toThrow(ConformanceError);
    await expect(check('dispose')).rejects.toThrow(/^mutating\(dispose\)\.update changed state\.mu\[0\]/);
  });

  it('passes Adam, whose transformation returns a new state', async () => {
    const found = conformanceChecks({ name: 'Adam', create: (ps) => new Adam(ps, { lr: 0.05 }), invalid: [] }).find(
      (c) => c.name.startsWith('never mutates'),
    );
    await expect(found?.run()).resolves.toBe(
      '1 transformation(s) left their input state as it was (structure, tensors and values) over 4 steps',
    );
  });
});
