// Training throughput (samples/s) of the 784-128-10 ReLU MLP, batch 64, softmax
// cross-entropy, with Adam (lr 1e-3): @sparsekit/autograd + @sparsekit/optimizers' Adam
// against TensorFlow.js with tf.train.adam (wasm = XNNPACK, SIMD, one thread in Node) in the
// same run on the same machine — autograd's MLP bench harness with Adam as the update.
// Usage: pnpm build && SPARSEKIT_BENCH_BACKENDS=wasm node packages/optimizers/bench/mlp-adam.bench.mjs
// (BENCH_SECONDS=3 per measurement by default; SPARSEKIT_WASM_THREADS picks the wasm threads).
import { Adam } from '@sparsekit/optimizers/adam';
import { runMlpBench } from '../../autograd/bench/mlp-harness.mjs';

const LR = 1e-3;

await runMlpBench({
  bench: 'mlp-784-128-10-adam',
  peer: 'tfjs 4.22.0 (wasm) with tf.train.adam',
  backends: 'wasm',
  tfjsBackends: ['wasm'],
  warmup: 10,
  update: (model) => {
    const opt = new Adam(model.parameters(), { lr: LR });
    return { step: () => opt.step(), dispose: () => opt.dispose() };
  },
  tfjsUpdate: (tf, vars) => {
    const opt = tf.train.adam(LR);
    return { step: (lossFn) => opt.minimize(lossFn, true, vars), dispose: () => opt.dispose() };
  },
});
process.exit(0);
