// Shared timing helpers: medians over repetitions after warm-up; results go to
// bench-results/<name>.json so runs can be compared by machines, not eyes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench-results');

// Warm-up runs `warmup` calls and then keeps calling until `warmupMs` has passed, so small
// problems get enough calls for both engines' JIT tiers to settle before anything is timed.
export async function time(fn, { warmup = 2, warmupMs = 0, reps = 7, minMs = 0 } = {}) {
  const warmStart = performance.now();
  for (let i = 0; i < warmup || performance.now() - warmStart < warmupMs; i++) await fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < reps || performance.now() - start < minMs) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    if (samples.length >= 200) break;
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)], minMs: samples[0], reps: samples.length };
}

export function writeResults(name, rows, meta = {}) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({ name, date: new Date().toISOString(), node: process.version, ...meta, rows }, null, 2),
  );
  return file;
}

export function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells) => cells.map((c, i) => String(c ?? '').padStart(widths[i])).join('  ');
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => r[c]))),
  ].join('\n');
}

export const fmt = (x, d = 2) => (Number.isFinite(x) ? Number(x.toFixed(d)) : x);
