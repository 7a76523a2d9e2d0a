import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { seedWeights } from '../testing/seeded-weights.js';
import { buildTransferModel, type TransferModel } from '../transfer.js';
import { buildVgg16Base } from '../vgg16.js';
import { startSuffixTrainer, suffixSpecOf } from './suffix-trainer.js';

beforeAll(async () => {
  await selectBackend('wasm', { wasmThreads: 2 });
});

/**
 * Two transfer models with the same weights: seeded trainable ones, so that a bound that holds
 * here holds on every run (on unseeded weights 3 runs in 33 failed one by a little).
 */
function twins(units = 32): [TransferModel, TransferModel] {
  const a = buildTransferModel({ base: buildVgg16Base(), head: { units } });
  const b = buildTransferModel({ base: buildVgg16Base(), head: { units } });
  seedWeights(a.trainableSuffix);
  b.model.setWeights(a.model.getWeights());
  return [a, b];
}

/** Block4 features: relu outputs, many of them 0, as the frozen prefix gives. */
function features(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: count * 2 * 2 * 512 }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.max(0, (s / 2 ** 32) * 6 - 3);
  });
}

const labelsOf = (count: number, seed: number) =>
  Int32Array.from({ length: count }, (_, i) => (i * 7 + seed) % 10);

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

const suffixWeights = (t: TransferModel) =>
  t.trainableSuffix.trainableWeights.map((w) => w.read().dataSync() as Float32Array);

describe('ONNX suffix trainer', () => {
  it('takes the RMSProp steps tfjs trainOnBatch takes, and writes them back', async () => {
    const [onTfjs, onOnnx] = twins();
    const trainer = await startSuffixTrainer(onOnnx, { threads: 2 });
    try {
      expect(trainer.detail).toMatch(/^onnxruntime-node \d+\.\d+\.\d+, 2 threads$/);
      const initial = suffixWeights(onTfjs).map((w) => w.slice());
      for (let step = 0; step < 3; step++) {
        const x = features(8, step + 1);
        const labels = labelsOf(8, step);
        const xt = tf.tensor(x, [8, 2, 2, 512]);
        const yt = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat();
        const [tfLoss, tfAccuracy] = (await onTfjs.trainableSuffix.trainOnBatch(
          xt,
          yt,
        )) as number[];
        tf.dispose([xt, yt]);
        const { loss, correct } = await trainer.step(x, labels);
        expect(Math.abs(loss - tfLoss!)).toBeLessThanOrEqual(1e-5 * tfLoss!);
        expect(correct / 8).toBe(tfAccuracy);
      }
      // Not yet synced: the tfjs model still has its initial weights.
      expect(maxAbsDiff(suffixWeights(onOnnx)[0]!, initial[0]!)).toBe(0);
      await trainer.sync();
      const a = suffixWeights(onTfjs);
      const b = suffixWeights(onOnnx);
      a.forEach((w, i) => {
        // Each step moves a weight by up to lr · √10 ≈ 3e-3: a wrong gradient shows at that
        // size. Float32 sums in another order differ by ~1e-7 on gradients of order 1; for a
        // near-zero gradient RMSProp turns that into a step difference of up to √(1/ε)·lr ≈ 3×
        // it: ~1e-6 (1.4e-6 seen on unseeded weights; 4.1e-7 on these, the same every run).
        expect(maxAbsDiff(w, initial[i]!)).toBeGreaterThan(1e-3);
        expect(maxAbsDiff(w, b[i]!)).toBeLessThan(1e-5);
      });
      // The optimizer's mean squares went back too: the next tfjs step continues from them.
      const slots = async (t: TransferModel) =>
        (await t.trainableSuffix.optimizer.getWeights()).map((s) => s.tensor.dataSync());
      const [sa, sb] = [await slots(onTfjs), await slots(onOnnx)];
      expect(sb).toHaveLength(sa.length);
      expect(sb[0]![0]).toBe(3); // iterations
      for (let i = 1; i <= a.length; i++) {
        const scale = (sa[i] as Float32Array).reduce((m, v) => Math.max(m, v), 0);
        expect(maxAbsDiff(sa[i] as Float32Array, sb[i] as Float32Array)).toBeLessThan(1e-5 * scale);
      }
      // Predictions with the trained weights agree with tfjs'.
      const x = features(5, 99);
      const probabilities = await trainer.predict(x, 5);
      const expected = tf.tidy(
        () => onTfjs.trainableSuffix.predict(tf.tensor(x, [5, 2, 2, 512])) as tf.Tensor,
      );
      expect(maxAbsDiff(probabilities, expected.dataSync() as Float32Array)).toBeLessThan(1e-6);
      expected.dispose();
    } finally {
      await trainer.close();
    }
  });

  it('says why a suffix is not one it can train', () => {
    const base = () => buildVgg16Base();
    const reason = (t: TransferModel) => {
      const shape = suffixSpecOf(t);
      return 'reason' in shape ? shape.reason : null;
    };
    expect(reason(buildTransferModel({ base: base(), head: { units: 8 } }))).toBeNull();
    expect(reason(buildTransferModel({ base: base(), head: { units: 8, dropout: 0.5 } }))).toMatch(
      /layer dropout \(Dropout\) is not in the ONNX suffix trainer's pattern/,
    );
    expect(
      reason(buildTransferModel({ base: base(), optimizer: { name: 'adam' }, head: { units: 8 } })),
    ).toMatch(/^optimizer Adam: the ONNX suffix trainer has RMSProp only/);
    expect(
      reason(
        buildTransferModel({ base: base(), trainableFrom: 'block4_conv3', head: { units: 8 } }),
      ),
    ).toMatch(/^features \[4, 4, 512\]: the ONNX suffix trainer needs at most 2×2 pixels/);
  });
});
