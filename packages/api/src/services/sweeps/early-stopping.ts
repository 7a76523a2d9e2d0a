import type { Diagnosis, EpochMetrics } from '@trainbook/insights';
import { z } from 'zod';

const wholeNumber = (what: string, min: number) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .min(min, `expected ${what} ≥ ${min}`);

/** Opt-in rules that stop bad trials, per sweep. Neither set: no trial is stopped early. */
export const earlyStoppingSettings = z
  .object({
    /**
     * The classic median rule: stop a trial whose val_accuracy at epoch k is below the median of
     * the finished trials' at k, once `minTrials` finished trials reached k, from `fromEpoch` on.
     */
    median: z
      .object({
        minTrials: wholeNumber('a number of finished trials', 1).default(3),
        fromEpoch: wholeNumber('an epoch', 1).default(2),
      })
      .optional(),
    /**
     * Stop a trial the diagnosis (@trainbook/insights) confidently calls divergent or stuck at
     * chance, or whose overfitting began more than `patience` epochs ago.
     */
    diagnosis: z
      .object({
        patience: wholeNumber('a patience in epochs', 0).default(3),
        minConfidence: z.number().min(0).max(1).default(0.8),
      })
      .optional(),
  })
  .strict()
  .default({});

export type EarlyStoppingSettings = z.output<typeof earlyStoppingSettings>;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const fmt = (v: number) => v.toFixed(4);

/** The median rule on the trial's latest epoch; `peers` are finished trials' values at that epoch. */
export function medianRule(
  settings: NonNullable<EarlyStoppingSettings['median']>,
  epoch: EpochMetrics,
  peers: number[],
): string | null {
  const value = epoch.val_accuracy;
  if (value === undefined || epoch.epoch < settings.fromEpoch) return null;
  if (peers.length < settings.minTrials) return null;
  const m = median(peers);
  if (!(value < m)) return null;
  return `early stopping (median rule): val_accuracy ${fmt(value)} at epoch ${epoch.epoch} is below the median ${fmt(m)} of ${peers.length} finished trials at that epoch`;
}

/**
 * A NaN or ±Infinity in the training metrics is a fact, not a reading of a curve: the weights
 * are gone whatever the epoch count, so it stops a trial even while the diagnosis still says
 * "too early to tell" (and caps its confidence).
 */
const nonFinite = (evidence: Record<string, unknown>) =>
  Object.values(evidence).some((v) => /^(NaN|-?Infinity)$/.test(String(v)));

/** The diagnosis rule: divergence or stuck at chance (confidently), or overfitting too long. */
export function diagnosisRule(
  settings: NonNullable<EarlyStoppingSettings['diagnosis']>,
  diagnosis: Diagnosis,
): string | null {
  const sure = (confidence: number) => confidence >= settings.minConfidence;
  for (const f of diagnosis.findings) {
    if (f.kind === 'divergence' && (sure(f.confidence) || nonFinite(f.evidence)))
      return `early stopping (diagnosis rule): diverged from epoch ${f.onsetEpoch} (confidence ${f.confidence.toFixed(2)}): ${f.explanation}`;
    if (f.kind === 'stuck' && sure(f.confidence))
      return `early stopping (diagnosis rule): stuck at chance (confidence ${f.confidence.toFixed(2)}): ${f.explanation}`;
    if (f.kind === 'overfitting' && f.onsetEpoch !== null) {
      const behind = diagnosis.epochs - f.onsetEpoch;
      if (behind > settings.patience)
        return `early stopping (diagnosis rule): overfitting since epoch ${f.onsetEpoch}, ${behind} epochs ago (patience ${settings.patience})`;
    }
  }
  return null;
}
