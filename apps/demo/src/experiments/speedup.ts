// How much faster a sparse model answers than its dense form: one definition, used by the
// headline (mnist.ts) and by every face that prints or draws a model report (view, CLI).
// Pure: no tensor import, so the report's browser bundle can include it.
import type { ModelReport } from './types.js';

/**
 * How much faster the fastest sparse form (CSR or compacted) answers one digit than the dense
 * model: dense latency over the smaller of the two sparse latencies (the headline's speed-up).
 */
export function inferenceSpeedup(report: ModelReport): number {
  return report.inferenceMsDense / Math.min(report.inferenceMsCsr, report.inferenceMsCompacted);
}

/** The same ratio for throughput: the whole test set predicted in batches. */
export function batchedSpeedup(report: ModelReport): number {
  const { msDense, msCsr, msCompacted } = report.batched;
  return msDense / Math.min(msCsr, msCompacted);
}
