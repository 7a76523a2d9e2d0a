import type { Analysis } from './context.js';
import { clamp01, round } from './series.js';
import type { EvidenceCurve, Finding, NextStep } from './types.js';

export const instabilityRule = {
  /**
   * Share of consecutive epoch-to-epoch changes that reverse direction. A steady descent has
   * none; pure noise reverses about two times in three.
   */
  minFlipRate: 0.5,
  /**
   * Mean |change of val_loss| between epochs, relative to its median: runs of the corpus that
   * learnt steadily, or sat at chance, moved 2% or less.
   */
  minLossSwing: 0.05,
  /**
   * Mean |change of val_accuracy| between epochs, in accuracy (0.05 = 5 points), or more on a
   * small validation set: steadily learning runs of the corpus moved about 0.3/√N from epoch to
   * epoch on N validation images (4 points on 60, 2 on 500), so the bar is 0.5/√N when that is
   * higher.
   */
  minAccuracySwing: 0.05,
  accuracySwingPerRootImage: 0.5,
  /** Changes needed before a reversal rate means anything. */
  minChanges: 4,
  /**
   * Read over the recent half of the run: the epochs a run spends at chance before it learns
   * are flat and would dilute the swings that came after.
   */
  recentShare: 0.5,
};

interface Zigzag {
  flipRate: number;
  swing: number;
  changes: number;
  /** The epochs where the curve turned (a local top or bottom). */
  turns: [number, number][];
}

function zigzag(points: [number, number][], relative: boolean): Zigzag | null {
  if (points.length - 1 < instabilityRule.minChanges) return null;
  const diffs = points.slice(1).map(([, v], i) => v - points[i]![1]);
  const turns: [number, number][] = [];
  for (let i = 1; i < diffs.length; i++) {
    if (diffs[i]! * diffs[i - 1]! < 0) turns.push(points[i]!);
  }
  const sorted = points.map(([, v]) => v).sort((x, y) => x - y);
  const median = sorted[sorted.length >> 1]!;
  const meanChange = diffs.reduce((s, d) => s + Math.abs(d), 0) / diffs.length;
  return {
    flipRate: turns.length / (diffs.length - 1),
    swing: relative ? meanChange / Math.abs(median || 1) : meanChange,
    changes: diffs.length,
    turns,
  };
}

/**
 * Validation loss or accuracy that zig-zags: it reverses direction often, by a large share of
 * its level. The optimiser overshoots instead of settling (a learning rate too high for the
 * batch size, or batches so small that each step is mostly noise).
 */
export function detectInstability(a: Analysis): Finding | null {
  const { minFlipRate, minLossSwing, accuracySwingPerRootImage } = instabilityRule;
  const images = Number(a.params.validationImages);
  const minAccuracySwing = Math.max(
    instabilityRule.minAccuracySwing,
    images > 0 ? accuracySwingPerRootImage / Math.sqrt(images) : 0,
  );
  const recent = (points: [number, number][]) =>
    points.slice(
      -Math.max(
        instabilityRule.minChanges + 1,
        Math.ceil(points.length * instabilityRule.recentShare),
      ),
    );
  const loss = zigzag(recent(a.valLoss), true);
  const acc = zigzag(recent(a.valAcc), false);
  const lossUnstable = loss !== null && loss.flipRate >= minFlipRate && loss.swing >= minLossSwing;
  const accUnstable = acc !== null && acc.flipRate >= minFlipRate && acc.swing >= minAccuracySwing;
  if (!lossUnstable && !accUnstable) return null;
  // How far past the thresholds: 1 = just at them.
  const strength = Math.max(
    lossUnstable ? Math.min(loss.swing / minLossSwing, loss.flipRate / minFlipRate) : 0,
    accUnstable ? Math.min(acc.swing / minAccuracySwing, acc.flipRate / minFlipRate) : 0,
  );
  const firstTurn = [...(lossUnstable ? loss.turns : []), ...(accUnstable ? acc.turns : [])]
    .map(([e]) => e)
    .sort((x, y) => x - y)[0];
  const curves: EvidenceCurve[] = [];
  if (loss)
    curves.push({
      metric: 'val_loss',
      label: 'val_loss turns',
      style: 'marks',
      points: loss.turns,
    });
  if (acc)
    curves.push({
      metric: 'val_accuracy',
      label: 'val_accuracy turns',
      style: 'marks',
      points: acc.turns,
    });
  const parts: string[] = [];
  if (loss)
    parts.push(
      `over the last ${loss.changes + 1} epochs validation loss reversed direction in ${round(loss.flipRate * 100, 0)}% of epochs, moving ${round(loss.swing * 100, 1)}% of its level each time on average`,
    );
  if (acc)
    parts.push(
      `validation accuracy reversed in ${round(acc.flipRate * 100, 0)}%, by ${round(acc.swing * 100, 1)} points on average`,
    );
  const steps: NextStep[] = [
    {
      flags: `--lr ${a.lrTimes(1 / 3)}`,
      why: 'a smaller step lets the loss settle instead of overshooting',
      expect: 'val_loss falls more steadily, reversing in fewer than half of the epochs',
    },
  ];
  if (a.run.batchSize < 128) {
    steps.push({
      flags: `--batch-size ${a.run.batchSize * 2}`,
      why: 'larger batches average out more of the noise in each step',
      expect: 'smaller epoch-to-epoch swings of validation accuracy',
    });
  }
  if (a.run.optimizer === 'sgd') {
    steps.push({
      flags: '--optimizer adam',
      why: 'adam scales each step to the gradient it has seen, which damps overshooting',
      expect: 'smaller epoch-to-epoch swings of validation loss',
    });
  }
  return {
    kind: 'instability',
    severity: 'warning',
    onsetEpoch: firstTurn ?? null,
    evidence: {
      valLossFlipRate: loss ? round(loss.flipRate, 2) : null,
      valLossSwingPercent: loss ? round(loss.swing * 100, 1) : null,
      valAccuracyFlipRate: acc ? round(acc.flipRate, 2) : null,
      valAccuracySwingPoints: acc ? round(acc.swing * 100, 1) : null,
    },
    confidence: round(clamp01(0.45 + 0.25 * (strength - 1)), 2),
    explanation: `The curves zig-zag: ${parts.join('; ')}. The optimiser overshoots instead of settling, so the best epoch is partly luck.`,
    suggestedTag: 'unstable',
    nextSteps: steps,
    curves,
  };
}
