import { describe, expect, it } from 'vitest';
import { diagnose } from './diagnose.js';
import type { EpochMetrics, FindingKind, RunForDiagnosis } from './types.js';

/** Curves from formulas of the epoch (1-based), 60 s an epoch. */
function curves(n: number, f: (e: number) => Omit<EpochMetrics, 'epoch'>): EpochMetrics[] {
  return Array.from({ length: n }, (_, i) => ({ epoch: i + 1, epoch_seconds: 60, ...f(i + 1) }));
}

const seedParams = {
  optimizer: 'rmsprop',
  lr: 0.001,
  batchSize: 64,
  epochs: 25,
  trainableFrom: 'block5_conv1',
  dropout: 0,
  augment: 'none',
  weights: 'imagenet',
  preprocessing: 'caffe',
};

/** The seed's run: training accuracy 0.6 → 0.99, validation stuck near 0.6, val loss rising from epoch 3. */
const seed = curves(25, (e) => ({
  accuracy: 0.6 + (0.39 * (e - 1)) / 24,
  loss: 1.2 * 0.85 ** e,
  val_accuracy: 0.6 + 0.01 * Math.sin(e),
  val_loss: e <= 2 ? 1.1 - 0.05 * e : 1.0 + 0.08 * (e - 2),
}));

const healthyCurves = curves(15, (e) => ({
  accuracy: 0.5 + 0.4 * (1 - Math.exp(-e / 4)),
  val_accuracy: 0.49 + 0.39 * (1 - Math.exp(-e / 4)),
  loss: 1.5 * Math.exp(-e / 5) + 0.3,
  val_loss: 1.5 * Math.exp(-e / 5) + 0.33,
}));

const kinds = (run: RunForDiagnosis) =>
  diagnose(run)
    .findings.map((f) => f.kind)
    .sort();

describe('diagnose', () => {
  it("recognises the seed's overfitting, with its onset, evidence and concrete next steps", () => {
    const d = diagnose({ epochs: seed, params: seedParams });
    const f = d.findings.find((x) => x.kind === 'overfitting')!;
    expect(f).toBeDefined();
    // The onset: the last epoch at the bottom of the smoothed validation loss (within 3% of it).
    expect(f.onsetEpoch).toBe(3);
    expect(f.evidence.onsetEpoch).toBe(3);
    expect(f.suggestedTag).toBe('overfitting');
    expect(f.confidence).toBeGreaterThan(0.7);
    expect(f.explanation).toMatch(
      /Validation loss stayed at its lowest \(1\.0\d+, smoothed\) until epoch 3/,
    );
    const flags = f.nextSteps.map((s) => s.flags);
    expect(flags).toEqual(
      expect.arrayContaining([
        '--augment flip,shift=4',
        '--dropout 0.5',
        '--trainable-from block5_conv3',
        '--lr 1e-4',
      ]),
    );
    const early = f.nextSteps.find((s) => s.flags === '--early-stopping 3')!;
    expect(early.why).toBe(
      'would have stopped at epoch 6 and saved 19 minutes, keeping the weights of epoch 3',
    );
    expect(early.expect).toBe('the run stops by epoch 6 with the validation loss of epoch 3');
    expect(d.verdict.kind).toBe('overfitting');
    expect(d.findings[0]?.kind).toBe('overfitting');
    expect(d.gap.final).toBeGreaterThan(0.35);
    expect(kinds({ epochs: seed, params: seedParams })).not.toContain('healthy');
  });

  it('does not call healthy curves overfitting', () => {
    expect(kinds({ epochs: healthyCurves, params: seedParams })).toEqual(['healthy']);
    // Noisy but healthy: small wiggles on validation loss around a falling trend.
    const noisy = healthyCurves.map((e, i) => ({
      ...e,
      val_loss: e.val_loss! + (i % 2 ? 0.01 : -0.01),
    }));
    expect(kinds({ epochs: noisy, params: seedParams })).toEqual(['healthy']);
  });

  it('sees overfitting by the gap alone when validation loss is missing', () => {
    const gapOnly = seed.map(({ val_loss: _, ...e }) => e);
    const f = diagnose({ epochs: gapOnly, params: seedParams }).findings.find(
      (x) => x.kind === 'overfitting',
    );
    expect(f?.onsetEpoch).toBe(seed.find((e) => e.accuracy! - e.val_accuracy! > 0.1)!.epoch);
  });

  it.each<[string, EpochMetrics[], Record<string, unknown>, FindingKind[]]>([
    [
      'underfitting: flat and poor',
      curves(10, (e) => ({
        accuracy: 0.2 + 0.001 * e,
        val_accuracy: 0.19,
        loss: 2.2,
        val_loss: 2.25,
      })),
      { ...seedParams, preprocessing: 'unit' },
      ['preprocessing_mismatch', 'underfitting'],
    ],
    [
      'plateau: good but done improving',
      curves(14, (e) => ({
        accuracy: e < 5 ? 0.6 + 0.05 * e : 0.8,
        val_accuracy: e < 5 ? 0.58 + 0.05 * e : 0.77,
        loss: e < 5 ? 1 - 0.1 * e : 0.5,
        val_loss: e < 5 ? 1.02 - 0.1 * e : 0.53,
      })),
      seedParams,
      ['healthy', 'plateau'],
    ],
    [
      'divergence: NaN loss',
      curves(6, (e) => ({
        accuracy: e < 4 ? 0.5 : 0.1,
        loss: e < 4 ? 1 : Number.NaN,
        val_loss: e < 4 ? 1.1 : Number.NaN,
        val_accuracy: 0.1,
      })),
      { ...seedParams, lr: 0.5 },
      ['divergence', 'learning_rate_out_of_range'],
    ],
    [
      'divergence: exploding loss',
      curves(6, (e) => ({
        accuracy: 0.3,
        loss: e < 4 ? 1 - 0.1 * e : 40 * e,
        val_accuracy: 0.3,
        val_loss: 1,
      })),
      seedParams,
      ['divergence'],
    ],
    [
      'instability: zig-zag validation loss',
      curves(12, (e) => ({
        accuracy: 0.5 + 0.02 * e,
        val_accuracy: 0.48 + 0.02 * e,
        loss: 1 - 0.03 * e,
        val_loss: 1 - 0.02 * e + (e % 2 ? 0.3 : -0.2),
      })),
      { ...seedParams, lr: 0.01 },
      ['instability'],
    ],
    [
      'validation that overlaps training',
      healthyCurves,
      { ...seedParams, validation: 'train' },
      ['healthy', 'validation_overlap'],
    ],
  ])('%s', (_name, epochs, params, expected) => {
    expect(kinds({ epochs, params })).toEqual(expected);
  });

  it('finds divergence with its onset epoch and the NaN named', () => {
    const epochs = curves(6, (e) => ({ loss: e < 4 ? 1 : Number.NaN, accuracy: 0.5 }));
    const f = diagnose({ epochs, params: seedParams }).findings[0]!;
    expect(f).toMatchObject({ kind: 'divergence', onsetEpoch: 4, evidence: { loss: 'NaN' } });
    expect(f.nextSteps[0]?.flags).toBe('--lr 1e-4');
  });

  it('does not call a run near chance healthy', () => {
    const chance = curves(2, (e) => ({
      accuracy: 0.09 + 0.01 * e,
      val_accuracy: 0.1 + 0.008 * e,
      loss: 2.3,
      val_loss: 2.3,
    }));
    expect(kinds({ epochs: chance, params: seedParams })).toEqual([]);
  });

  it('handles one epoch, no validation metrics and no epochs at all without inventing findings', () => {
    const one = diagnose({
      epochs: [{ epoch: 1, loss: 1, accuracy: 0.4, val_loss: 1.1, val_accuracy: 0.38 }],
      params: seedParams,
    });
    expect(one.findings).toEqual([]);
    expect(one.bestEpoch).toBe(1);
    const noVal = diagnose({
      epochs: curves(5, (e) => ({ loss: 1 / e, accuracy: 0.5 + 0.08 * e })),
      params: seedParams,
    });
    expect(noVal.bestEpoch).toBeNull();
    expect(noVal.findings).toEqual([]);
    const none = diagnose({ epochs: [], params: {} });
    expect(none).toMatchObject({ epochs: 0, bestEpoch: null, findings: [] });
  });

  it('reports the best epoch, epochs since and the gap trend', () => {
    const d = diagnose({ epochs: seed, params: seedParams });
    expect(d.bestBy).toBe('val_accuracy');
    expect(d.bestEpoch).toBe(
      seed.reduce((b, e) => (e.val_accuracy! > b.val_accuracy! ? e : b)).epoch,
    );
    expect(d.epochsSinceBest).toBe(25 - d.bestEpoch!);
    expect(d.gap.trendPerEpoch).toBeGreaterThan(0);
  });
});
