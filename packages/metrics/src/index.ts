export { type AtomRecovery, type AtomRecoveryOptions, atomRecovery } from './atoms.js';
export {
  type AveragedScores,
  accuracy,
  type ClassificationScores,
  type ClassOptions,
  confusionMatrix,
  MAX_CLASSES,
  MAX_CONFUSION_CLASSES,
  type PrecisionRecallOptions,
  precisionRecallF1,
  topKAccuracy,
} from './classification.js';
export { formatReport } from './format.js';
export { gini } from './gini.js';
export { hoyer } from './hoyer.js';
export type { MatrixLike } from './input.js';
export { l0, l1, l2, lInf, sparsityRatio, type ToleranceOptions } from './norms.js';
export { pqMean } from './pq-mean.js';
export { mae, mse, psnr, r2 } from './regression.js';
export {
  type ByteCounts,
  type HostParameter,
  type LayerSparsity,
  type MultiplyAdds,
  type NamedParameters,
  type ParameterSource,
  type ReportSource,
  type SparsityReport,
  type SparsityReportOptions,
  type SparsityStats,
  sparsityReport,
} from './report.js';
