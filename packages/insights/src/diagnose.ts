import { type DiagnosedEarlierRun, noteTriedSteps, reconcileLearningRate } from './advice.js';
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
  const own = diagnoseOnItsOwn(run);
  if (!run.earlier?.length) return own;
  // Each earlier run is diagnosed only if one of this run's next steps matches its params.
  const earlier = run.earlier.map(
    (e): DiagnosedEarlierRun => ({
      ...(e.id === undefined ? {} : { id: e.id }),
      ...(e.name === undefined ? {} : { name: e.name }),
      params: e.params,
      get diagnosis() {
        return diagnose(e);
      },
    }),
  );
  return withTriedSteps(own, run.params, earlier);
}

/**
 * A diagnosis made without the notebook's earlier runs (as the tracker keeps one on each run),
 * with its next steps' "tried in …" notes added from earlier runs already diagnosed: the same
 * answer as `diagnose` given those runs, without reading any curve again.
 */
export function withTriedSteps(
  diagnosis: Diagnosis,
  params: Record<string, unknown>,
  earlier: DiagnosedEarlierRun[],
): Diagnosis {
  return {
    ...diagnosis,
    findings: noteTriedSteps(diagnosis.findings, { params, diagnosis }, earlier),
  };
}

/**
 * Bump when a change to the rules would diagnose a stored run differently: a diagnosis the
 * tracker kept under another version is made again from the curves.
 */
export const diagnosisVersion = 1;

function diagnoseOnItsOwn(run: RunForDiagnosis): Diagnosis {
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
    findings: reconcileLearningRate(findings),
  };
}
