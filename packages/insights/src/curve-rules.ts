import { type Analysis, lowerLr } from './context.js';
import { clamp01, round, slope } from './series.js';
import type { EpochMetrics, Finding } from './types.js';

const tail = <T>(xs: T[], n: number) => xs.slice(-Math.min(xs.length, n));

/** NaN or ±Infinity in a loss or accuracy, or a loss that blows up. */
export function detectDivergence(a: Analysis): Finding | null {
  const keys = ['loss', 'val_loss', 'accuracy', 'val_accuracy'] as const;
  const bad = a.epochs.find((e) =>
    keys.some((k) => typeof e[k] === 'number' && !Number.isFinite(e[k] as number)),
  );
  let onset: number | null = bad?.epoch ?? null;
  const evidence: Finding['evidence'] = {};
  if (bad) {
    const which = keys.filter(
      (k) => typeof bad[k] === 'number' && !Number.isFinite(bad[k] as number),
    );
    for (const k of which) evidence[k] = String(bad[k as keyof EpochMetrics]);
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
  }
  if (onset === null) return null;
  return {
    kind: 'divergence',
    severity: 'problem',
    onsetEpoch: onset,
    evidence,
    confidence: bad ? 0.95 : 0.75,
    explanation: bad
      ? `At epoch ${onset} the ${Object.keys(evidence).join(' and ')} became ${Object.values(evidence).join('/')}: training diverged, and the weights after that are not usable.`
      : `The training loss jumped from ${evidence.lowestLoss} to ${evidence.explodedLoss} at epoch ${onset}: the steps are too large and training is running away.`,
    suggestedTag: 'diverged',
    nextSteps: [
      {
        flags: `--lr ${lowerLr(a.lr, 10)}`,
        why: 'a ten times smaller learning rate is the usual cure for a run that blows up',
      },
      ...(a.params.preprocessing === 'unit' && a.params.weights === 'imagenet'
        ? [
            {
              flags: '--preprocessing caffe',
              why: 'the ImageNet weights expect caffe-style inputs',
            },
          ]
        : []),
    ],
  };
}

/** Validation loss that zig-zags: the learning rate is too high for a steady descent. */
export function detectInstability(a: Analysis): Finding | null {
  const values = a.valLoss;
  if (values.length < 5) return null;
  const diffs = values.slice(1).map(([, v], i) => v - values[i]![1]);
  let flips = 0;
  for (let i = 1; i < diffs.length; i++)
    if (Math.sign(diffs[i]!) !== Math.sign(diffs[i - 1]!) && diffs[i] !== 0) flips++;
  const flipRate = flips / (diffs.length - 1);
  const mean = values.reduce((s, [, v]) => s + v, 0) / values.length;
  const swing = diffs.reduce((s, d) => s + Math.abs(d), 0) / diffs.length / mean;
  if (flipRate < 0.6 || swing < 0.1) return null;
  const onsetIndex = diffs.findIndex((d, i) => i > 0 && Math.sign(d) !== Math.sign(diffs[i - 1]!));
  return {
    kind: 'instability',
    severity: 'warning',
    onsetEpoch: values[Math.max(0, onsetIndex)]?.[0] ?? null,
    evidence: {
      directionChanges: flips,
      flipRate: round(flipRate, 2),
      meanSwingPercent: round(swing * 100, 1),
    },
    confidence: round(clamp01(0.4 + (flipRate - 0.6) + swing), 2),
    explanation: `Validation loss changed direction ${flips} times in ${diffs.length} epochs, by ${round(swing * 100, 1)}% of its mean on average: the optimiser overshoots instead of settling.`,
    suggestedTag: 'unstable',
    nextSteps: [
      { flags: `--lr ${lowerLr(a.lr, 3)}`, why: 'a smaller step lets the loss settle' },
      {
        flags: `--batch-size ${Number(a.params.batchSize ?? 64) * 2}`,
        why: 'larger batches give less noisy gradients',
      },
    ],
  };
}

/** Both curves flat: poor (underfitting) or merely done improving (plateau). */
export function detectFlatCurves(a: Analysis, overfitting: boolean): Finding | null {
  if (a.acc.length < 3 || overfitting) return null;
  const recent = tail(a.acc, 5);
  const trend = slope(recent) ?? 0;
  const finalAcc = a.acc.at(-1)![1];
  const finalVal = a.valAcc.at(-1)?.[1] ?? null;
  const numClasses = Number(a.params.numClasses ?? 10);
  const poor = finalAcc < Math.max(0.5, 2 / numClasses) && (finalVal === null || finalVal < 0.5);
  const flat = Math.abs(trend) < 0.005;
  if (poor && flat) {
    return {
      kind: 'underfitting',
      severity: 'problem',
      onsetEpoch: recent[0]![0],
      evidence: {
        finalAccuracy: round(finalAcc),
        finalValAccuracy: finalVal === null ? null : round(finalVal),
        accuracyTrendPerEpoch: round(trend),
      },
      confidence: round(clamp01(0.6 + (0.5 - finalAcc)), 2),
      explanation: `Training accuracy is stuck at ${round(finalAcc, 3)} (changing ${round(trend * 100, 2)} points per epoch): the model cannot even fit the training set, so it is too constrained or the inputs are not what it expects.`,
      suggestedTag: 'underfitting',
      nextSteps: [
        {
          flags: '--trainable-from block4_conv1',
          why: 'training more layers gives the model room to adapt',
        },
        ...(a.params.preprocessing === 'unit'
          ? [
              {
                flags: '--preprocessing caffe',
                why: 'feed the ImageNet weights the inputs they were trained on',
              },
            ]
          : []),
        {
          flags: `--epochs ${Number(a.params.epochs ?? a.lastEpoch) * 2}`,
          why: 'if the curve is still creeping up, give it time',
        },
      ],
    };
  }
  const sinceBest = a.bestEpoch === null ? 0 : a.lastEpoch - a.bestEpoch;
  if (flat && a.bestEpoch !== null && sinceBest >= 5) {
    return {
      kind: 'plateau',
      severity: 'info',
      onsetEpoch: a.bestEpoch + 1,
      evidence: {
        bestEpoch: a.bestEpoch,
        epochsSinceBest: sinceBest,
        accuracyTrendPerEpoch: round(trend),
      },
      confidence: round(clamp01(0.5 + sinceBest / 20), 2),
      explanation: `Nothing improved in the last ${sinceBest} epochs (best at epoch ${a.bestEpoch}): the run has converged for this learning rate, and the extra epochs cost time without gain.`,
      suggestedTag: 'plateau',
      nextSteps: [
        { flags: '--early-stopping 3', why: 'stop once validation stops improving' },
        {
          flags: `--lr ${lowerLr(a.lr, 10)}`,
          why: 'a smaller step can find a little more once the big gains are made',
        },
      ],
    };
  }
  return null;
}
