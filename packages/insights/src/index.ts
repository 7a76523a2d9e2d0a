export type { DiagnosedEarlierRun } from './advice.js';
export {
  compareDiagnosedRuns,
  compareRuns,
  type DiagnosedRun,
  type ParamChange,
  type RunComparison,
} from './compare-runs.js';
export { usualLearningRates } from './config-smells.js';
export { diagnose, diagnosisVersion, withTriedSteps } from './diagnose.js';
export { divergenceRule } from './divergence.js';
export { flatCurvesRule } from './flat-curves.js';
export { instabilityRule } from './instability.js';
export { overfittingRule } from './overfitting.js';
export { smoother, smoothSeries } from './smooth.js';
export { stuckRule } from './stuck.js';
export type {
  CurveKind,
  Diagnosis,
  EarlierRun,
  EpochMetrics,
  EvidenceCurve,
  Finding,
  FindingKind,
  NextStep,
  RunForDiagnosis,
  Verdict,
} from './types.js';
export { curveKinds, findingKinds } from './types.js';
export { verdictRule } from './verdict.js';
