import type { Analysis } from './context.js';
import { clamp01, round } from './series.js';
import { relativeNoise, smoothedOnset } from './smooth.js';
import type { Finding, NextStep } from './types.js';

export const overfittingRule = {
  /** Epochs after the lowest smoothed validation loss before a rise can count. */
  patience: 2,
  /**
   * How far validation loss must have risen above its lowest smoothed value (the median of the
   * last three epochs, so one bad epoch is not a trend): 5%, or three times the curve's own
   * epoch-to-epoch noise when that is larger.
   */
  minRise: 0.05,
  noiseFactor: 3,
  /** Training minus validation accuracy above this is a gap worth naming. */
  gapThreshold: 0.1,
  /** The early-stopping patience we suggest. */
  suggestedPatience: 3,
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Validation loss passes its lowest point and rises clearly while training loss keeps falling.
 * The onset is the epoch of the lowest smoothed validation loss, the last of a flat bottom (see
 * `smoothedOnset`): the last epoch whose weights generalised about as well as any. Without validation loss, a train–validation accuracy gap that
 * passes the threshold and keeps widening.
 */
export function detectOverfitting(a: Analysis): Finding | null {
  const { patience, minRise, noiseFactor, gapThreshold, suggestedPatience } = overfittingRule;
  const evidence: Finding['evidence'] = {};
  let onsetByLoss: number | null = null;
  let riseRatio = 0;
  const bottom = smoothedOnset(a.valLoss);
  const smoothed = bottom?.smoothed ?? [];
  if (a.valLoss.length >= 3 && bottom) {
    const { epoch: onset, lowest: lowestValue } = bottom;
    const after = a.valLoss.filter(([e]) => e > onset);
    const end = median(a.valLoss.slice(-3).map(([, v]) => v));
    const rise = end / lowestValue - 1;
    const noise = relativeNoise(a.valLoss);
    const needed = Math.max(minRise, noiseFactor * noise);
    const trainAtOnset = a.loss.find(([e]) => e === onset)?.[1];
    const trainFinal = a.loss.at(-1)?.[1];
    const trainStillFalling =
      trainAtOnset !== undefined && trainFinal !== undefined && trainFinal < trainAtOnset;
    if (after.length >= patience && rise > needed && trainStillFalling) {
      onsetByLoss = onset;
      riseRatio = rise / needed;
      Object.assign(evidence, {
        onsetEpoch: onset,
        lowestSmoothedValLoss: round(lowestValue),
        recentValLoss: round(end),
        valLossRisePercent: round(rise * 100, 1),
        neededRisePercent: round(needed * 100, 1),
        trainLossAtOnset: round(trainAtOnset),
        finalTrainLoss: round(trainFinal),
      });
    }
  }
  let onsetByGap: number | null = null;
  const finalGap = a.gaps.at(-1)?.[1] ?? null;
  if (finalGap !== null && finalGap > gapThreshold && (a.gapTrend ?? 0) > 0) {
    onsetByGap = a.gaps.find(([, g]) => g > gapThreshold)?.[0] ?? null;
    Object.assign(evidence, {
      finalGap: round(finalGap),
      gapTrendPerEpoch: round(a.gapTrend ?? 0),
    });
  }
  // With a validation loss to read, its rise is the sign; the gap alone is not enough.
  if (onsetByLoss === null && (a.valLoss.length >= 3 || onsetByGap === null)) return null;

  const onset = onsetByLoss ?? onsetByGap!;
  const finalAcc = a.acc.at(-1)?.[1];
  const finalValAcc = a.valAcc.at(-1)?.[1];
  const epochsAfter = a.lastEpoch - onset;
  const confidence =
    onsetByLoss !== null
      ? 0.5 +
        0.2 * clamp01((riseRatio - 1) / 3) +
        0.15 * clamp01(epochsAfter / 8) +
        (onsetByGap !== null ? 0.1 : 0)
      : 0.5 + 0.2 * clamp01(((finalGap ?? 0) - gapThreshold) * 5);
  const parts: string[] = [];
  if (onsetByLoss !== null) {
    parts.push(
      `Validation loss stayed at its lowest (${evidence.lowestSmoothedValLoss}, smoothed) until epoch ${onset} and has risen ${evidence.valLossRisePercent}% since, while training loss kept falling (${evidence.trainLossAtOnset} → ${evidence.finalTrainLoss}).`,
    );
  }
  if (finalAcc !== undefined && finalValAcc !== undefined) {
    parts.push(
      `Training accuracy reached ${round(finalAcc, 3)} while validation accuracy is ${round(finalValAcc, 3)}: a gap of ${round((finalAcc - finalValAcc) * 100, 1)} points${(a.gapTrend ?? 0) > 0 ? ' and widening' : ''}.`,
    );
  }
  parts.push(
    'The model is memorising the training images rather than learning what carries over to new ones; epochs after the onset made it worse on data it has not seen.',
  );
  return {
    kind: 'overfitting',
    severity: 'problem',
    onsetEpoch: onset,
    evidence,
    confidence: round(clamp01(confidence), 2),
    explanation: parts.join(' '),
    suggestedTag: 'overfitting',
    nextSteps: overfittingNextSteps(a, onset, suggestedPatience),
    curves:
      onsetByLoss !== null
        ? [
            {
              metric: 'val_loss',
              label: 'val_loss smoothed',
              style: 'line',
              points: smoothed.map(([e, v]) => [e, round(v)]),
            },
          ]
        : [],
  };
}

function overfittingNextSteps(a: Analysis, onset: number, suggestedPatience: number): NextStep[] {
  const steps: NextStep[] = [];
  const later = `val_loss keeps falling past epoch ${onset}, or rises later and more slowly`;
  if (!a.run.augmented) {
    steps.push({
      flags: '--augment flip,shift=4',
      why: 'random flips and shifts make each epoch show slightly different images, so memorising them stops paying',
      expect: `${later}; the train–validation gap widens more slowly`,
    });
  }
  if (a.run.dropout < 0.5) {
    steps.push({
      flags: '--dropout 0.5',
      why: 'dropout after the hidden layer keeps the head from relying on a few features',
      expect: `${later}; training accuracy climbs more slowly`,
    });
  }
  if (a.run.earlyStopping === null) {
    const stopAt = onset + suggestedPatience;
    if (stopAt < a.lastEpoch) {
      const saved = a.epochs
        .filter((e) => e.epoch > stopAt)
        .reduce((s, e) => s + (e.epoch_seconds ?? 0), 0);
      const savedText =
        saved > 0
          ? ` and saved ${saved >= 120 ? `${Math.round(saved / 60)} minutes` : `${Math.round(saved)} s`}`
          : '';
      steps.push({
        flags: `--early-stopping ${suggestedPatience}`,
        why: `would have stopped at epoch ${stopAt}${savedText}, keeping the weights of epoch ${onset}`,
        expect: `the run stops by epoch ${stopAt} with the validation loss of epoch ${onset}`,
      });
    }
  }
  if (a.run.pretrained && a.run.trainableFrom === 'block5_conv1') {
    steps.push({
      flags: '--trainable-from block5_conv3',
      why: 'fewer trainable pretrained layers leave fewer weights to memorise with',
      expect: `${later}; training accuracy climbs more slowly`,
    });
  }
  if (a.run.pretrained && (a.run.lr ?? 0.001) >= 0.001) {
    steps.push({
      flags: `--lr ${a.lrTimes(0.1)}`,
      why: 'fine-tuning pretrained layers usually wants a smaller step than training from scratch',
      expect: 'the pretrained features change less, so the gap opens later',
    });
  }
  if (!a.run.pretrained && a.run.denseUnits > 128) {
    steps.push({
      flags: `--dense-units ${Math.max(64, a.run.denseUnits / 4)}`,
      why: 'a smaller head has fewer weights to memorise the training images with',
      expect: `${later}; training accuracy stays closer to validation accuracy`,
    });
  }
  return steps;
}
