import type { EpochMetrics } from '@trainbook/metrics';

export type { EpochMetrics };

export interface RunForDiagnosis {
  /** Per-epoch metrics in epoch order. */
  epochs: EpochMetrics[];
  /** The trainer's params: optimizer, lr, weights, preprocessing, validation, dropout, … */
  params: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export const findingKinds = [
  'overfitting',
  'underfitting',
  'plateau',
  'divergence',
  'instability',
  'healthy',
  'preprocessing_mismatch',
  'learning_rate_out_of_range',
  'validation_overlap',
] as const;

export type FindingKind = (typeof findingKinds)[number];

/** A trainer flag to try, and why. */
export interface NextStep {
  flags: string;
  why: string;
}

export interface Finding {
  kind: FindingKind;
  severity: 'info' | 'warning' | 'problem';
  /** The epoch where it began (1-based, as the trainer counts), if it has one. */
  onsetEpoch: number | null;
  /** The numbers behind it. */
  evidence: Record<string, number | string | null>;
  /** 0..1: how sure the rule is. */
  confidence: number;
  explanation: string;
  suggestedTag: string;
  nextSteps: NextStep[];
}

export interface Diagnosis {
  epochs: number;
  /** Epoch of the best validation accuracy (else lowest validation loss, else null). */
  bestEpoch: number | null;
  bestBy: 'val_accuracy' | 'val_loss' | null;
  bestValAccuracy: number | null;
  bestValLoss: number | null;
  epochsSinceBest: number | null;
  /** Training minus validation accuracy. */
  gap: { final: number | null; max: number | null; trendPerEpoch: number | null };
  findings: Finding[];
}
