export { l0, sparsityRatio, l1, l2, lInf, type ToleranceOptions } from './norms.js';
export { pqMean } from './pq-mean.js';
export { hoyer } from './hoyer.js';
export { gini } from './gini.js';
export {
  sparsityReport,
  type NamedParameters,
  type HostParameter,
  type ParameterSource,
  type ReportSource,
  type SparsityReportOptions,
  type SparsityReport,
  type SparsityStats,
  type LayerSparsity,
  type ByteCounts,
  type MultiplyAdds,
} from './report.js';
export { formatReport } from './format.js';
export {
  accuracy,
  topKAccuracy,
  confusionMatrix,
  precisionRecallF1,
  MAX_CLASSES,
  MAX_CONFUSION_CLASSES,
  type ClassOptions,
  type PrecisionRecallOptions,
  type ClassificationScores,
  type AveragedScores,
} from './classification.js';
export { mse, mae, r2, psnr } from './regression.js';
export { atomRecovery, type AtomRecovery, type AtomRecoveryOptions } from './atoms.js';
export type { MatrixLike } from './input.js';
