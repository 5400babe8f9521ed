// Part 2: the 784-128-10 MLP on real MNIST digits (the `mnist` package's 10,000 digits,
// split with a seeded permutation), trained with the same budget by optimizers that do and
// do not produce exact zeros. Why Adam + L1 in the loss stays dense, and what proximal
// Adam changes, shows in the table: accuracy and sparsity side by side.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ag from '@sparsekit/autograd';
import { accuracy, formatReport, sparsityReport } from '@sparsekit/metrics';
import { Adam, AdamW, ProximalAdam, SubgradientSGD } from '@sparsekit/optimizers';
import * as sk from '@sparsekit/tensor';
import { bar, spark } from './draw.mjs';

const require = createRequire(import.meta.url);

/** All 10,000 digits as [n, 784] pixels in [0, 1] and labels, shuffled with `seed`. */
export function loadDigits(seed) {
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const images = [];
  const labels = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8'));
    for (let i = 0; i + 784 <= data.length; i += 784) {
      images.push(data.slice(i, i + 784));
      labels.push(digit);
    }
  }
  const order = sk.permutation(labels.length, { seed });
  const x = new Float32Array(labels.length * 784);
  const y = new Float32Array(labels.length);
  order.forEach((from, to) => {
    x.set(images[from], to * 784);
    y[to] = labels[from];
  });
  return { x, y, n: labels.length };
}

async function evaluate(model, x, labels) {
  model.eval();
  const predicted = ag.tidy(() => sk.argmax(ag.noGrad(() => model.forward(x)).value, 1));
  const p = await predicted.data();
  predicted.dispose();
  model.train();
  return accuracy(labels, p);
}

// Progress: redrawn in place on a terminal, one line per epoch when piped (CI, logs).
const tty = Boolean(process.stdout.isTTY);

async function weightZeros(model) {
  let zeros = 0;
  let total = 0;
  for (const [name, p] of model.namedParameters()) {
    if (!name.endsWith('weight')) continue;
    const v = await p.value.data();
    total += v.length;
    for (const w of v) if (w === 0) zeros++;
  }
  return zeros / total;
}

export async function mnist(seed, { epochs = 3, train = 8000 } = {}) {
  const data = loadDigits(seed);
  const test = data.n - train;
  const xTrain = sk.tensor(data.x.subarray(0, train * 784), [train, 784]);
  const yTrain = sk.tensor(data.y.subarray(0, train), [train]);
  const xTest = sk.tensor(data.x.subarray(train * 784), [test, 784]);
  const yTest = Array.from(data.y.subarray(train));
  console.log(
    `MNIST: 784-128-10 ReLU MLP, ${train} training / ${test} test digits, batch 64, ${epochs} epochs, seed ${seed}\n`,
  );

  const lambda = 2e-4;
  // Penalties apply to weights only: biases sit in their own parameter group with λ = 0,
  // as a torch user would write it.
  const split = (w, b) => [{ params: w }, { params: b, lambda: 0 }];
  const runs = [
    ['Adam', (w, b) => new Adam([...w, ...b], { lr: 1e-3 }), 0],
    ['AdamW (decay 1e-2)', (w, b) => new AdamW([...w, ...b], { lr: 1e-3, weightDecay: 1e-2 }), 0],
    ['Adam + L1 in the loss', (w, b) => new Adam([...w, ...b], { lr: 1e-3 }), lambda],
    ['SGD + L1 subgradient', (w, b) => new SubgradientSGD(split(w, b), { lr: 0.05, lambda, momentum: 0.9 }), 0],
    ['Proximal Adam (L1)', (w, b) => new ProximalAdam(split(w, b), { lr: 1e-3, penalty: 'l1', lambda }), 0],
  ];
  const rows = [];
  let best = null;
  for (const [label, make, l1InLoss] of runs) {
    const model = ag.mlp([784, 128, 10], { seed });
    const weights = [...model.namedParameters()].filter(([n]) => n.endsWith('weight')).map(([, p]) => p);
    const biases = [...model.namedParameters()].filter(([n]) => n.endsWith('bias')).map(([, p]) => p);
    const optimizer = make(weights, biases);
    const losses = [];
    const sparsity = [];
    const started = performance.now();
    const batches = Math.ceil(train / 64);
    await ag.fit(model, {
      x: xTrain,
      y: yTrain,
      epochs,
      batchSize: 64,
      seed,
      loss: (out, y) => {
        const ce = ag.softmaxCrossEntropy(out, y);
        if (!l1InLoss) return ce;
        return ag.add(
          ce,
          ag.mul(
            weights.map((w) => ag.normL1(w)).reduce((a, b) => ag.add(a, b)),
            l1InLoss,
          ),
        );
      },
      step: () => {
        optimizer.step();
      },
      onBatchEnd: ({ epoch, batch, loss }) => {
        if (batch % 25 === 0) losses.push(loss);
        if (tty && (batch % 5 === 0 || batch === batches - 1)) {
          process.stdout.write(
            `\r  ${label.padEnd(24)} epoch ${epoch + 1}/${epochs} ${bar(batch + 1, batches)} loss ${loss.toFixed(3)}  `,
          );
        } else if (!tty && batch === batches - 1) {
          console.log(`  ${label.padEnd(24)} epoch ${epoch + 1}/${epochs} done, last batch loss ${loss.toFixed(3)}`);
        }
      },
      onEpochEnd: async () => {
        sparsity.push(await weightZeros(model));
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const acc = await evaluate(model, xTest, yTest);
    const report = await sparsityReport(model);
    rows.push({ label, acc, zeros: sparsity.at(-1), seconds, losses, sparsity, report });
    process.stdout.write(
      `${tty ? '\r' : ''}  ${label.padEnd(24)} test accuracy ${(acc * 100).toFixed(2)}%, weights exactly zero ${(sparsity.at(-1) * 100).toFixed(1)}%, ${seconds.toFixed(1)} s${' '.repeat(20)}\n`,
    );
    if (label.startsWith('Proximal')) best = { label, report };
    optimizer.dispose();
    for (const p of model.parameters()) p.value.dispose();
  }

  console.log(
    `\n  ${'optimizer'.padEnd(24)} ${'accuracy'.padStart(8)} ${'zeros'.padStart(7)}  loss curve                 `,
  );
  for (const r of rows) {
    console.log(
      `  ${r.label.padEnd(24)} ${(r.acc * 100).toFixed(2).padStart(7)}% ${(r.zeros * 100).toFixed(1).padStart(6)}%  ${spark(r.losses)}`,
    );
  }
  console.log(`\n  ${best.label}: where the weights are (exact zeros, dead neurons, bytes)\n`);
  console.log(formatReport(best.report).replace(/^/gm, '  '));
  for (const t of [xTrain, yTrain, xTest]) t.dispose();
  return rows;
}
