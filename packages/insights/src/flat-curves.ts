import type { Analysis } from './context.js';
import { clamp01, round, slope } from './series.js';
import { smoothSeries } from './smooth.js';
import type { Finding } from './types.js';

const tail = <T>(xs: T[], n: number) => xs.slice(-Math.min(xs.length, n));

export const flatCurvesRule = {
  /** Training accuracy below this fits too little of the training set (ten classes). */
  poorAccuracy: 0.5,
  /**
   * At the rate it still climbs, a run that would need more than this many further epochs to
   * reach `poorAccuracy` is underfitting rather than still learning: the seed experiment's
   * whole length.
   */
  horizonEpochs: 25,
  /** Epochs without a new best before a run counts as done improving. */
  plateauEpochs: 5,
};

/** Mean of training and validation accuracy per epoch (less noisy than either), else training. */
function accuracyLevel(a: Analysis): [number, number][] {
  return a.acc.map(([e, t]) => {
    const v = a.valAcc.find(([ve]) => ve === e)?.[1];
    return [e, v === undefined ? t : (t + v) / 2];
  });
}

/**
 * Underfitting: it fits the training set poorly, and at the rate it still climbs (over the last
 * half of the run) it would need more than `horizonEpochs` further epochs to fit half of it.
 * Plateau: nothing improves any more at a good level.
 */
export function detectFlatCurves(a: Analysis): Finding | null {
  if (a.acc.length < 3) return null;
  const { poorAccuracy, horizonEpochs, plateauEpochs } = flatCurvesRule;
  const level = accuracyLevel(a);
  const climb = slope(tail(level, Math.max(4, Math.ceil(level.length / 2)))) ?? 0;
  const finalAcc = smoothSeries(a.acc).at(-1)![1];
  const finalVal = a.valAcc.length ? smoothSeries(a.valAcc).at(-1)![1] : null;
  const epochsToFit = climb > 0 ? (poorAccuracy - finalAcc) / climb : Number.POSITIVE_INFINITY;
  const gap = finalVal === null ? 0 : finalAcc - finalVal;
  if (finalAcc < poorAccuracy && epochsToFit > horizonEpochs && gap < 0.1) {
    const shortBy = poorAccuracy - finalAcc;
    const projected = Math.min(poorAccuracy, finalAcc + Math.max(0, climb) * horizonEpochs);
    return {
      kind: 'underfitting',
      severity: 'problem',
      onsetEpoch: null,
      evidence: {
        finalAccuracy: round(finalAcc),
        finalValAccuracy: finalVal === null ? null : round(finalVal),
        climbPointsPerEpoch: round(climb * 100, 2),
        epochsToHalfRight: Number.isFinite(epochsToFit) ? Math.round(epochsToFit) : null,
      },
      confidence: round(
        clamp01(
          0.5 +
            Math.min(0.2, shortBy / 2) +
            Math.min(0.2, (Math.min(epochsToFit, 4 * horizonEpochs) / horizonEpochs - 1) * 0.1),
        ),
        2,
      ),
      explanation: `Training accuracy ends at ${round(finalAcc * 100, 1)}% and climbs ${round(climb * 100, 2)} points an epoch: ${Number.isFinite(epochsToFit) ? `at that rate it would need about ${Math.round(epochsToFit)} more epochs` : 'it would never get there at this rate'} to get even half of its training images right. The model cannot fit the images it trains on, so it is too constrained (too few trainable layers, a small head, a small learning rate) or the inputs are not what it expects.`,
      suggestedTag: 'underfitting',
      nextSteps: underfittingNextSteps(a, projected),
    };
  }
  const sinceBest = a.bestEpoch === null ? 0 : a.lastEpoch - a.bestEpoch;
  if (Math.abs(climb) < 0.005 && a.bestEpoch !== null && sinceBest >= plateauEpochs) {
    return {
      kind: 'plateau',
      severity: 'info',
      onsetEpoch: a.bestEpoch + 1,
      evidence: {
        bestEpoch: a.bestEpoch,
        epochsSinceBest: sinceBest,
        climbPointsPerEpoch: round(climb * 100, 2),
      },
      confidence: round(clamp01(0.5 + sinceBest / 20), 2),
      explanation: `Nothing improved in the last ${sinceBest} epochs (best at epoch ${a.bestEpoch}): the run has converged for this learning rate, and the extra epochs cost time without gain.`,
      suggestedTag: 'plateau',
      nextSteps: [
        {
          flags: '--early-stopping 3',
          why: 'stop once validation stops improving',
          expect: `the run stops about epoch ${a.bestEpoch + 3} with the same best accuracy`,
        },
        {
          flags: `--lr ${a.lrTimes(0.1)}`,
          why: 'a smaller step can find a little more once the big gains are made',
          expect: 'a slower but longer climb past the current best',
        },
      ],
    };
  }
  return null;
}

function underfittingNextSteps(a: Analysis, projected: number): Finding['nextSteps'] {
  const steps: Finding['nextSteps'] = [];
  const better = `training accuracy climbs faster than now and passes ${round(projected * 100)}%`;
  if (a.usualLr && a.run.lr !== null && a.run.lr < a.usualLr[1] / 3) {
    steps.push({
      flags: `--lr ${a.lrTimes(3)}`,
      why: 'larger steps climb faster while the loss still falls steadily',
      expect: better,
    });
  }
  if (a.run.denseUnits < 512) {
    steps.push({
      flags: `--dense-units ${Math.min(1024, a.run.denseUnits * 4)}`,
      why: 'a wider head can fit more of what the features say',
      expect: better,
    });
  }
  if (a.run.pretrained) {
    steps.push({
      flags: '--trainable-from block4_conv1',
      why: 'training more pretrained layers lets the features adapt to these images',
      expect: better,
    });
  } else {
    steps.push({
      flags: '--weights imagenet',
      why: 'random frozen layers give the head weak features; ImageNet ones are far easier to learn from',
      expect: 'validation accuracy well above this run from the first epochs',
    });
  }
  if (a.run.dropout > 0) {
    steps.push({
      flags: '--dropout 0',
      why: 'dropout holds back a model that is not even fitting its training set',
      expect: better,
    });
  }
  return steps;
}
