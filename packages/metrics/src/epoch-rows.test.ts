import { describe, expect, it } from 'vitest';
import { epochPoints, epochsFromRows } from './epoch-rows.js';

describe('epoch rows', () => {
  it('turns an epoch into one point per logged key, at step = epoch', () => {
    const points = epochPoints({ epoch: 3, loss: 0.5, val_accuracy: 0.7, lr: 0.001 }, 42);
    expect(points).toEqual([
      { key: 'loss', step: 3, epoch: 3, value: 0.5, wallTime: 42 },
      { key: 'val_accuracy', step: 3, epoch: 3, value: 0.7, wallTime: 42 },
      { key: 'lr', step: 3, epoch: 3, value: 0.001, wallTime: 42 },
    ]);
  });

  it('folds stored rows back into epochs in epoch order, keeping NaN', () => {
    const epochs = epochsFromRows([
      { key: 'val_loss', epoch: 2, value: Number.NaN },
      { key: 'loss', epoch: 1, value: 2.3 },
      { key: 'loss', epoch: 2, value: 1.9 },
      { key: 'val_loss', epoch: 1, value: 2.2 },
    ]);
    expect(epochs).toEqual([
      { epoch: 1, loss: 2.3, val_loss: 2.2 },
      { epoch: 2, loss: 1.9, val_loss: Number.NaN },
    ]);
  });

  it('round-trips: points of epochs read back as the same epochs', () => {
    const epochs = [
      { epoch: 1, loss: 2.1, accuracy: 0.2, val_loss: 2.0, val_accuracy: 0.25 },
      { epoch: 2, loss: 1.7, accuracy: 0.4, val_loss: 1.8, val_accuracy: 0.35 },
    ];
    const rows = epochs.flatMap((e) =>
      epochPoints(e, 0).map((p) => ({ key: p.key, epoch: p.step, value: p.value })),
    );
    expect(epochsFromRows(rows.reverse())).toEqual(epochs);
  });
});
