// The comparison table's columns and the one-line findings, as plain strings: the CLI prints
// them with cli-table3 and the view puts them in an HTML table, so both show the same figures.
import type { DemoResults, KsvdResult, LassoResult, MethodResult, MnistResult } from '../experiments/types.js';
import { batchedSpeedup, fixed, formatBytes, formatLambda, inferenceSpeedup, percent, times } from './format.js';

/**
 * Column headings of the comparison table, in order. `latency ×` and `batch ×` are how many
 * times faster the faster sparse form (CSR or compacted) is than dense, one digit at a time and
 * in batches.
 */
export const SUMMARY_COLUMNS = [
  'method',
  'λ',
  'test acc %',
  'zeros %',
  'Hoyer',
  'Gini',
  'dense',
  'CSR',
  'compacted',
  'latency ×',
  'batch ×',
] as const;

/** Index of the test-accuracy and the exact-sparsity columns (their cells hold plain numbers in %). */
export const ACCURACY_COLUMN = 2;
export const SPARSITY_COLUMN = 3;

/**
 * One method's row of the comparison table; Hoyer and Gini are those of its last epoch, the
 * speed-ups those of the faster sparse form for one digit at a time and for batches.
 */
export function summaryRow(result: MethodResult): string[] {
  const last = result.epochs[result.epochs.length - 1];
  const r = result.report;
  return [
    result.label,
    formatLambda(result.lambda),
    percent(result.testAccuracy),
    percent(result.sparsity, 1),
    last ? fixed(last.hoyer) : '–',
    last ? fixed(last.gini) : '–',
    formatBytes(r.bytesDense),
    formatBytes(r.bytesCsr),
    formatBytes(r.bytesCompacted),
    times(inferenceSpeedup(r)),
    times(batchedSpeedup(r)),
  ];
}

/** The headline finding: the sparsest method within 1 point of dense Adam, or why there is none. */
export function headlineText(mnist: MnistResult): string {
  const { best, denseAdamAccuracy, met } = mnist.headline;
  const dense = denseAdamAccuracy === null ? 'dense Adam did not run' : `dense Adam ${percent(denseAdamAccuracy)}%`;
  if (best === null) return `Headline: no sparse method kept ≥ 90% zeros within 1 point of dense Adam (${dense}).`;
  const label = mnist.methods.find((m) => m.method === best.method)?.label ?? best.method;
  return (
    `Headline: ${label} keeps ${percent(best.sparsity, 1)}% of the weights exactly zero at ` +
    `${percent(best.testAccuracy)}% test accuracy (${dense}); its sparse form infers ${times(best.speedup)} as fast` +
    ` as its dense form — target ${met ? 'met' : 'not met (no faster than dense)'}.`
  );
}

/** The K-SVD finding: dictionary size and the PSNR before and after denoising. */
export function ksvdText(ksvd: KsvdResult): string {
  const gain = ksvd.psnrDenoised - ksvd.psnrNoisy;
  return (
    `K-SVD: ${ksvd.atoms} atoms of ${ksvd.patchSize}×${ksvd.patchSize}, σ = ${ksvd.sigma}: ` +
    `PSNR noisy ${fixed(ksvd.psnrNoisy, 2)} dB → denoised ${fixed(ksvd.psnrDenoised, 2)} dB ` +
    `(${gain >= 0 ? '+' : ''}${fixed(gain, 2)} dB).`
  );
}

/** The Lasso finding: whether the true support came back, and the storage it needs. */
export function lassoText(lasso: LassoResult): string {
  const support = (s: number[]) => `{${s.join(', ')}}`;
  const verdict = lasso.recovered
    ? `support ${support(lasso.trueSupport)} recovered exactly`
    : `support not recovered: true ${support(lasso.trueSupport)}, found ${support(lasso.foundSupport)}`;
  return (
    `Lasso: ${lasso.samples} × ${lasso.features}, ${verdict} at α = ${formatLambda(lasso.alpha)}; ` +
    `coefficients ${formatBytes(lasso.bytesDense)} dense, ${formatBytes(lasso.bytesCsr)} CSR.`
  );
}

/** What ran, where and when: backend, seed, the MNIST budget, start and finish times. */
export function runDescription(results: DemoResults): string {
  const { meta } = results;
  const m = meta.config.mnist;
  const parts = [`backend ${meta.backend}`, `seed ${meta.seed}`];
  if (results.mnist)
    parts.push(`MNIST: ${m.epochs} epochs on ${m.trainSize} / ${m.testSize} digits, batch ${m.batchSize}`);
  parts.push(`started ${meta.startedAt}`);
  if (meta.finishedAt) parts.push(`finished ${meta.finishedAt}`);
  return parts.join(' · ');
}
