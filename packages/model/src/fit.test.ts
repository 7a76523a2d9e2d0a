import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';
import { type BatchLogs, fitTransferModel } from './fit.js';
import { imagesInMemory } from './image-source.js';
import { buildTransferModel, type TransferModel } from './transfer.js';
import { buildVgg16Base } from './vgg16.js';

beforeAll(async () => {
  await selectBackend('wasm', { wasmThreads: 2 });
});

function randomImages(count: number, seed: number, side = 32) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
  const images = Uint8Array.from({ length: count * side * side * 3 }, next);
  const labels = Uint8Array.from({ length: count }, () => next() % 10);
  return imagesInMemory(images, labels, [side, side, 3]);
}

/** Two transfer models with the same weights (the second's copied from the first). */
function twins(
  options: Omit<Parameters<typeof buildTransferModel>[0], 'base'> = {},
): [TransferModel, TransferModel] {
  const a = buildTransferModel({ base: buildVgg16Base(), ...options });
  const b = buildTransferModel({ base: buildVgg16Base(), ...options });
  b.model.setWeights(a.model.getWeights());
  return [a, b];
}

function weightsOf(t: TransferModel): Float32Array[] {
  return t.model.getWeights().map((w) => w.dataSync() as Float32Array);
}

describe('fitTransferModel', () => {
  it('trains identically with and without the frozen-prefix feature cache', async () => {
    const [whole, cached] = twins({ trainableFrom: 'block5_conv1', head: { units: 64 } });
    const initial = weightsOf(whole).map((w) => w.slice());
    const train = randomImages(16, 1);
    const losses: Record<string, BatchLogs[]> = { whole: [], cached: [] };
    const common = { train, epochs: 1, batchSize: 8, seed: 5 };
    const a = await fitTransferModel(whole, {
      ...common,
      featureCache: 'off',
      callbacks: { onBatchEnd: (_, logs) => void losses.whole!.push(logs) },
    });
    const progress: number[] = [];
    const b = await fitTransferModel(cached, {
      ...common,
      featureCache: 'on',
      callbacks: {
        onBatchEnd: (_, logs) => void losses.cached!.push(logs),
        onCacheProgress: (p) => void progress.push(p.done),
      },
    });
    expect(a.featureCache).toEqual({ used: false, reason: 'turned off (featureCache: off)' });
    expect(b.featureCache.used).toBe(true);
    expect(b.featureCache.reason).toMatch(/frozen through block4_pool: features \[2, 2, 512\]/);
    expect(progress).toEqual([8, 16]);
    expect(losses.whole).toHaveLength(2);
    expect(losses.cached).toEqual(losses.whole); // same losses, to the last bit
    const wa = weightsOf(whole);
    const wb = weightsOf(cached);
    const same = (x: Float32Array, y: Float32Array) =>
      Buffer.from(x.buffer).equals(Buffer.from(y.buffer));
    const names = whole.model.weights.map((w) => w.originalName);
    const at = (name: string) => names.indexOf(name);
    expect(same(wa[at('block1_conv1/kernel')]!, initial[at('block1_conv1/kernel')]!)).toBe(true); // frozen
    expect(same(wa[at('block5_conv1/kernel')]!, initial[at('block5_conv1/kernel')]!)).toBe(false); // trained
    expect(same(wa[at('fc1/kernel')]!, initial[at('fc1/kernel')]!)).toBe(false);
    for (const [i, w] of wa.entries()) expect(same(w, wb[i]!), `weight ${i}`).toBe(true);
  });

  it("uses the cache by default when exact, and says why not when it isn't", async () => {
    const train = randomImages(4, 2);
    const defaulted = await fitTransferModel(
      buildTransferModel({ base: buildVgg16Base(), head: { units: 16 } }),
      {
        train,
        epochs: 1,
      },
    );
    expect(defaulted.featureCache.used).toBe(true);
    const augmented = await fitTransferModel(
      buildTransferModel({ base: buildVgg16Base(), head: { units: 16 } }),
      {
        train,
        epochs: 1,
        augment: (batch) => batch.images.reverse(),
      },
    );
    expect(augmented.featureCache).toEqual({
      used: false,
      reason: 'inputs are augmented, so frozen features change each epoch',
    });
    const t = buildTransferModel({ base: buildVgg16Base(), head: { units: 16 } });
    t.model.getLayer('block2_conv1').trainable = true;
    await expect(fitTransferModel(t, { train, epochs: 1, featureCache: 'on' })).rejects.toThrow(
      /cannot be exact: layer block2_conv1 before block5_conv1 is trainable/,
    );
  });

  it('reports batch and epoch logs with validation, keeps tensor count flat, and stops on request', async () => {
    const t = buildTransferModel({ base: buildVgg16Base(), head: { units: 16 } });
    const train = randomImages(12, 3);
    const validation = randomImages(6, 4);
    const tensorsAtBatchEnd: number[] = [];
    const epochs: number[] = [];
    const result = await fitTransferModel(t, {
      train,
      validation,
      epochs: 5,
      batchSize: 5,
      callbacks: {
        onBatchEnd: () => void tensorsAtBatchEnd.push(tf.memory().numTensors),
        onEpochEnd: (epoch, logs) => {
          epochs.push(epoch);
          expect(Object.keys(logs).sort()).toEqual([
            'accuracy',
            'loss',
            'val_accuracy',
            'val_loss',
          ]);
          expect(logs.val_loss).toBeGreaterThan(0);
          return epoch === 2 ? 'stop' : undefined;
        },
      },
    });
    expect(epochs).toEqual([0, 1, 2]);
    expect(result.stopped).toBe('callback');
    expect(result.history).toHaveLength(3);
    expect(tensorsAtBatchEnd).toHaveLength(9); // 3 batches (5, 5, 2) × 3 epochs
    expect(new Set(tensorsAtBatchEnd.slice(3)).size).toBe(1); // after the first epoch: flat
  });

  it('tracks the best epoch and restores its weights', async () => {
    const t = buildTransferModel({ base: buildVgg16Base(), head: { units: 16 } });
    const snapshots: Float32Array[][] = [];
    const result = await fitTransferModel(t, {
      train: randomImages(8, 5),
      epochs: 3,
      batchSize: 4,
      // No later epoch can beat the first by 10 nats, so epoch 0 stays the best.
      earlyStopping: { monitor: 'loss', minDelta: 10, restoreBestWeights: true },
      callbacks: { onEpochEnd: () => void snapshots.push(weightsOf(t)) },
    });
    expect(result).toMatchObject({ bestEpoch: 0, restoredBestWeights: true, stopped: null });
    expect(result.history).toHaveLength(3);
    const final = weightsOf(t);
    const differs = (a: Float32Array[], b: Float32Array[]) =>
      a.some((w, i) => !Buffer.from(w.buffer).equals(Buffer.from(b[i]!.buffer)));
    expect(differs(snapshots[2]!, snapshots[0]!)).toBe(true); // training moved on…
    expect(differs(final, snapshots[0]!)).toBe(false); // …and was put back
  });

  it('stops after patience epochs without improvement', async () => {
    const t = buildTransferModel({ base: buildVgg16Base(), head: { units: 16 } });
    const result = await fitTransferModel(t, {
      train: randomImages(4, 6),
      epochs: 6,
      // Nothing improves by 10 nats: stops after the first epoch plus `patience` more.
      earlyStopping: { monitor: 'loss', patience: 2, minDelta: 10 },
    });
    expect(result.stopped).toBe('early-stopping');
    expect(result.history).toHaveLength(3);
    expect(result.bestEpoch).toBe(0);
  });

  it('names the mismatch when images do not fit the model', async () => {
    const t = buildTransferModel({ base: buildVgg16Base(), head: { units: 16 } });
    await expect(fitTransferModel(t, { train: randomImages(2, 7, 48), epochs: 1 })).rejects.toThrow(
      /train images are \[48, 48, 3\], the model takes \[32, 32, 3\]/,
    );
  });
});
