import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';
import { type BatchLogs, fitTransferModel } from './fit.js';
import { imagesInMemory } from './image-source.js';
import { preprocessImages } from './preprocess.js';
import { seedWeights } from './testing/seeded-weights.js';
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

/**
 * Two transfer models with the same weights (the second's copied from the first), seeded:
 * the ONNX-against-tfjs bounds then hold on every run, not on most draws of the weights.
 */
function twins(
  options: Omit<Parameters<typeof buildTransferModel>[0], 'base'> = {},
): [TransferModel, TransferModel] {
  const a = buildTransferModel({ base: buildVgg16Base(), ...options });
  const b = buildTransferModel({ base: buildVgg16Base(), ...options });
  seedWeights(a.model);
  b.model.setWeights(a.model.getWeights());
  return [a, b];
}

const same = (x: Float32Array, y: Float32Array) =>
  Buffer.from(x.buffer).equals(Buffer.from(y.buffer));

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
      frozenEngine: 'tfjs',
      suffixEngine: 'tfjs',
      callbacks: {
        onBatchEnd: (_, logs) => void losses.cached!.push(logs),
        onCacheProgress: (p) => void progress.push(p.done),
      },
    });
    expect(a.featureCache).toEqual({ used: false, reason: 'turned off (featureCache: off)' });
    expect(b.featureCache.used).toBe(true);
    expect(b.frozen).toMatchObject({ engine: 'tfjs', path: 'feature cache' });
    expect(b.suffix).toMatchObject({ engine: 'tfjs', reason: 'asked for tfjs' });
    expect(a.suffix).toMatchObject({ engine: 'tfjs', reason: 'the whole model trains on tfjs' });
    expect(b.featureCache.reason).toMatch(/frozen through block4_pool: features \[2, 2, 512\]/);
    expect(progress).toEqual([8, 16]);
    expect(losses.whole).toHaveLength(2);
    expect(losses.cached).toEqual(losses.whole); // same losses, to the last bit
    const wa = weightsOf(whole);
    const wb = weightsOf(cached);
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
    expect(augmented.featureCache.used).toBe(false);
    expect(augmented.frozen).toMatchObject({ engine: 'onnx', path: 'frozen forward per batch' });
    expect(augmented.frozen.reason).toMatch(/^inputs are augmented, so frozen features change/);
    const t = buildTransferModel({ base: buildVgg16Base(), head: { units: 16 } });
    t.model.getLayer('block2_conv1').trainable = true;
    await expect(fitTransferModel(t, { train, epochs: 1, featureCache: 'on' })).rejects.toThrow(
      /cannot be exact: layer block2_conv1 before block5_conv1 is trainable/,
    );
  });

  it('trains flip-only augmentation on cached features of images and mirrors, bit for bit', async () => {
    const [whole, cached] = twins({ trainableFrom: 'block5_conv1', head: { units: 32 } });
    const start = whole.model.getWeights().map((w) => w.clone());
    const common = { train: randomImages(12, 8), epochs: 2, batchSize: 6, seed: 3 };
    const losses: Record<string, number[]> = { whole: [], cached: [] };
    const progress: number[] = [];
    const a = await fitTransferModel(whole, {
      ...common,
      augment: { flip: true },
      featureCache: 'off',
      callbacks: { onBatchEnd: (_, logs) => void losses.whole!.push(logs.loss) },
    });
    const b = await fitTransferModel(cached, {
      ...common,
      augment: { flip: true },
      frozenEngine: 'tfjs',
      suffixEngine: 'tfjs',
      callbacks: {
        onBatchEnd: (_, logs) => void losses.cached!.push(logs.loss),
        onCacheProgress: (p) => void progress.push(p.done / p.total),
      },
    });
    expect(a.frozen.path).toBe('whole model');
    expect(b.frozen).toMatchObject({ engine: 'tfjs', path: 'feature cache with mirrors' });
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]); // 12 images and 12 mirrors, 6 at a time
    expect(losses.cached).toEqual(losses.whole);
    const wa = weightsOf(whole);
    const wb = weightsOf(cached);
    for (const [i, w] of wa.entries()) expect(same(w, wb[i]!), `weight ${i}`).toBe(true);
    // Flips were drawn: from the same start without them, the losses differ.
    const plain = buildTransferModel({ base: buildVgg16Base(), head: { units: 32 } });
    plain.model.setWeights(start);
    const unflipped: number[] = [];
    await fitTransferModel(plain, {
      ...common,
      frozenEngine: 'tfjs',
      suffixEngine: 'tfjs',
      callbacks: { onBatchEnd: (_, logs) => void unflipped.push(logs.loss) },
    });
    expect(unflipped).toHaveLength(losses.whole!.length);
    expect(unflipped).not.toEqual(losses.whole);
  });

  it('on ONNX Runtime: cached and per-batch (shifted) features train as tfjs does', async () => {
    // The frozen layers and the trainable ones on ONNX Runtime, against both on tfjs.
    const [onTfjs, onOnnx] = twins({ trainableFrom: 'block5_conv1', head: { units: 32 } });
    const common = { train: randomImages(12, 9), epochs: 1, batchSize: 4, seed: 4 };
    const run = async (
      t: TransferModel,
      options: Partial<Parameters<typeof fitTransferModel>[1]>,
    ) => {
      const losses: number[] = [];
      const result = await fitTransferModel(t, {
        ...common,
        ...options,
        callbacks: { onBatchEnd: (_, logs) => void losses.push(logs.loss) },
      });
      return { result, losses };
    };
    const close = (a: number[], b: number[]) =>
      a.every((v, i) => Math.abs(v - b[i]!) <= 1e-4 * Math.abs(b[i]!) + 1e-6);

    const tfjsCached = await run(onTfjs, { frozenEngine: 'tfjs', suffixEngine: 'tfjs' });
    const onnxCached = await run(onOnnx, { frozenEngine: 'onnx', suffixEngine: 'onnx' });
    expect(onnxCached.result.frozen).toMatchObject({ engine: 'onnx', path: 'feature cache' });
    expect(onnxCached.result.frozen.detail).toMatch(/^onnxruntime-node /);
    expect(onnxCached.result.suffix).toMatchObject({ engine: 'onnx', reason: 'asked for onnx' });
    expect(onnxCached.result.suffix.detail).toMatch(/^onnxruntime-node /);
    expect(tfjsCached.losses).toHaveLength(3);
    expect(close(onnxCached.losses, tfjsCached.losses)).toBe(true);

    // From one start again: the cached runs above left slightly different weights.
    const [wholeAgain, perBatch] = twins({ trainableFrom: 'block5_conv1', head: { units: 32 } });
    const shift = { augment: { flip: true, shift: 3 }, seed: 11 };
    const tfjsShifted = await run(wholeAgain, { ...shift, featureCache: 'off' });
    const onnxShifted = await run(perBatch, { ...shift, frozenEngine: 'onnx' });
    expect(onnxShifted.result.suffix.engine).toBe('onnx'); // auto
    expect(tfjsShifted.result.frozen.path).toBe('whole model');
    expect(onnxShifted.result.frozen).toMatchObject({
      engine: 'onnx',
      path: 'frozen forward per batch',
    });
    expect(close(onnxShifted.losses, tfjsShifted.losses)).toBe(true);
  });

  it('returns the confusion matrix of the validation pass the final weights had', async () => {
    const t = buildTransferModel({ base: buildVgg16Base(), head: { units: 16 } });
    const validation = randomImages(10, 12);
    const predictNow = async () => {
      const batch = await validation.read(Array.from({ length: 10 }, (_, i) => i));
      const classes = tf.tidy(() =>
        tf
          .argMax(
            t.model.predict(
              preprocessImages(
                tf.tensor4d(Float32Array.from(batch.images), [10, 32, 32, 3]),
                'caffe',
              ),
            ) as tf.Tensor2D,
            1,
          )
          .dataSync(),
      );
      const matrix = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
      for (let i = 0; i < 10; i++) matrix[batch.labels[i]!]![classes[i]!]! += 1;
      return matrix;
    };
    const last = await fitTransferModel(t, {
      train: randomImages(8, 13),
      validation,
      epochs: 2,
      batchSize: 4,
      frozenEngine: 'tfjs',
    });
    expect(last.validation).toMatchObject({
      epoch: 1,
      which: 'last epoch',
      accuracy: last.history[1]!.val_accuracy,
      loss: last.history[1]!.val_loss,
    });
    expect(last.validation!.confusionMatrix).toEqual(await predictNow());
    const perClass = last.validation!.confusionMatrix.map((row, k) =>
      row.reduce((a, b) => a + b, 0) === 0 ? Number.NaN : row[k]! / row.reduce((a, b) => a + b, 0),
    );
    expect(last.validation!.perClassAccuracy).toEqual(perClass);

    const best = await fitTransferModel(t, {
      train: randomImages(8, 13),
      validation,
      epochs: 2,
      batchSize: 4,
      frozenEngine: 'tfjs',
      earlyStopping: { monitor: 'loss', minDelta: 10, restoreBestWeights: true },
    });
    expect(best.restoredBestWeights).toBe(true);
    expect(best.validation).toMatchObject({
      epoch: 0,
      which: 'best epoch',
      accuracy: best.history[0]!.val_accuracy,
    });
    expect(best.validation!.confusionMatrix).toEqual(await predictNow());
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
