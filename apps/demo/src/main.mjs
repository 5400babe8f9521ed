// SparseKit's main job: sparse models trained end to end and compared.
//   1. Lasso by proximal gradient descent: exact zeros, support recovery, CSR storage.
//   2. The 784-128-10 MLP on MNIST digits: Adam, AdamW, Adam + L1, SGD + L1 subgradient and
//      proximal Adam at the same budget — accuracy and sparsity side by side.
// SEED and DEMO_EPOCHS (environment) change the run; SPARSEKIT_BACKEND picks the backend.
import * as sk from '@sparsekit/tensor';
import { lasso } from './lasso.mjs';
import { mnist } from './mnist.mjs';

const seed = Number(process.env.SEED ?? 7);
const info = sk.getBackend();
console.log(`SparseKit demo — backend ${info.name} (${info.requested === 'auto' ? 'auto-selected' : 'requested'})\n`);

const recovered = await lasso(seed);
console.log('');
const rows = await mnist(seed, { epochs: Number(process.env.DEMO_EPOCHS ?? 3) });

const stats = sk.kernelStats();
console.log(
  `\n  kernels: ${stats.compiled} compiled, ${stats.calls} launches; live tensors at the end: ${sk.memory().liveTensors}`,
);
sk.disposeBackend();
const prox = rows.find((r) => r.label.startsWith('Proximal'));
const adam = rows.find((r) => r.label === 'Adam');
if (!recovered || !(prox.zeros > 0.3) || !(prox.acc > adam.acc - 0.05)) process.exitCode = 1;
