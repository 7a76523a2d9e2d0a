import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildVgg16Base, VGG16_BASE_PARAMS, VGG16_LAYER_NAMES } from './vgg16.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildVgg16Base', () => {
  it("has Keras' layer names, in Keras' order", () => {
    const base = buildVgg16Base();
    expect(base.layers.map((l) => l.name)).toEqual(['input_1', ...VGG16_LAYER_NAMES]);
    expect(VGG16_LAYER_NAMES).toEqual([
      'block1_conv1',
      'block1_conv2',
      'block1_pool',
      'block2_conv1',
      'block2_conv2',
      'block2_pool',
      'block3_conv1',
      'block3_conv2',
      'block3_conv3',
      'block3_pool',
      'block4_conv1',
      'block4_conv2',
      'block4_conv3',
      'block4_pool',
      'block5_conv1',
      'block5_conv2',
      'block5_conv3',
      'block5_pool',
    ]);
  });

  it("starts from random kernels, or from zeros with kernels: 'zeros' (weights loaded next)", () => {
    const nonZero = (base: tf.LayersModel) =>
      tf.tidy(
        () =>
          base.getWeights().filter((w) => w.rank === 4 && w.abs().max().dataSync()[0]! > 0).length,
      );
    expect(nonZero(buildVgg16Base())).toBe(13);
    expect(nonZero(buildVgg16Base({ kernels: 'zeros' }))).toBe(0);
    expect(() => buildVgg16Base({ kernels: 'ones' as 'zeros' })).toThrow(
      "VGG16 kernels: expected 'random' or 'zeros', got 'ones'",
    );
  });

  it('has 14,714,688 parameters, as Keras reports for include_top=False', () => {
    expect(buildVgg16Base().countParams()).toBe(VGG16_BASE_PARAMS);
    expect(VGG16_BASE_PARAMS).toBe(14_714_688);
  });

  it('maps [n, 32, 32, 3] to [n, 1, 1, 512] and other sizes by ⌊side / 32⌋', () => {
    expect(buildVgg16Base().outputs[0]!.shape).toEqual([null, 1, 1, 512]);
    expect(buildVgg16Base({ inputShape: [64, 96, 3] }).outputs[0]!.shape).toEqual([
      null,
      2,
      3,
      512,
    ]);
    const y = buildVgg16Base().predict(tf.zeros([2, 32, 32, 3])) as tf.Tensor;
    expect(y.shape).toEqual([2, 1, 1, 512]);
  });

  it('uses 3×3 same-padded ReLU convs and 2×2 pools', () => {
    const base = buildVgg16Base();
    const conv = base.getLayer('block3_conv2').getConfig();
    expect(conv).toMatchObject({
      filters: 256,
      kernelSize: [3, 3],
      padding: 'same',
      activation: 'relu',
    });
    expect(base.getLayer('block3_pool').getConfig()).toMatchObject({
      poolSize: [2, 2],
      strides: [2, 2],
    });
  });

  it('rejects inputs smaller than 32 or not RGB, naming the shape', () => {
    expect(() => buildVgg16Base({ inputShape: [16, 16, 3] })).toThrow(/\[16, 16, 3\]/);
    expect(() => buildVgg16Base({ inputShape: [32, 32, 1] })).toThrow(/height ≥ 32/);
  });
});
