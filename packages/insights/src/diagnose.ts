import { detectConfigSmells } from './config-smells.js';
import { analyse } from './context.js';
import { detectDivergence, detectFlatCurves, detectInstability } from './curve-rules.js';
import { detectOverfitting } from './overfitting.js';
import { round } from './series.js';
import type { Diagnosis, Finding, RunForDiagnosis } from './types.js';

/**
 * Reads a run's per-epoch curves and params the way an experienced practitioner would:
 * where it was best, whether and when it began to overfit, underfit, plateau, diverge or
 * oscillate, and what in its configuration is suspicious. Pure: same input, same answer.
 */
export function diagnose(run: RunForDiagnosis): Diagnosis {
  const a = analyse(run);
  const findings: Finding[] = [];
  const divergence = detectDivergence(a);
  if (divergence) findings.push(divergence);
  const overfitting = divergence ? null : detectOverfitting(a);
  if (overfitting) findings.push(overfitting);
  if (!divergence) {
    const instability = detectInstability(a);
    if (instability) findings.push(instability);
    const flat = detectFlatCurves(a, overfitting !== null);
    if (flat) findings.push(flat);
  }
  findings.push(...detectConfigSmells(a));
  const curveProblem = findings.some((f) =>
    ['overfitting', 'underfitting', 'divergence', 'instability'].includes(f.kind),
  );
  // Near chance is not health, however closely validation follows training.
  const chance = 1 / Number(run.params.numClasses ?? 10);
  const learnt = a.bestAcc !== null && a.bestAcc[1] >= 2 * chance;
  if (!curveProblem && a.valAcc.length >= 2 && learnt) findings.push(healthy(a));

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
    findings,
  };
}

function healthy(a: ReturnType<typeof analyse>): Finding {
  const finalGap = a.gaps.at(-1)?.[1] ?? 0;
  return {
    kind: 'healthy',
    severity: 'info',
    onsetEpoch: null,
    evidence: {
      bestEpoch: a.bestEpoch,
      bestValAccuracy: a.bestAcc ? round(a.bestAcc[1]) : null,
      finalGap: round(finalGap),
    },
    confidence: 0.6,
    explanation: `Validation follows training closely (final gap ${round(finalGap * 100, 1)} points) and no warning sign showed: the run generalises as well as it fits.`,
    suggestedTag: 'healthy',
    nextSteps:
      a.bestEpoch === a.lastEpoch
        ? [
            {
              flags: `--epochs ${a.lastEpoch * 2}`,
              why: 'it was still improving at the last epoch',
            },
          ]
        : [],
  };
}
