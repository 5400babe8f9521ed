// The payoff of pruning, measured: a 784-300-100-10 ReLU MLP at 90% unstructured sparsity
// (per-layer magnitude pruning) run dense, as CSR (`toCsr`, tensor's spmm) and, separately,
// pruned by neuron to 10% of its hidden units and compacted (`compact`), on wasm, webasm and cpu
// in the same run. Every timed call includes the read-back of its output, for all three.
// Usage: pnpm --filter @sparsekit/regularizers... build && pnpm --filter @sparsekit/regularizers bench
// (BENCH_SECONDS per measurement, default 2). Results: bench-results/regularizers-payoff.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as A from '@sparsekit/autograd';
import { compact, magnitudePrune, toCsr } from '@sparsekit/regularizers';
import * as T from '@sparsekit/tensor';
import { denseForward, medianMs, readBack } from './timing.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,webasm,cpu').split(',');
const SIZES = [784, 300, 100, 10];
const SPARSITY = 0.9;

const log = (msg) => process.stderr.write(`${msg}\n`);

async function onBackend(backend) {
  T.setBackend(backend);
  log(`[${backend}] building and pruning ${SIZES.join('-')}`);
  const dense = A.mlp(SIZES, { seed: 0 }).eval();
  const pruned = A.mlp(SIZES, { seed: 0 }).eval();
  const mask = await magnitudePrune(pruned, { sparsity: SPARSITY });
  const csr = await toCsr(pruned);
  const unstructuredCompacted = await compact(pruned);
  // Neuron pruning of the two hidden layers (never the output layer: its rows are the classes).
  const byNeuron = A.mlp(SIZES, { seed: 0 }).eval();
  await magnitudePrune(byNeuron, { sparsity: SPARSITY, structure: 'neuron', parameters: /^layers\.(0|2)\.weight$/ });
  const compacted = (await compact(byNeuron)).eval();
  const params = dense.parameterCount();
  const stats = {
    parameters: params,
    weightNonZerosAt90: mask.total - mask.pruned,
    csrNonZeros: csr.nnz,
    bytes: {
      dense: params * 4,
      csr: csr.bytes,
      compactedFromUnstructured: unstructuredCompacted.parameterCount() * 4,
      neuronCompacted: compacted.parameterCount() * 4,
    },
    neuronCompactedSizes: compacted.layers
      .filter((m) => m instanceof A.Linear)
      .map((l) => [l.inFeatures, l.outFeatures]),
    neuronCompactedParameters: compacted.parameterCount(),
  };
  const timings = {};
  for (const batch of [1, 64]) {
    const x = T.rand([batch, 784], { seed: batch }).materializeSync();
    log(`[${backend}] batch ${batch}: dense`);
    const denseMs = medianMs(readBack(denseForward(dense), x), SECONDS);
    log(`[${backend}] batch ${batch}: csr`);
    const csrMs = medianMs(
      readBack((v) => csr.predict(v), x),
      SECONDS,
    );
    log(`[${backend}] batch ${batch}: neuron-compacted`);
    const compactMs = medianMs(readBack(denseForward(compacted), x), SECONDS);
    timings[`batch${batch}`] = {
      denseMs,
      csrMs,
      neuronCompactedMs: compactMs,
      csrSpeedup: denseMs / csrMs,
      neuronCompactedSpeedup: denseMs / compactMs,
      neuronCompactedSizeRatio: params / compacted.parameterCount(),
    };
    x.dispose();
  }
  // Sanity: the three forms agree (same pruned model for dense vs CSR).
  const x = T.rand([8, 784], { seed: 99 });
  const a = A.noGrad(() => pruned.forward(x).value.dataSync());
  const b = csr.predict(x).dataSync();
  const c = A.noGrad(() => unstructuredCompacted.forward(x).value.dataSync());
  const maxDiff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]), Math.abs(v - c[i])), 0);
  csr.dispose();
  return { backend, ...stats, timings, maxAbsDifferenceDenseCsrCompacted: maxDiff };
}

const results = [];
for (const backend of BACKENDS) results.push(await onBackend(backend));

const out = {
  bench: 'regularizers-payoff',
  date: new Date().toISOString(),
  node: process.version,
  seconds: SECONDS,
  sparsity: SPARSITY,
  sizes: SIZES,
  results,
};
mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../bench-results/regularizers-payoff.json', import.meta.url), JSON.stringify(out, null, 2));

const f = (v) => (v < 1 ? v.toFixed(3) : v.toFixed(2));
console.log(
  `784-300-100-10 MLP, ${SPARSITY * 100}% unstructured (per layer); neuron-compacted = ${SPARSITY * 100}% of hidden neurons pruned, then compact()`,
);
console.log(
  '| backend | batch | dense ms | CSR ms | CSR speed-up | neuron-compacted ms | speed-up (size ratio ' +
    f(results[0].timings.batch1.neuronCompactedSizeRatio) +
    '×) |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  for (const [k, t] of Object.entries(r.timings)) {
    console.log(
      `| ${r.backend} | ${k.slice(5)} | ${f(t.denseMs)} | ${f(t.csrMs)} | ${f(t.csrSpeedup)}× | ${f(t.neuronCompactedMs)} | ${f(t.neuronCompactedSpeedup)}× |`,
    );
  }
}
for (const r of results) {
  console.log(
    `${r.backend}: params ${r.parameters}, CSR nnz ${r.csrNonZeros}, bytes dense ${r.bytes.dense} / CSR ${r.bytes.csr} / compacted from unstructured ${r.bytes.compactedFromUnstructured} / neuron-compacted ${r.bytes.neuronCompacted}; max |dense − CSR|, |dense − compacted| = ${r.maxAbsDifferenceDenseCsrCompacted.toExponential(2)}`,
  );
}
