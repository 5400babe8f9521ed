// Dictionary-learning benchmark of @sparsekit/dictionary, scikit-learn beside it in the same run:
//   1. one K-SVD iteration (exact and approximate; MOD and one online epoch alongside) on
//      10,000 mean-removed 8×8 patches of the boats image, 256 atoms, 8 non-zeros — against one
//      iteration of sklearn.decomposition.DictionaryLearning on the same patches;
//   2. Elad–Aharon denoising of the full 1024×819 boats image at σ = 10, 25, 50 (PSNR, time);
//   3. the K-SVD paper's synthetic experiment (20×50, 1,500 signals, 3 atoms, 20 dB, 50
//      iterations) over 5 seeds: mean atom recovery of K-SVD, approximate K-SVD, MOD, online.
// scikit-learn is Debian's python3-sklearn (bench/coding.mjs, run first by `pnpm bench`,
// installs it when it can); without it the peer column says why. Writes
// bench-results/learning.json. Flags: `--no-peer`, `--quick` (σ = 25 only, 2 seeds).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend, Random } from '@sparsekit/tensor';
import { addNoise, loadBoats } from './boats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const results = join(pkg, 'bench-results');
const dist = join(pkg, 'dist/index.js');
for (const file of [dist]) {
  if (!existsSync(file)) {
    console.error(`build first: pnpm --filter @sparsekit/dictionary... build (missing ${file})`);
    process.exit(1);
  }
}
const { KSVD, MOD, OnlineDictionaryLearning, makeSparseCodedSignal, extractPatches, denoise } = await import(dist);
// Atom recovery is @sparsekit/metrics' (the one implementation; a devDependency).
const { atomRecovery } = await import('@sparsekit/metrics');

const noPeer = process.argv.includes('--no-peer');
const quick = process.argv.includes('--quick');
const PY = '/usr/bin/python3';
const peerSkip = noPeer
  ? '--no-peer given'
  : existsSync(PY) && spawnSync(PY, ['-c', 'import sklearn, numpy'], { stdio: 'ignore' }).status === 0
    ? null
    : 'python3-sklearn is not installed (apt-get install -y python3-sklearn)';

const log = (line) => console.log(`[learning ${new Date().toISOString().slice(11, 19)}] ${line}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`tensor backend: ${getBackend().name}; scikit-learn: ${peerSkip ?? 'yes'}`);

// ---- 1. One iteration on 10,000 boats patches ----
const boats = loadBoats();
const all = extractPatches(boats, { patchSize: 8, stride: 4 });
const N = 10_000;
const d = 64;
const pick = new Random(7).permutation(all.shape[0]).subarray(0, N);
const patches = new Float32Array(N * d);
for (let i = 0; i < N; i++) {
  const src = all.data.subarray(pick[i] * d, (pick[i] + 1) * d);
  const mean = src.reduce((s, v) => s + v, 0) / d;
  for (let t = 0; t < d; t++) patches[i * d + t] = src[t] - mean;
}
const X = { data: patches, shape: [N, d] };
log(`${N} mean-removed 8×8 patches of the ${boats.width}×${boats.height} boats image; 256 atoms, 8 non-zeros`);

const iteration = {};
const learners = {
  'K-SVD (exact)': () => new KSVD({ nComponents: 256, nNonzeroCoefs: 8, maxIter: 1, seed: 0 }),
  'K-SVD (approximate)': () => new KSVD({ nComponents: 256, nNonzeroCoefs: 8, maxIter: 1, seed: 0, approximate: true }),
  MOD: () => new MOD({ nComponents: 256, nNonzeroCoefs: 8, maxIter: 1, seed: 0 }),
  'online (1 epoch, batches of 256)': () =>
    new OnlineDictionaryLearning({ nComponents: 256, nNonzeroCoefs: 8, maxIter: 1, seed: 0 }),
};
for (const [name, make] of Object.entries(learners)) {
  make().fit(X); // warm-up: JIT and kernel compilation
  const ms = [];
  let error = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const model = make().fit(X);
    ms.push(performance.now() - t0);
    error = model.errorHistory[0];
  }
  iteration[name] = { ms: median(ms), rmsError: error };
  log(`${name}: ${median(ms).toFixed(0)} ms per iteration (RMS error ${error.toFixed(2)})`);
}

let peer = null;
if (peerSkip === null) {
  log('scikit-learn DictionaryLearning, max_iter=1 on the same patches…');
  const dir = mkdtempSync(join(tmpdir(), 'sk-learning-'));
  try {
    writeFileSync(join(dir, 'X.f32'), patches);
    const script = String.raw`
import json, sys, time
import numpy as np, sklearn
from sklearn.decomposition import DictionaryLearning
X = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, 64).astype(np.float64)
t0 = time.perf_counter()
dl = DictionaryLearning(n_components=256, max_iter=1, fit_algorithm='cd', transform_algorithm='omp',
                        transform_n_nonzero_coefs=8, random_state=0).fit(X)
ms = (time.perf_counter() - t0) * 1e3
print(json.dumps({'version': sklearn.__version__, 'ms': ms, 'nIter': int(dl.n_iter_)}))
`;
    writeFileSync(join(dir, 'peer.py'), script);
    const r = spawnSync(PY, [join(dir, 'peer.py'), join(dir, 'X.f32')], { encoding: 'utf8' });
    if (r.status === 0) peer = JSON.parse(r.stdout.trim().split('\n').pop());
    else console.error(r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (peer) log(`scikit-learn ${peer.version}: ${peer.ms.toFixed(0)} ms for ${peer.nIter} iteration(s)`);
}

// ---- 2. Denoising the full boats image ----
const denoising = [];
for (const sigma of quick ? [25] : [10, 25, 50]) {
  const noisy = addNoise(boats, sigma, new Random(sigma));
  log(
    `denoise σ = ${sigma}: K-SVD on 40,000 noisy patches, then all ${((boats.width - 7) * (boats.height - 7)).toLocaleString('en')} patches`,
  );
  let lastShown = 0;
  const t0 = performance.now();
  const r = denoise(noisy, {
    sigma,
    clean: boats,
    onProgress: (e) => {
      if (e.stage === 'train') log(`  K-SVD iteration ${e.iteration}/${e.maxIter}, RMS error ${e.error.toFixed(2)}`);
      else if (e.done === e.total || e.done - lastShown >= e.total / 5) {
        lastShown = e.done;
        log(`  denoised ${e.done}/${e.total} patches`);
      }
    },
  });
  const seconds = (performance.now() - t0) / 1e3;
  denoising.push({ sigma, noisyPsnr: r.noisyPsnr, psnr: r.psnr, gain: r.psnr - r.noisyPsnr, seconds });
  log(
    `σ = ${sigma}: ${r.noisyPsnr.toFixed(2)} dB → ${r.psnr.toFixed(2)} dB (+${(r.psnr - r.noisyPsnr).toFixed(2)} dB) in ${seconds.toFixed(1)} s`,
  );
}

// ---- 3. The K-SVD paper's synthetic experiment ----
const seeds = quick ? [0, 1] : [0, 1, 2, 3, 4];
const methods = {
  'K-SVD': (seed) => new KSVD({ nComponents: 50, nNonzeroCoefs: 3, maxIter: 50, tol: 0, seed }),
  'approximate K-SVD': (seed) =>
    new KSVD({ nComponents: 50, nNonzeroCoefs: 3, maxIter: 50, tol: 0, seed, approximate: true }),
  MOD: (seed) => new MOD({ nComponents: 50, nNonzeroCoefs: 3, maxIter: 50, tol: 0, seed }),
  'online (batches of 64, 50 epochs)': (seed) =>
    new OnlineDictionaryLearning({ nComponents: 50, nNonzeroCoefs: 3, batchSize: 64, maxIter: 50, tol: 0, seed }),
};
const columns = (m) => {
  const [r, c] = m.shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = m.data[i * c + j];
  return { data: out, shape: [c, r] };
};
const recovery = {};
for (const [name, make] of Object.entries(methods)) {
  const rates = [];
  let ms = 0;
  for (const seed of seeds) {
    const problem = makeSparseCodedSignal({
      nSamples: 1500,
      nComponents: 50,
      nFeatures: 20,
      nNonzeroCoefs: 3,
      snr: 20,
      seed,
    });
    const t0 = performance.now();
    const model = make(seed).fit(problem.X);
    ms += performance.now() - t0;
    rates.push(atomRecovery(columns(problem.dictionary), columns(model.components)).rate);
  }
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  recovery[name] = { mean, rates, msPerFit: ms / seeds.length };
  log(
    `synthetic recovery, ${name}: mean ${(100 * mean).toFixed(1)}% over ${seeds.length} seeds [${rates.map((x) => `${(100 * x).toFixed(0)}%`).join(', ')}], ${(ms / seeds.length).toFixed(0)} ms per 50-iteration fit`,
  );
}

// ---- Report ----
const exact = iteration['K-SVD (exact)'].ms;
const approx = iteration['K-SVD (approximate)'].ms;
const ratio = (ms) => (peer ? `${(peer.ms / ms).toFixed(1)}×` : '-');
console.log('\n| case | SparseKit | scikit-learn | speed-up |\n|---|---|---|---|');
console.log(
  `| one K-SVD iteration, exact (10k patches, 256 atoms, 8 nnz) | ${(exact / 1e3).toFixed(2)} s | ${peer ? `${(peer.ms / 1e3).toFixed(1)} s (DictionaryLearning, 1 iteration)` : `- (${peerSkip ?? 'failed'})`} | ${ratio(exact)} |`,
);
console.log(`| one K-SVD iteration, approximate | ${(approx / 1e3).toFixed(2)} s | | ${ratio(approx)} |`);
console.log(`| one MOD iteration | ${(iteration.MOD.ms / 1e3).toFixed(2)} s | | ${ratio(iteration.MOD.ms)} |`);
for (const r of denoising)
  console.log(
    `| denoise boats σ = ${r.sigma} | ${r.noisyPsnr.toFixed(2)} → ${r.psnr.toFixed(2)} dB (+${r.gain.toFixed(2)}), ${r.seconds.toFixed(1)} s | | |`,
  );
for (const [name, r] of Object.entries(recovery))
  console.log(`| synthetic recovery, ${name} | ${(100 * r.mean).toFixed(1)}% (${seeds.length} seeds) | | |`);

mkdirSync(results, { recursive: true });
writeFileSync(
  join(results, 'learning.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      backend: getBackend().name,
      peer: peer ? { name: 'scikit-learn', version: peer.version } : { skipped: peerSkip ?? 'failed' },
      iteration: {
        ...iteration,
        sklearnDictionaryLearningMs: peer?.ms ?? null,
        speedupExact: peer ? peer.ms / exact : null,
        speedupApproximate: peer ? peer.ms / approx : null,
      },
      denoising,
      recovery,
    },
    null,
    2,
  ),
);
log(`wrote ${join(results, 'learning.json')}`);
