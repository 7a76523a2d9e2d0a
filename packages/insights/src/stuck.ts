import type { Analysis } from './context.js';
import { clamp01, round } from './series.js';
import { smoothSeries } from './smooth.js';
import type { Finding, NextStep } from './types.js';

export const stuckRule = {
  /**
   * Accuracy counts as having left chance once it is this far above it (5 points for ten
   * classes). On 500 validation images a model that guesses wanders about ±2.7 points (2σ)
   * around chance, so 5 points is beyond guessing, and well below what any run that learns
   * reaches.
   */
  margin: 0.05,
  /**
   * A training loss (smoothed) this far below ln(classes) means the model has learnt something,
   * however little the accuracy shows yet: that is slow learning, not a stuck run.
   */
  learntLossShare: 0.97,
};

/**
 * Never left chance: neither training nor validation accuracy (smoothed) ever rose clearly
 * above what guessing gives, nor did the training loss fall clearly below it. The usual causes are a learning rate far off (too high: the loss jumps
 * above ln(classes) and stays; too low: it sits at ln(classes)) or inputs the model cannot
 * read (preprocessing).
 */
export function detectStuck(a: Analysis): Finding | null {
  if (a.valAcc.length === 0 && a.acc.length === 0) return null;
  const chance = 1 / a.run.numClasses;
  // Smoothed, so that one lucky epoch on a small validation set does not count as leaving.
  const best = (points: [number, number][]) =>
    points.length ? Math.max(...smoothSeries(points).map(([, v]) => v)) : null;
  const bestVal = best(a.valAcc);
  const bestTrain = best(a.acc);
  const limit = chance + stuckRule.margin;
  if ((bestVal ?? 0) >= limit || (bestTrain ?? 0) >= limit) return null;
  const guessLoss = Math.log(a.run.numClasses);
  const lowestLoss = a.loss.length ? Math.min(...smoothSeries(a.loss).map(([, v]) => v)) : null;
  if (lowestLoss !== null && lowestLoss < stuckRule.learntLossShare * guessLoss) return null;
  const losses = a.loss.map(([, v]) => v);
  const medianLoss = losses.length ? [...losses].sort((x, y) => x - y)[losses.length >> 1]! : null;
  const maxLoss = losses.length ? Math.max(...losses) : null;
  // Far above ln(classes) means confident and wrong: steps big enough to throw the weights about.
  const tooHigh =
    (medianLoss !== null && medianLoss > 1.25 * guessLoss) ||
    (maxLoss !== null && maxLoss > 2 * guessLoss) ||
    (a.usualLr !== null && a.run.lr !== null && a.run.lr > a.usualLr[1]);
  const tooLow = !tooHigh && a.usualLr !== null && a.run.lr !== null && a.run.lr < a.usualLr[0];
  const closest = Math.max(bestVal ?? 0, bestTrain ?? 0);
  const steps: NextStep[] = [];
  if (tooHigh) {
    steps.push({
      flags: `--lr ${a.lrTimes(0.1)}`,
      why: `the loss went above ${round(guessLoss, 2)} (what guessing gives): steps this large throw the weights about instead of descending`,
      expect:
        'the training loss falls below its first-epoch value within a few epochs and accuracy leaves chance',
    });
  } else {
    steps.push({
      flags: `--lr ${a.lrTimes(10)}`,
      why: `the loss sits at ${round(guessLoss, 2)}, what guessing gives: the steps may be too small to move the weights`,
      expect: `training accuracy rises above ${round(limit * 100)}% within the first epochs`,
    });
  }
  if (a.run.pretrained && a.run.preprocessing === 'unit') {
    steps.push({
      flags: '--preprocessing caffe',
      why: 'the ImageNet weights expect caffe inputs (BGR, mean pixel subtracted); x/255 looks like a blank image to them',
      expect: 'validation accuracy well above chance from the first epoch',
    });
  }
  if (!a.run.pretrained) {
    steps.push({
      flags: '--weights imagenet',
      why: 'from random weights the frozen layers compute random features; trained ones give the head something to learn from',
      expect: 'validation accuracy well above chance from the first epoch',
    });
  }
  const epochsSeen = Math.max(a.valAcc.length, a.acc.length);
  return {
    kind: 'stuck',
    severity: 'problem',
    onsetEpoch: null,
    evidence: {
      chance: round(chance, 3),
      bestTrainAccuracy: bestTrain === null ? null : round(bestTrain),
      bestValAccuracy: bestVal === null ? null : round(bestVal),
      medianLoss: medianLoss === null ? null : round(medianLoss),
      guessingLoss: round(guessLoss),
      lr: a.run.lr,
      preprocessing: a.run.preprocessing,
    },
    // Surer the longer it has stayed there and the closer to chance it stayed.
    confidence: round(clamp01(0.5 + epochsSeen / 40 + (limit - closest) * 4), 2),
    explanation: `In ${epochsSeen} epochs accuracy never left chance (best ${round(closest * 100, 1)}% against ${round(chance * 100)}% for guessing) and the loss ${tooHigh ? `went above ${round(guessLoss, 2)}, what guessing gives` : `stayed near ${round(guessLoss, 2)}, what guessing gives`}: the model has learnt nothing yet. ${tooHigh ? `A learning rate of ${a.run.lr} is likely too high` : `The learning rate (${a.run.lr}) may be too ${tooLow ? 'low' : 'low to move these weights'}`}; check too that the inputs are preprocessed as the weights expect (${a.run.preprocessing}${a.run.pretrained ? ` for ${a.run.weights} weights` : ', random weights'}).`,
    suggestedTag: 'stuck',
    nextSteps: steps,
  };
}
