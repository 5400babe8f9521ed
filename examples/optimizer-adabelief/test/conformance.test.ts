import { describeConformance } from '@sparsekit/optimizers/testing';
import { setBackend } from '@sparsekit/tensor';
import { describe, it } from 'vitest';
import { AdaBelief } from '../src/index.js';

setBackend('cpu');

describeConformance(
  {
    name: 'AdaBelief',
    create: (params, problem) => new AdaBelief(params, { lr: problem === 'rosenbrock' ? 0.02 : 0.05 }),
    steps: { rosenbrock: 6000 },
    invalid: [
      { hyperparameter: 'lr', create: (params) => new AdaBelief(params, { lr: 0 }) },
      { hyperparameter: 'beta2', create: (params) => new AdaBelief(params, { beta2: 1 }) },
      { hyperparameter: 'eps', create: (params) => new AdaBelief(params, { eps: -1e-8 }) },
    ],
  },
  { describe, it },
);
