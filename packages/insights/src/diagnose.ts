import { noteTriedSteps, reconcileLearningRate } from './advice.js';
import { analyse } from './context.js';
import { round } from './series.js';
import type { Diagnosis, RunForDiagnosis } from './types.js';
import { readVerdict, verdictRule } from './verdict.js';

/**
 * Reads a run's per-epoch curves and params the way an experienced practitioner would: where it
 * was best, whether it is stuck at chance, overfitting (and from when), underfitting,
 * oscillating or diverging, what in its configuration is suspicious, and what to try next given
 * its own params and the notebook's earlier runs. Before `verdictRule.minEpochs` epochs it says
 * it is too early to tell. Pure: same input, same answer.
 */
export function diagnose(run: RunForDiagnosis): Diagnosis {
  const a = analyse(run);
  const { verdict, findings } = readVerdict(run);
  const gapValues = a.gaps.map(([, g]) => g);
  return {
    epochs: a.epochs.length,
    bestEpoch: a.bestEpoch,
    bestBy: a.bestBy,
    bestValAccuracy: a.bestAcc ? round(a.bestAcc[1]) : null,
    bestValLoss: a.bestLoss ? round(a.bestLoss[1]) : null,
    epochsSinceBest: a.bestEpoch === null ? null : a.lastEpoch - a.bestEpoch,
    gap: {
      final: gapValues.length ? round(gapValues.at(-1)!) : null,
      max: gapValues.length ? round(Math.max(...gapValues)) : null,
      trendPerEpoch: a.gapTrend === null ? null : round(a.gapTrend),
    },
    minEpochs: verdictRule.minEpochs,
    verdict,
    findings: noteTriedSteps(reconcileLearningRate(findings), run, run.earlier ?? []),
  };
}
