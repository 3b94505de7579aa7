/** Plain-language summaries and warnings on top of results (pure: no DOM, no tfjs). */
export type { Insight } from './insight.ts';
export { f4, signed } from './insight.ts';
export { baselineLift, evaluationSummary, NO_BETTER_ACCURACY, NO_BETTER_RMSE_SHARE } from './evaluation-summary.ts';
export { noBetterThanBaseline, ruleBranches, ruleBranchesAgree } from './baseline-warnings.ts';
export { overfitting, OVERFITTING } from './overfitting.ts';
export { calibrationSummary, CALIBRATION_TOLERANCE } from './calibration-summary.ts';
export { compressionInsights, COLLAPSE } from './compression-summary.ts';
export { driftSummary, DRIFT_NAMED, type DriftLike } from './drift-summary.ts';
export { cloudSummary, compareSummary, CLOUD_AGREE, CLOUD_DISAGREE, type CloudLike } from './comparison-summary.ts';
export { runInsights } from './run-insights.ts';
