import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare-runs.js';

const run = (params: Record<string, unknown>, valAcc: number, gap: number) => ({
  params,
  epochs: [1, 2, 3].map((epoch) => ({
    epoch,
    accuracy: valAcc + gap,
    val_accuracy: valAcc,
    loss: 1 / epoch,
    val_loss: 1.1 / epoch,
  })),
});

describe('compareRuns', () => {
  it('says in words what changed and what it did', () => {
    const baseline = run({ dropout: 0, lr: 0.001, optimizer: 'rmsprop' }, 0.6, 0.3);
    const next = run(
      { dropout: 0.5, lr: 0.001, optimizer: 'rmsprop', augment: 'flip' },
      0.631,
      0.18,
    );
    const c = compareRuns(next, baseline);
    expect(c.paramChanges).toEqual([
      { key: 'augment', from: undefined, to: 'flip' },
      { key: 'dropout', from: 0, to: 0.5 },
    ]);
    expect(c.deltas).toMatchObject({ bestValAccuracyPoints: 3.1, finalGapPoints: -12, epochs: 0 });
    expect(c.summary).toBe(
      'augment (unset) → flip, dropout 0 → 0.5: best val_accuracy +3.1 points, final gap −12 points',
    );
  });

  it('says so when nothing changed', () => {
    const a = run({ lr: 0.001 }, 0.6, 0.1);
    expect(compareRuns(a, a).summary).toBe(
      'same params: best val_accuracy ±0 points, final gap ±0 points',
    );
  });
});
