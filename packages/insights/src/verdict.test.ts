import { describe, expect, it } from 'vitest';
import { diagnose } from './diagnose.js';
import { liveReplay } from './eval/replay.js';
import type { EpochMetrics } from './types.js';
import { verdictRule } from './verdict.js';

function curves(n: number, f: (e: number) => Omit<EpochMetrics, 'epoch'>): EpochMetrics[] {
  return Array.from({ length: n }, (_, i) => ({ epoch: i + 1, epoch_seconds: 10, ...f(i + 1) }));
}

const scratch = {
  optimizer: 'rmsprop',
  lr: 0.001,
  batchSize: 64,
  epochs: 20,
  trainableFrom: 'block5_conv1',
  denseUnits: 512,
  dropout: 0,
  augment: { flip: false, shift: 0 },
  weights: 'none',
  preprocessing: 'caffe',
};

/** Memorising: training climbs to 0.95, validation loss lowest at epoch 6 and then rising. */
const overfit = curves(20, (e) => ({
  accuracy: Math.min(0.95, 0.2 + 0.05 * e),
  loss: 2.2 * 0.86 ** e,
  val_accuracy: 0.3 + 0.1 * (1 - Math.exp(-e / 3)),
  val_loss: 1.8 + 0.012 * (e - 6) ** 2,
}));

/** Learning steadily: validation follows training. */
const steady = curves(20, (e) => ({
  accuracy: 0.15 + 0.45 * (1 - Math.exp(-e / 6)),
  loss: 2.3 - 1.0 * (1 - Math.exp(-e / 6)),
  val_accuracy: 0.14 + 0.42 * (1 - Math.exp(-e / 6)),
  val_loss: 2.31 - 0.95 * (1 - Math.exp(-e / 6)),
}));

describe('the verdict', () => {
  it(`is "too early to tell" before ${verdictRule.minEpochs} epochs, with no confidence ≥ 0.8`, () => {
    const replay = liveReplay({ epochs: overfit, params: { ...scratch, lr: 0.5 } });
    for (const d of replay.slice(0, verdictRule.minEpochs - 1)) {
      expect(d.verdict.kind).toBe('too_early');
      expect(d.verdict.summary).toMatch(/^Too early to tell/);
      expect(d.findings.map((f) => f.kind)).toEqual(['learning_rate_out_of_range']);
      for (const f of d.findings) expect(f.confidence).toBeLessThan(0.8);
    }
    expect(replay.at(-1)?.verdict.kind).toBe('overfitting');
  });

  it('changes only when two epochs in a row agree, and says what it is waiting for', () => {
    // One bad epoch at 12 in an otherwise steady run.
    const spike = steady.map((e) =>
      e.epoch === 12
        ? { ...e, val_loss: e.val_loss! * 1.25, val_accuracy: e.val_accuracy! - 0.08 }
        : e,
    );
    const replay = liveReplay({ epochs: spike, params: scratch });
    const kinds = replay.map((d) => d.verdict.kind);
    expect(kinds.slice(verdictRule.minEpochs)).toEqual(
      kinds.slice(verdictRule.minEpochs).map(() => 'healthy'),
    );
    for (const d of replay) expect(d.findings.map((f) => f.kind)).not.toContain('overfitting');
  });

  it('holds the last verdict while the curves point elsewhere for a single epoch', () => {
    const then = overfit.slice(0, 13);
    const prefixes = liveReplay({ epochs: then, params: scratch });
    const firstShown = prefixes.findIndex((d) => d.verdict.kind === 'overfitting');
    expect(firstShown).toBeGreaterThanOrEqual(verdictRule.minEpochs);
    // The epoch before it was shown, the curves already said so: the verdict waited.
    expect(prefixes[firstShown - 1]?.verdict.held?.kind).toBe('overfitting');
  });

  it('shows a NaN training loss at once, as divergence', () => {
    const nan = steady.map((e) => (e.epoch >= 9 ? { ...e, loss: Number.NaN } : e));
    const d = diagnose({ epochs: nan.slice(0, 9), params: scratch });
    expect(d.verdict.kind).toBe('divergence');
    expect(d.findings[0]).toMatchObject({ kind: 'divergence', onsetEpoch: 9 });
  });
});

describe('NaN in validation only', () => {
  it('is its own finding, not divergence, and the overfitting is still found', () => {
    const epochs = overfit.map((e) => (e.epoch === 15 ? { ...e, val_loss: Number.NaN } : e));
    const d = diagnose({ epochs, params: scratch });
    const kinds = d.findings.map((f) => f.kind);
    expect(kinds).toContain('validation_nan');
    expect(kinds).not.toContain('divergence');
    expect(d.verdict.kind).toBe('overfitting');
    const nan = d.findings.find((f) => f.kind === 'validation_nan')!;
    expect(nan.evidence).toMatchObject({ metrics: 'val_loss', epochs: '15' });
  });
});

describe('stuck at chance', () => {
  const chance = curves(12, (e) => ({
    accuracy: 0.1 + 0.01 * Math.sin(e),
    loss: Math.LN10 + 0.002 * Math.cos(e),
    val_accuracy: 0.1 + 0.02 * Math.sin(e * 2),
    val_loss: Math.LN10 - 0.001,
  }));

  it('says it never left chance and points at the learning rate and preprocessing first', () => {
    const d = diagnose({ epochs: chance, params: scratch });
    expect(d.verdict.kind).toBe('stuck');
    const f = d.findings[0]!;
    expect(f.explanation).toMatch(/never left chance/);
    expect(f.explanation).toMatch(/learning rate/);
    expect(f.explanation).toMatch(/preprocess/);
    expect(f.nextSteps[0]?.flags).toBe('--lr 0.01');
    expect(d.findings.map((x) => x.kind)).not.toContain('underfitting');
  });

  it('with a loss far above guessing, says the learning rate is too high, once', () => {
    const high = chance.map((e) => ({ ...e, loss: 3 + 0.2 * Math.sin(e.epoch), val_loss: 3 }));
    const d = diagnose({ epochs: high, params: { ...scratch, lr: 5 } });
    expect(d.verdict.kind).toBe('stuck');
    const lrSteps = d.findings
      .flatMap((f) => f.nextSteps)
      .filter((s) => s.flags.startsWith('--lr'));
    expect(new Set(lrSteps.map((s) => s.flags))).toEqual(new Set(['--lr 0.01']));
  });
});

describe('advice fitted to the run', () => {
  it('never proposes fine-tuning pretrained layers when the weights are random', () => {
    const d = diagnose({ epochs: overfit, params: scratch });
    const steps = d.findings.flatMap((f) => f.nextSteps);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      expect(s.flags).not.toMatch(/--trainable-from/);
      expect(s.why).not.toMatch(/pretrained|fine-tun/);
      expect(s.expect.length).toBeGreaterThan(0);
    }
    const pretrained = diagnose({ epochs: overfit, params: { ...scratch, weights: 'imagenet' } });
    expect(pretrained.findings[0]?.nextSteps.map((s) => s.flags)).toContain(
      '--trainable-from block5_conv3',
    );
  });

  it('does not suggest what the run already does', () => {
    const d = diagnose({
      epochs: overfit,
      params: { ...scratch, augment: { flip: true, shift: 4 }, dropout: 0.5 },
    });
    const flags = d.findings[0]!.nextSteps.map((s) => s.flags);
    expect(flags).not.toContain('--augment flip,shift=4');
    expect(flags).not.toContain('--dropout 0.5');
  });

  it('says what happened when an earlier run of the notebook tried a step', () => {
    const earlier = {
      name: 'with-dropout',
      params: { ...scratch, dropout: 0.5 },
      epochs: steady,
    };
    const d = diagnose({ epochs: overfit, params: scratch, earlier: [earlier] });
    const step = d.findings[0]!.nextSteps.find((s) => s.flags === '--dropout 0.5')!;
    expect(step.tried).toMatch(
      /^tried in with-dropout: best val_accuracy 54\.5% \(\+14\.5 points against this run\)/,
    );
    expect(step.tried).toMatch(/diagnosed healthy/);
    const augment = d.findings[0]!.nextSteps.find((s) => s.flags.startsWith('--augment'))!;
    expect(augment.tried).toBeUndefined();
  });
});
