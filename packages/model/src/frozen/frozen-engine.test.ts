import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { seedWeights } from '../testing/seeded-weights.js';
import { buildTransferModel } from '../transfer.js';
import { buildVgg16Base } from '../vgg16.js';
import { type FrozenEngine, selectFrozenEngine } from './frozen-engine.js';

const engines: FrozenEngine[] = [];
beforeAll(async () => {
  await selectBackend('wasm', { wasmThreads: 2 });
});
afterAll(async () => {
  for (const engine of engines) await engine.close();
});

async function engine(...args: Parameters<typeof selectFrozenEngine>) {
  const started = await selectFrozenEngine(...args);
  engines.push(started);
  return started;
}

/** Largest |a − b| / |b| over the values of `b` above 1% of its largest magnitude. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < b.length; i++) max = Math.max(max, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (Math.abs(b[i]!) > 0.01 * max) {
      worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!));
    }
  }
  return worst;
}

/** Input-like values: preprocessed pixels span about ±125. */
function images(count: number, side: number, seed: number): Float32Array {
  return tf.tidy(
    () =>
      tf
        .randomUniform([count, side, side, 3], -125, 125, 'float32', seed)
        .dataSync() as Float32Array,
  );
}

/** 3×3 'same' ReLU conv in float64, NHWC, one image: the exact value both engines round. */
function convExact(x: Float64Array, side: number, layer: tf.layers.Layer): Float64Array {
  const [kernel, bias] = layer.getWeights().map((w) => w.dataSync());
  const cin = x.length / (side * side);
  const cout = bias!.length;
  const y = new Float64Array(side * side * cout);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      for (let o = 0; o < cout; o++) {
        let sum = bias![o]!;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const [yy, xx] = [i + dy, j + dx];
            if (yy < 0 || yy >= side || xx < 0 || xx >= side) continue;
            for (let c = 0; c < cin; c++) {
              sum +=
                x[(yy * side + xx) * cin + c]! *
                kernel![(((dy + 1) * 3 + dx + 1) * cin + c) * cout + o]!;
            }
          }
        }
        y[(i * side + j) * cout + o] = Math.max(0, sum);
      }
    }
  }
  return y;
}

describe('the frozen prefix on ONNX Runtime', () => {
  it('matches the tfjs forward within 1e-5 (relative, outputs above 1% of the max)', async () => {
    // Every op the translation knows: same and valid padding, stride 2, relu and linear, pool.
    const input = tf.input({ shape: [12, 12, 3] });
    const layers = [
      tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid' }),
      tf.layers.conv2d({ filters: 5, kernelSize: 1, useBias: false }),
    ];
    const output = layers.reduce(
      (x, layer) => layer.apply(x) as tf.SymbolicTensor,
      input as tf.SymbolicTensor,
    );
    const model = tf.model({ inputs: input, outputs: output });
    // Seeded kernels: on fresh unseeded ones an output near the 1% floor, a sum with
    // cancellation, now and then came out 1.6e-5 apart (a failed CI run).
    seedWeights(model);
    // Non-zero biases, so that a dropped or misplaced bias shows.
    for (const layer of model.layers) {
      const [kernel, bias] = layer.getWeights();
      if (bias) layer.setWeights([kernel!, tf.randomNormal(bias.shape, 0, 5, 'float32', 3)]);
    }
    const x = images(3, 12, 1);
    const onnx = await engine(model, 'onnx', { threads: 2 });
    expect(onnx.engine).toBe('onnx');
    const got = await onnx.forward(x, 3);
    const want = tf.tidy(() =>
      (model.predict(tf.tensor4d(x, [3, 12, 12, 3])) as tf.Tensor).dataSync(),
    );
    expect(got.length).toBe(3 * 2 * 2 * 5);
    expect(relativeError(got, want)).toBeLessThanOrEqual(1e-5);
  });

  it("is as close to the exact values as tfjs is, on VGG16's block1 (random weights)", async () => {
    const transfer = buildTransferModel({ base: buildVgg16Base(), trainableFrom: 'block2_conv1' });
    const prefix = transfer.frozenPrefix!;
    seedWeights(prefix); // the same weights on every run
    const x = images(1, 32, 2);
    const onnx = await engine(prefix, 'onnx', { threads: 2 });
    const tfjs = await engine(prefix, 'tfjs');
    const [conv1, conv2] = prefix.layers.filter((l) => l.getClassName() === 'Conv2D');
    const conv = convExact(convExact(Float64Array.from(x), 32, conv1!), 32, conv2!);
    // block1_pool: 2×2 max over [32, 32, 64].
    const exact = new Float64Array(16 * 16 * 64);
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 16; j++) {
        for (let c = 0; c < 64; c++) {
          const at = (y: number, x: number) => conv[(y * 32 + x) * 64 + c]!;
          exact[(i * 16 + j) * 64 + c] = Math.max(
            at(2 * i, 2 * j),
            at(2 * i, 2 * j + 1),
            at(2 * i + 1, 2 * j),
            at(2 * i + 1, 2 * j + 1),
          );
        }
      }
    }
    const onnxError = relativeError(await onnx.forward(x, 1), exact);
    const tfjsError = relativeError(await tfjs.forward(x, 1), exact);
    // Both are float32 sums of 576 products: rounding alone gives errors of order 1e-5 here.
    expect(onnxError).toBeLessThanOrEqual(Math.max(2 * tfjsError, 1e-6));
    expect(onnxError).toBeLessThan(1e-4);
  });

  it("'auto' picks onnx beside wasm; a layer it cannot translate falls back aloud", async () => {
    const transfer = buildTransferModel({ base: buildVgg16Base(), trainableFrom: 'block1_conv2' });
    const auto = await engine(transfer.frozenPrefix!);
    expect(auto).toMatchObject({ engine: 'onnx', warnings: [] });
    expect(auto.detail).toMatch(/^onnxruntime-node \d+\.\d+\.\d+, \d+ threads$/);
    expect(auto.reason).toMatch(/tfjs runs on wasm/);

    const input = tf.input({ shape: [4, 4, 3] });
    const odd = tf.model({
      inputs: input,
      outputs: tf.layers.batchNormalization({ name: 'bn' }).apply(input) as tf.SymbolicTensor,
    });
    const fallback = await engine(odd, 'auto');
    expect(fallback.engine).toBe('tfjs');
    expect(fallback.warnings).toHaveLength(1);
    expect(fallback.warnings[0]).toMatch(/frozen layer bn \(BatchNormalization\)/);
    await expect(selectFrozenEngine(odd, 'onnx')).rejects.toThrow(/frozenEngine 'onnx'.*bn/);
    await expect(selectFrozenEngine(odd, 'fast' as 'auto')).rejects.toThrow(/expected 'auto'/);
  });

  it('runs requests from several callers at once, each getting its own features', async () => {
    const transfer = buildTransferModel({ base: buildVgg16Base(), trainableFrom: 'block1_pool' });
    const onnx = await engine(transfer.frozenPrefix!, 'onnx', { threads: 2 });
    const inputs = [images(2, 32, 5), images(1, 32, 6), images(3, 32, 7)];
    const together = await Promise.all(inputs.map((x) => onnx.forward(x, x.length / 3072)));
    for (const [i, x] of inputs.entries()) {
      expect(together[i]).toEqual(await onnx.forward(x, x.length / 3072));
    }
    await onnx.close();
    await expect(onnx.forward(inputs[0]!, 2)).rejects.toThrow(/closed/);
  });
});
