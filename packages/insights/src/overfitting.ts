import { type Analysis, lowerLr } from './context.js';
import { clamp01, round } from './series.js';
import type { Finding, NextStep } from './types.js';

export const overfittingRule = {
  /** Epochs of rising validation loss after its best that count as a trend, not noise. */
  patience: 2,
  /** Training minus validation accuracy above this is a gap worth naming. */
  gapThreshold: 0.1,
  /** The early-stopping patience we suggest. */
  suggestedPatience: 3,
};

/**
 * Validation loss stops improving and rises for `patience` epochs while training loss keeps
 * falling; or the train–validation accuracy gap passes the threshold and keeps widening.
 */
export function detectOverfitting(a: Analysis): Finding | null {
  const { patience, gapThreshold, suggestedPatience } = overfittingRule;
  let onsetByLoss: number | null = null;
  const evidence: Finding['evidence'] = {};
  if (a.valLoss.length >= 3 && a.bestLoss) {
    const [bestEpoch, bestValue] = a.bestLoss;
    const after = a.valLoss.filter(([e]) => e > bestEpoch);
    const final = a.valLoss.at(-1)![1];
    const trainAtBest = a.loss.find(([e]) => e === bestEpoch)?.[1];
    const trainFinal = a.loss.at(-1)?.[1];
    const risingLong = after.length >= patience && after.every(([, v]) => v > bestValue);
    const trainStillFalling =
      trainAtBest !== undefined && trainFinal !== undefined && trainFinal < trainAtBest;
    if (risingLong && final > bestValue * 1.02 && trainStillFalling) {
      onsetByLoss = bestEpoch + 1;
      Object.assign(evidence, {
        bestValLossEpoch: bestEpoch,
        bestValLoss: round(bestValue),
        finalValLoss: round(final),
        valLossRisePercent: round(((final - bestValue) / bestValue) * 100, 1),
        trainLossAtBest: round(trainAtBest),
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
  if (onsetByLoss === null && onsetByGap === null) return null;

  const onset = onsetByLoss ?? onsetByGap!;
  const finalAcc = a.acc.at(-1)?.[1];
  const finalValAcc = a.valAcc.at(-1)?.[1];
  const confidence = clamp01(
    (onsetByLoss !== null ? 0.5 : 0.3) +
      (onsetByGap !== null ? 0.3 : 0) +
      Math.min(0.2, Math.max(0, (finalGap ?? 0) - gapThreshold)),
  );
  const parts: string[] = [];
  if (onsetByLoss !== null) {
    parts.push(
      `Training loss kept falling (${evidence.trainLossAtBest} → ${evidence.finalTrainLoss}) while validation loss rose from ${evidence.bestValLoss} at epoch ${evidence.bestValLossEpoch} to ${evidence.finalValLoss} at epoch ${a.lastEpoch}.`,
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
    confidence: round(confidence, 2),
    explanation: parts.join(' '),
    suggestedTag: 'overfitting',
    nextSteps: overfittingNextSteps(a, suggestedPatience),
  };
}

function overfittingNextSteps(a: Analysis, suggestedPatience: number): NextStep[] {
  const steps: NextStep[] = [];
  const augment = String(a.params.augment ?? 'none');
  if (augment === 'none' || augment === '' || augment === 'undefined') {
    steps.push({
      flags: '--augment flip,shift',
      why: 'random flips and shifts make each epoch show slightly different images, so memorising them stops paying',
    });
  }
  if (!a.params.dropout) {
    steps.push({
      flags: '--dropout 0.5',
      why: 'dropout before the last layer keeps the head from relying on a few features',
    });
  }
  if (!a.params.earlyStopping && a.bestLoss) {
    const stopAt = a.bestLoss[0] + suggestedPatience;
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
        why: `would have stopped at epoch ${stopAt}${savedText}, keeping the weights of epoch ${a.bestLoss[0]}`,
      });
    }
  }
  if (a.params.trainableFrom === 'block5_conv1' || a.params.trainableFrom === undefined) {
    steps.push({
      flags: '--trainable-from block5_conv3',
      why: 'fewer trainable layers leave fewer weights to memorise with',
    });
  }
  if ((a.lr ?? 0.001) >= 0.001) {
    steps.push({
      flags: `--lr ${lowerLr(a.lr, 10)}`,
      why: 'fine-tuning pretrained layers usually wants a smaller step than training from scratch',
    });
  }
  return steps;
}
