export { compareRuns, type ParamChange, type RunComparison } from './compare-runs.js';
export { usualLearningRates } from './config-smells.js';
export { diagnose } from './diagnose.js';
export { overfittingRule } from './overfitting.js';
export type {
  Diagnosis,
  EpochMetrics,
  Finding,
  FindingKind,
  NextStep,
  RunForDiagnosis,
} from './types.js';
export { findingKinds } from './types.js';
