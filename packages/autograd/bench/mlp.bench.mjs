// Training throughput (samples/s) of the 784-128-10 ReLU MLP, batch 64, softmax
// cross-entropy, plain SGD written inline: @sparsekit/autograd (built dist) against
// TensorFlow.js (wasm = XNNPACK, cpu = plain JS) in the same run on the same machine
// (the shared harness: mlp-harness.mjs).
// Usage: pnpm build && pnpm bench   (BENCH_SECONDS=3 per measurement by default)
import * as T from '@sparsekit/tensor';
import { runMlpBench } from './mlp-harness.mjs';

const LR = 0.05;

await runMlpBench({
  bench: 'mlp-784-128-10-sgd',
  peer: 'tfjs 4.22.0 (wasm, cpu)',
  backends: 'webasm,cpu',
  tfjsBackends: ['wasm', 'cpu'],
  warmup: 5,
  update: (model) => ({
    step: () =>
      T.tidy(() => {
        for (const p of model.parameters()) p.assign(T.sub(p.value, T.mul(p.grad, LR)).materializeSync());
      }),
  }),
  tfjsUpdate: (tf, vars) => ({
    step: (lossFn) =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossFn, vars);
        for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], LR)));
        return value;
      }),
  }),
  resultsDir: new URL('../bench-results/', import.meta.url),
});
