import { describe, expect, it } from 'vitest';
import { type EpochMetrics, runSummary } from './metrics.js';

const epoch = (n: number, valAccuracy: number, valLoss: number, loss = 1): EpochMetrics => ({
  epoch: n,
  loss,
  accuracy: 0.5,
  val_loss: valLoss,
  val_accuracy: valAccuracy,
  lr: 0.001,
  epoch_seconds: 1,
  images_per_second: 100,
});

describe('runSummary', () => {
  it('names the best epoch by val_accuracy, the lowest val_loss and the last epoch', () => {
    const summary = runSummary([epoch(1, 0.5, 1.2), epoch(2, 0.7, 0.9), epoch(3, 0.6, 0.8)], {
      stopped: null,
      restoredBestWeights: false,
    });
    expect(summary).toEqual({
      bestEpoch: 2,
      bestValAccuracy: 0.7,
      bestValLoss: 0.8,
      epochs: 3,
      final: { loss: 1, accuracy: 0.5, val_loss: 0.8, val_accuracy: 0.6 },
      stopped: null,
      restoredBestWeights: false,
    });
  });

  it('stays JSON when the loss diverged', () => {
    const summary = runSummary([epoch(1, 0.1, Number.NaN, Number.POSITIVE_INFINITY)], {
      stopped: 'signal',
      restoredBestWeights: false,
    });
    expect(summary.final).toEqual({
      loss: 'Infinity',
      accuracy: 0.5,
      val_loss: 'NaN',
      val_accuracy: 0.1,
    });
    expect(summary.bestValLoss).toBe('NaN');
  });

  it('has no best epoch before the first one ends', () => {
    expect(runSummary([], { stopped: 'signal', restoredBestWeights: false })).toMatchObject({
      bestEpoch: null,
      epochs: 0,
      final: null,
    });
  });
});
