import { detectConfigSmells } from './config-smells.js';
import type { Analysis } from './context.js';
import { detectDivergence, detectValidationNaN } from './divergence.js';
import { detectFlatCurves } from './flat-curves.js';
import { detectInstability } from './instability.js';
import { detectOverfitting } from './overfitting.js';
import { round } from './series.js';
import { detectStuck } from './stuck.js';
import { type CurveKind, curveKinds, type Finding } from './types.js';

/**
 * Every rule's reading of the curves as they stand, before any waiting for confirmation:
 * curve findings in order of seriousness, then validation NaN and the config smells.
 */
export function rawFindings(a: Analysis): Finding[] {
  const curve: Finding[] = [];
  const divergence = detectDivergence(a);
  if (divergence) curve.push(divergence);
  const stuck = divergence ? null : detectStuck(a);
  if (stuck) curve.push(stuck);
  if (!divergence && !stuck) {
    const instability = detectInstability(a);
    if (instability) curve.push(instability);
    const overfitting = detectOverfitting(a);
    if (overfitting) curve.push(overfitting);
    const flat = overfitting ? null : detectFlatCurves(a);
    if (flat) curve.push(flat);
    const problem = curve.some((f) => f.kind !== 'plateau');
    // Not stuck means it left chance; healthy needs validation accuracy to say how far.
    if (!problem && a.valAcc.length > 0 && a.acc.length > 0) curve.push(healthy(a));
  }
  curve.sort((x, y) => rank(x.kind as CurveKind) - rank(y.kind as CurveKind));
  const nan = detectValidationNaN(a);
  return [...curve, ...(nan ? [nan] : []), ...detectConfigSmells(a)];
}

const rank = (k: CurveKind) => curveKinds.indexOf(k);

function healthy(a: Analysis): Finding {
  const finalGap = a.gaps.at(-1)?.[1] ?? 0;
  const improving = a.bestEpoch !== null && a.lastEpoch - a.bestEpoch <= 1;
  return {
    kind: 'healthy',
    severity: 'info',
    onsetEpoch: null,
    evidence: {
      bestEpoch: a.bestEpoch,
      bestValAccuracy: a.bestAcc ? round(a.bestAcc[1]) : null,
      finalGap: round(finalGap),
    },
    // Calibrated on the corpus: healthy and underfitting are the pair most often confused.
    confidence: 0.6,
    explanation: `Validation follows training (final gap ${round(finalGap * 100, 1)} points), it left chance and no warning sign showed${improving ? '; it was still improving at the last epoch' : ''}.`,
    suggestedTag: 'healthy',
    nextSteps: improving
      ? [
          {
            flags: `--epochs ${a.lastEpoch * 2}`,
            why: 'it was still improving at the last epoch',
            expect: `validation accuracy above ${round((a.bestAcc?.[1] ?? 0) * 100, 1)}% after epoch ${a.lastEpoch}`,
          },
        ]
      : [],
  };
}
