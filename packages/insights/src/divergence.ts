import type { Analysis } from './context.js';
import { round } from './series.js';
import type { Finding } from './types.js';

const nonFinite = (v: unknown) => typeof v === 'number' && !Number.isFinite(v);

/**
 * A training loss this many times ln(classes) — what guessing gives — that stays there means
 * confidently wrong predictions on the images it trains on: the weights have blown up.
 */
export const divergenceRule = { saturatedLoss: 2 };

/**
 * NaN or ±Infinity in the training loss or accuracy; a training loss that blows up (over 3× its
 * lowest and 2× its first); or one that stays far above what guessing gives.
 */
export function detectDivergence(a: Analysis): Finding | null {
  const keys = ['loss', 'accuracy'] as const;
  const bad = a.epochs.find((e) => keys.some((k) => nonFinite(e[k])));
  let onset: number | null = bad?.epoch ?? null;
  const evidence: Finding['evidence'] = {};
  if (bad) {
    for (const k of keys) if (nonFinite(bad[k])) evidence[k] = String(bad[k]);
  } else {
    let min = Number.POSITIVE_INFINITY;
    for (const [epoch, value] of a.loss) {
      if (
        min < Number.POSITIVE_INFINITY &&
        value > 3 * min &&
        value > 2 * (a.loss[0]?.[1] ?? value)
      ) {
        onset = epoch;
        Object.assign(evidence, { lowestLoss: round(min), explodedLoss: round(value) });
        break;
      }
      min = Math.min(min, value);
    }
    const guess = Math.log(a.run.numClasses);
    const recent = a.loss.slice(-3).map(([, v]) => v);
    if (
      onset === null &&
      recent.length >= 2 &&
      Math.min(...recent) > divergenceRule.saturatedLoss * guess
    ) {
      onset = a.loss.find(([, v]) => v > divergenceRule.saturatedLoss * guess)?.[0] ?? null;
      Object.assign(evidence, {
        guessingLoss: round(guess),
        recentLoss: round(recent.at(-1)!),
      });
    }
  }
  if (onset === null) return null;
  return {
    kind: 'divergence',
    severity: 'problem',
    onsetEpoch: onset,
    evidence,
    confidence: bad ? 0.95 : 0.8,
    explanation: bad
      ? `At epoch ${onset} the training ${Object.keys(evidence).join(' and ')} became ${Object.values(evidence).join('/')}: training diverged, and the weights after that are not usable.`
      : evidence.explodedLoss !== undefined
        ? `The training loss jumped from ${evidence.lowestLoss} to ${evidence.explodedLoss} at epoch ${onset}: the steps are too large and training is running away.`
        : `The training loss has stayed at ${evidence.recentLoss} since epoch ${onset}, far above the ${evidence.guessingLoss} that guessing gives: the model is confidently wrong on its own training images, the weights have blown up.`,
    suggestedTag: 'diverged',
    nextSteps: [
      {
        flags: `--lr ${a.lrTimes(0.1)}`,
        why: 'a ten times smaller learning rate is the usual cure for a run that blows up',
        expect: 'the training loss stays finite and falls from epoch to epoch',
      },
    ],
  };
}

/**
 * NaN or ±Infinity in a validation metric while training stays finite: the weights may be fine
 * (a validation image or batch the loss cannot score, a log of 0); the other findings still hold
 * for the epochs that have numbers.
 */
export function detectValidationNaN(a: Analysis): Finding | null {
  const keys = ['val_loss', 'val_accuracy'] as const;
  const trainingBad = a.epochs.some((e) => nonFinite(e.loss) || nonFinite(e.accuracy));
  if (trainingBad) return null;
  const bad = a.epochs.filter((e) => keys.some((k) => nonFinite(e[k])));
  if (bad.length === 0) return null;
  const which = keys.filter((k) => bad.some((e) => nonFinite(e[k])));
  return {
    kind: 'validation_nan',
    severity: 'warning',
    onsetEpoch: bad[0]!.epoch,
    evidence: {
      metrics: which.join(', '),
      epochs: bad.map((e) => e.epoch).join(', '),
      firstValue: String(bad[0]![which[0]!]),
    },
    confidence: 0.9,
    explanation: `The ${which.join(' and ')} ${which.length > 1 ? 'are' : 'is'} not a number in ${bad.length} of ${a.epochs.length} epochs (from epoch ${bad[0]!.epoch}) while training loss and accuracy stay finite: training did not diverge, but validation could not be scored there. Usually a validation batch with an extreme prediction (a log of 0); the other findings read the epochs that have numbers.`,
    suggestedTag: 'validation-nan',
    nextSteps: [
      {
        flags: `--lr ${a.lrTimes(1 / 3)}`,
        why: 'over-confident predictions (probability 0 for the true class) are what usually make the validation loss infinite',
        expect: 'every epoch has a finite val_loss',
      },
    ],
  };
}
