import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';
import { preprocessImages } from './preprocess.js';
import {
  type KerasLayerWeights,
  randomVgg16Weights,
  writeKerasWeightsFile,
} from './testing/keras-h5.js';
import { buildVgg16Base } from './vgg16.js';
import { loadKerasWeights } from './weights.js';

const dir = mkdtempSync(join(tmpdir(), 'trainbook-weights-'));
const flat = join(dir, 'flat.h5');
const nested = join(dir, 'nested.h5');
let weights: KerasLayerWeights[];

beforeAll(async () => {
  await selectBackend('wasm');
  weights = randomVgg16Weights(7);
  await writeKerasWeightsFile(flat, weights, 'flat');
  await writeKerasWeightsFile(nested, weights, 'nested');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectModelHolds(model: tf.LayersModel, expected: KerasLayerWeights[]) {
  for (const layer of expected.filter((l) => l.kernel)) {
    const [kernel, bias] = model.getLayer(layer.name).getWeights();
    // Byte comparison: vitest's deep equality takes minutes on 2.4M-element arrays.
    expect(sameBytes(kernel!.dataSync(), layer.kernel!.values), layer.name).toBe(true);
    expect(sameBytes(bias!.dataSync(), layer.bias!.values), layer.name).toBe(true);
  }
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

describe('loadKerasWeights', () => {
  it("assigns the published file's flat layout (block1_conv1/block1_conv1_W_1:0) in full", async () => {
    const model = buildVgg16Base();
    const loaded = await loadKerasWeights(model, flat);
    expect(loaded.layout).toBe('flat');
    expect(loaded.layers).toHaveLength(13);
    expectModelHolds(model, weights);
  });

  it('assigns the nested layout of newer Keras (block1_conv1/block1_conv1/kernel:0)', async () => {
    // As pnpm train builds a base whose weights are loaded next: zero kernels, all replaced.
    const model = buildVgg16Base({ kernels: 'zeros' });
    const loaded = await loadKerasWeights(model, nested);
    expect(loaded.layout).toBe('nested');
    expectModelHolds(model, weights);
  });

  it('gives the output of an independent float64 forward pass on one image', async () => {
    const model = buildVgg16Base();
    await loadKerasWeights(model, flat);
    let seed = 3;
    const pixels = Uint8Array.from({ length: 32 * 32 * 3 }, () => {
      seed = (seed * 69069 + 1) >>> 0;
      return seed >>> 24;
    });
    const x = preprocessImages(tf.tensor4d(Float32Array.from(pixels), [1, 32, 32, 3]), 'caffe');
    const got = (model.predict(x) as tf.Tensor).dataSync();
    const want = referenceForward(pixels, weights);
    expect(got.length).toBe(512);
    const scale = Math.max(...want.map(Math.abs));
    expect(scale).toBeGreaterThan(0.1); // activations neither died nor exploded
    const worst = Math.max(...want.map((v, i) => Math.abs(v - got[i]!)));
    expect(worst / scale).toBeLessThan(1e-4);
  });

  it('rejects a truncated file with a clear error and leaves the model untouched', async () => {
    const truncated = join(dir, 'truncated.h5');
    const bytes = readFileSync(flat);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const model = buildVgg16Base();
    const before = model.getLayer('block1_conv1').getWeights()[0]!.dataSync().slice();
    await expect(loadKerasWeights(model, truncated)).rejects.toThrow(
      /truncated\.h5.*(truncated|corrupt)/s,
    );
    expect(sameBytes(model.getLayer('block1_conv1').getWeights()[0]!.dataSync(), before)).toBe(
      true,
    );
  });

  it('rejects a file that is not HDF5 at all in one line, before HDF5 reads it', async () => {
    const text = join(dir, 'weights.txt.h5');
    writeFileSync(text, 'these are not weights\n'.repeat(100));
    await expect(loadKerasWeights(buildVgg16Base(), text)).rejects.toThrow(
      /^\S*weights\.txt\.h5 is not an HDF5 file \(no HDF5 signature; expected a Keras \.h5 weights file\)$/,
    );
  });

  it('names the layer and both shapes when a weight has the wrong shape', async () => {
    const wrong = weights.map((l) =>
      l.name === 'block3_conv2'
        ? { ...l, kernel: { shape: [3, 3, 256, 128], values: new Float32Array(9 * 256 * 128) } }
        : l,
    );
    const path = join(dir, 'wrong-shape.h5');
    await writeKerasWeightsFile(path, wrong, 'flat');
    await expect(loadKerasWeights(buildVgg16Base(), path)).rejects.toThrow(
      /layer block3_conv2, weight block3_conv2_W_1:0: the file has shape \[3, 3, 256, 128\], the model expects \[3, 3, 256, 256\]/,
    );
  });

  it('names a layer the file lacks', async () => {
    const path = join(dir, 'missing.h5');
    await writeKerasWeightsFile(
      path,
      weights.filter((l) => l.name !== 'block4_conv2'),
      'nested',
    );
    await expect(loadKerasWeights(buildVgg16Base(), path)).rejects.toThrow(
      /block4_conv2 not in the file/,
    );
  });

  it('says where a missing file was looked for', async () => {
    await expect(loadKerasWeights(buildVgg16Base(), join(dir, 'nope.h5'))).rejects.toThrow(
      /not found: .*nope\.h5/,
    );
  });
});

/**
 * VGG16's conv base in float64, loop by loop: caffe preprocessing, 3×3 same convs + ReLU,
 * 2×2 max pools. Shares no code with the model or tfjs.
 */
function referenceForward(pixels: Uint8Array, layers: KerasLayerWeights[]): number[] {
  const means = [103.939, 116.779, 123.68];
  let size = 32;
  let channels = 3;
  let a = new Float64Array(size * size * 3);
  for (let p = 0; p < size * size; p++) {
    for (let c = 0; c < 3; c++) a[p * 3 + c] = pixels[p * 3 + (2 - c)]! - means[c]!; // RGB → BGR
  }
  for (const layer of layers.slice(1)) {
    if (layer.kernel) {
      const out = layer.bias!.shape[0]!;
      const k = layer.kernel.values;
      const next = new Float64Array(size * size * out);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          for (let o = 0; o < out; o++) {
            let sum = layer.bias!.values[o]!;
            for (let dy = 0; dy < 3; dy++) {
              const iy = y + dy - 1;
              if (iy < 0 || iy >= size) continue;
              for (let dx = 0; dx < 3; dx++) {
                const ix = x + dx - 1;
                if (ix < 0 || ix >= size) continue;
                for (let i = 0; i < channels; i++) {
                  sum +=
                    a[(iy * size + ix) * channels + i]! *
                    k[((dy * 3 + dx) * channels + i) * out + o]!;
                }
              }
            }
            next[(y * size + x) * out + o] = Math.max(0, sum);
          }
        }
      }
      a = next;
      channels = out;
    } else {
      const half = size / 2;
      const next = new Float64Array(half * half * channels);
      for (let y = 0; y < half; y++) {
        for (let x = 0; x < half; x++) {
          for (let c = 0; c < channels; c++) {
            let m = Number.NEGATIVE_INFINITY;
            for (const [dy, dx] of [
              [0, 0],
              [0, 1],
              [1, 0],
              [1, 1],
            ] as const) {
              m = Math.max(m, a[((2 * y + dy) * size + 2 * x + dx) * channels + c]!);
            }
            next[(y * half + x) * channels + c] = m;
          }
        }
      }
      a = next;
      size = half;
    }
  }
  return Array.from(a);
}
