// Part 1: recover a sparse linear model from noisy measurements with proximal gradient
// descent (ISTA), whose soft-thresholding step yields exact zeros, then store it as CSR.
import * as sk from '@sparsekit/tensor';
import { spark } from './draw.mjs';

export async function lasso(seed) {
  const [n, d, k] = [400, 200, 10]; // samples, features, true non-zeros
  const lambda = 0.05;
  const iterations = 300;

  console.log(`Lasso: ${n} samples, ${d} features, ${k} true non-zeros, λ = ${lambda}, seed ${seed}\n`);

  // A known sparse truth: k random features with weights ±(1..2).
  const rng = new sk.Random(seed);
  const truth = new Float32Array(d);
  for (const j of rng.permutation(d).slice(0, k)) truth[j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
  const X = sk.randn([n, d], { seed: seed + 1 });
  const wTrue = sk.tensor(truth, [d, 1]);
  const y = sk.tidy(() => sk.add(sk.matmul(X, wTrue), sk.randn([n, 1], { seed: seed + 2, std: 0.05 })));

  // Step 1/L with L = ‖X‖₂²/n estimated by power iteration.
  let v = sk.randn([d, 1], { seed: seed + 3 });
  for (let i = 0; i < 30; i++) {
    const next = sk.tidy(() => {
      const u = sk.matmul(X, sk.matmul(X, v), { transposeA: true });
      return sk.div(u, sk.normL2(u));
    });
    v.dispose();
    v = next;
  }
  const vNorm = sk.tidy(() => sk.normL2(sk.matmul(X, v)));
  const lipschitz = (await vNorm.item()) ** 2 / n;
  vNorm.dispose();
  v.dispose();
  const step = 1 / lipschitz;

  let w = sk.zeros([d, 1]);
  const losses = [];
  const nnzs = [];
  const started = performance.now();
  for (let it = 1; it <= iterations; it++) {
    const [next, loss] = sk.tidy(() => {
      const r = sk.sub(sk.matmul(X, w), y);
      const grad = sk.div(sk.matmul(X, r, { transposeA: true }), n);
      const objective = sk.add(sk.div(sk.sum(sk.square(r)), 2 * n), sk.mul(sk.normL1(w), lambda));
      return [sk.softThreshold(sk.sub(w, sk.mul(grad, step)), step * lambda), objective];
    });
    w.dispose();
    w = next;
    if (it % 10 === 0 || it === 1) {
      losses.push(await loss.item());
      const nnz = sk.tidy(() => sk.sum(sk.notEqual(w, 0)));
      nnzs.push(await nnz.item());
      nnz.dispose();
      if (process.stdout.isTTY || it % 100 === 0)
        process.stdout.write(
          `${process.stdout.isTTY ? '\r' : ''}  iteration ${String(it).padStart(4)}/${iterations}  objective ${losses.at(-1).toFixed(5)}  non-zeros ${nnzs.at(-1)}   ${process.stdout.isTTY ? '' : '\n'}`,
        );
    }
    loss.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n  done in ${seconds.toFixed(2)} s\n`);

  console.log(`  objective  ${spark(losses)}  ${losses[0].toFixed(3)} → ${losses.at(-1).toFixed(4)}`);
  console.log(`  non-zeros  ${spark(nnzs)}  ${nnzs[0]} → ${nnzs.at(-1)}\n`);

  const learned = await w.data();
  const support = (a) => new Set([...a.keys()].filter((j) => a[j] !== 0));
  const found = support(learned);
  const real = support(truth);
  const hits = [...real].filter((j) => found.has(j)).length;
  console.log(
    `  support: ${hits}/${k} true features found, ${found.size - hits} false positives, ${d - found.size} exact zeros`,
  );
  let err = 0;
  for (let j = 0; j < d; j++) err = Math.max(err, Math.abs(learned[j] - truth[j]));
  console.log(`  max |w − w*| = ${err.toFixed(4)} (shrunk by λ, as the Lasso does)`);

  const csr = sk.CsrTensor.fromArray(learned, [1, d]);
  console.log(`  storage: dense ${csr.denseBytes} B, CSR ${csr.bytes} B (${csr.nnz} non-zeros)`);
  for (const t of [X, wTrue, y, w]) t.dispose();
  return hits === k;
}
