// Gini (and Hoyer) of 1e6 and 1e7 float32 values: @sparsekit/metrics (built dist) against
// numpy's sort-based formula in the same run, on the same data and machine. numpy runs
// through Debian's /usr/bin/python3 (override with PYTHON=…); without numpy the JS
// figures are still written, with the numpy columns null.
// Usage: pnpm --filter @sparsekit/metrics build && pnpm --filter @sparsekit/metrics bench
// Writes bench-results/gini-<timestamp>.json (gitignored) and prints a table.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '@sparsekit/tensor';
import { gini, hoyer } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const SIZES = [1_000_000, 10_000_000];
const REPEATS = { 1000000: 9, 10000000: 5 };

// Dense: N(0, 1) weights. Pruned: 90 % exact zeros, the rest N(0, 1), as after magnitude pruning.
function draw(n, density, seed) {
  const rng = new Random(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform() < density ? rng.normal() : 0;
  return x;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeJs(f, x, repeats) {
  let value = f(x); // warm-up, also the value reported
  const ms = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    value = f(x);
    ms.push(performance.now() - t0);
  }
  return { value, ms: median(ms) };
}

const NUMPY = String.raw`
import json, sys, time
import numpy as np

def gini(x):
    c = np.sort(np.abs(x))                      # float32 sort, as the JS side
    n = c.size
    k = np.arange(1, n + 1, dtype=np.float64)
    return 1.0 - 2.0 * np.dot(c.astype(np.float64), n - k + 0.5) / (n * c.sum(dtype=np.float64))

def hoyer(x):
    a = np.abs(x).astype(np.float64)
    n = a.size
    return (np.sqrt(n) - a.sum() / np.sqrt(np.dot(a, a))) / (np.sqrt(n) - 1)

out = {"numpy": np.__version__, "cases": []}
for path, repeats in zip(sys.argv[1::2], sys.argv[2::2]):
    x = np.fromfile(path, dtype=np.float32)
    case = {}
    for name, f in (("gini", gini), ("hoyer", hoyer)):
        value = f(x)
        ms = []
        for _ in range(int(repeats)):
            t0 = time.perf_counter()
            value = f(x)
            ms.append((time.perf_counter() - t0) * 1000)
        case[name] = {"value": float(value), "ms": float(np.median(ms))}
    out["cases"].append(case)
print(json.dumps(out))
`;

function numpy(arrays) {
  const dir = mkdtempSync(join(tmpdir(), 'sparsekit-gini-'));
  try {
    const args = ['-c', NUMPY];
    arrays.forEach(({ x, repeats }, i) => {
      const path = join(dir, `x${i}.f32`);
      writeFileSync(path, Buffer.from(x.buffer, x.byteOffset, x.byteLength));
      args.push(path, String(repeats));
    });
    const run = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) {
      console.warn(
        `numpy comparison skipped: ${PYTHON} failed (${(run.stderr || run.error?.message || '').trim().split('\n').pop()})`,
      );
      return null;
    }
    return JSON.parse(run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const inputs = [];
for (const n of SIZES) {
  for (const [label, density] of [
    ['dense', 1],
    ['90% zeros', 0.1],
  ]) {
    inputs.push({ n, label, x: draw(n, density, n + Math.round(density * 10)), repeats: REPEATS[n] });
  }
}

const results = inputs.map(({ n, label, x, repeats }) => ({
  n,
  input: label,
  repeats,
  gini: timeJs(gini, x, repeats),
  hoyer: timeJs(hoyer, x, repeats),
}));
const py = numpy(inputs);

const rows = [];
results.forEach((r, i) => {
  for (const measure of ['gini', 'hoyer']) {
    const js = r[measure];
    const np = py?.cases[i][measure] ?? null;
    rows.push({
      measure,
      n: r.n,
      input: r.input,
      repeats: r.repeats,
      jsMs: js.ms,
      numpyMs: np?.ms ?? null,
      // > 1: @sparsekit/metrics is faster than numpy by this factor.
      speedupVsNumpy: np ? np.ms / js.ms : null,
      value: js.value,
      absDiffVsNumpy: np ? Math.abs(np.value - js.value) : null,
    });
  }
});

const report = {
  bench: 'gini',
  date: new Date().toISOString(),
  node: process.version,
  numpy: py?.numpy ?? null,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  note: 'median milliseconds per call over `repeats` calls after one warm-up; numpy: np.sort(np.abs(x)) then the weighted sum in float64',
  rows,
};

const outDir = join(here, '..', 'bench-results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `gini-${Date.now()}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

const fmt = (v, d = 1) => (v === null ? '-' : v.toFixed(d));
console.log(
  `gini / hoyer, float32 input — node ${process.version}, numpy ${report.numpy ?? 'unavailable'}, ${report.cpu}`,
);
console.log('measure         n  input      js ms  numpy ms  numpy/js  |Δ value|');
for (const r of rows) {
  console.log(
    `${r.measure.padEnd(7)} ${String(r.n).padStart(9)}  ${r.input.padEnd(9)} ${fmt(r.jsMs).padStart(7)} ${fmt(r.numpyMs).padStart(9)} ${(r.speedupVsNumpy === null ? '-' : `${fmt(r.speedupVsNumpy, 2)}×`).padStart(9)}  ${r.absDiffVsNumpy === null ? '-' : r.absDiffVsNumpy.toExponential(1)}`,
  );
}
console.log(`wrote ${file}`);
