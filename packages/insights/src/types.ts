import type { EpochMetrics } from '@trainbook/metrics';

export type { EpochMetrics };

export interface RunForDiagnosis {
  /** Per-epoch metrics in epoch order. */
  epochs: EpochMetrics[];
  /** The trainer's params: optimizer, lr, weights, preprocessing, validation, dropout, … */
  params: Record<string, unknown>;
  env?: Record<string, unknown>;
  /** Earlier runs of the notebook, newest first, for "tried before" notes on next steps. */
  earlier?: EarlierRun[];
}

/** Earlier runs of the notebook, newest first: next steps say what happened when they were tried. */
export interface EarlierRun {
  id?: string;
  name?: string;
  epochs: EpochMetrics[];
  params: Record<string, unknown>;
}

/**
 * What the curves can say, most serious first: the first one found is the run's verdict.
 * (divergence: the training loss became NaN or blew up; stuck: it never left chance.)
 * Overfitting comes before instability: its rule needs a rise well beyond the curve's own
 * noise, and a small validation set makes an overfitting run's validation loss zig-zag too.
 */
export const curveKinds = [
  'divergence',
  'stuck',
  'overfitting',
  'instability',
  'underfitting',
  'plateau',
  'healthy',
] as const;

export type CurveKind = (typeof curveKinds)[number];

export const findingKinds = [
  ...curveKinds,
  'validation_nan',
  'preprocessing_mismatch',
  'learning_rate_out_of_range',
  'validation_overlap',
] as const;

export type FindingKind = (typeof findingKinds)[number];

/** A trainer flag to try, why, and what it should change. */
export interface NextStep {
  flags: string;
  why: string;
  /** What to look for in the next run if the step works, e.g. "val_loss stops rising before epoch 6". */
  expect: string;
  /** What happened in an earlier run of the notebook that already tried this step. */
  tried?: string;
}

/** A line or marks to draw on a chart: the evidence a finding rests on. */
export interface EvidenceCurve {
  /** The chart it belongs on: the one showing this metric. */
  metric: 'val_loss' | 'val_accuracy';
  label: string;
  /** 'line' for a smoothed curve; 'marks' for single epochs (the swings of an unstable run). */
  style: 'line' | 'marks';
  points: [epoch: number, value: number][];
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
  /** The curves behind the finding, for the charts (the smoothed val_loss of an onset, the swings). */
  curves?: EvidenceCurve[];
}

/**
 * The headline. Before `minEpochs` it is 'too_early' whatever the curves look like; after, the
 * most serious curve finding. Live, it changes only when the curves have pointed the same new way
 * for two epochs in a row, or at once for a reason that cannot be noise (a NaN training loss):
 * `held` says when the curves already point elsewhere.
 */
export interface Verdict {
  kind: CurveKind | 'too_early' | 'none';
  confidence: number;
  summary: string;
  held: { kind: CurveKind | 'none'; since: number } | null;
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
  /** Epochs needed before the curves are read at all (see `minEpochs`). */
  minEpochs: number;
  verdict: Verdict;
  /** The verdict's finding first, then the others. */
  findings: Finding[];
}
