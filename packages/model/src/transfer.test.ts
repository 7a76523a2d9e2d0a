import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTransferModel } from './transfer.js';
import { buildVgg16Base } from './vgg16.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const block5Params = 3 * (3 * 3 * 512 * 512 + 512);

describe('buildTransferModel', () => {
  it('freezes every layer before trainableFrom and trains the rest and the head', () => {
    const t = buildTransferModel({ base: buildVgg16Base(), trainableFrom: 'block5_conv1' });
    const flags = Object.fromEntries(t.model.layers.map((l) => [l.name, l.trainable]));
    for (const name of ['block1_conv1', 'block2_conv2', 'block4_conv3', 'block4_pool']) {
      expect(flags[name], name).toBe(false);
    }
    for (const name of ['block5_conv1', 'block5_conv3', 'fc1', 'predictions']) {
      expect(flags[name], name).toBe(true);
    }
    const trainable = t.model.trainableWeights.reduce(
      (n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!,
      0,
    );
    expect(trainable).toBe(block5Params + (512 * 512 + 512) + (512 * 10 + 10));
    expect(t.model.countParams()).toBe(14_714_688 + 512 * 512 + 512 + 512 * 10 + 10);
    expect(t.frozenLayers.at(-1)).toBe('block4_pool');
    expect(t.featureShape).toEqual([2, 2, 512]);
  });

  it('builds Flatten → Dense(relu) → [Dropout] → Dense(softmax) with the asked sizes', () => {
    const without = buildTransferModel({
      base: buildVgg16Base(),
      head: { units: 256, dropout: 0 },
      numClasses: 7,
    });
    const names = without.model.layers.map((l) => l.getClassName()).slice(-3);
    expect(names).toEqual(['Flatten', 'Dense', 'Dense']);
    expect(without.model.getLayer('fc1').getConfig()).toMatchObject({
      units: 256,
      activation: 'relu',
    });
    expect(without.model.getLayer('predictions').getConfig()).toMatchObject({
      units: 7,
      activation: 'softmax',
    });
    expect(without.model.outputs[0]!.shape).toEqual([null, 7]);
    const withDropout = buildTransferModel({ base: buildVgg16Base(), head: { dropout: 0.5 } });
    expect(withDropout.model.getLayer('dropout').getConfig()).toMatchObject({ rate: 0.5 });
  });

  it('shares weights between the whole model and its trainable suffix', () => {
    const t = buildTransferModel({ base: buildVgg16Base() });
    const suffixVars = new Set(t.trainableSuffix.trainableWeights.map((w) => w.read().id));
    expect(t.model.trainableWeights.map((w) => w.read().id).every((id) => suffixVars.has(id))).toBe(
      true,
    );
    expect(t.trainableSuffix.inputs[0]!.shape).toEqual([null, 2, 2, 512]);
  });

  it('splits anywhere: trainableFrom block1_conv1 leaves no frozen prefix', () => {
    const t = buildTransferModel({ base: buildVgg16Base(), trainableFrom: 'block1_conv1' });
    expect(t.frozenPrefix).toBeNull();
    expect(t.frozenLayers).toEqual([]);
    const t3 = buildTransferModel({ base: buildVgg16Base(), trainableFrom: 'block3_conv1' });
    expect(t3.featureShape).toEqual([8, 8, 128]);
  });

  it('names the valid layers when trainableFrom is unknown', () => {
    expect(() =>
      buildTransferModel({ base: buildVgg16Base(), trainableFrom: 'block6_conv1' }),
    ).toThrow(
      /no layer 'block6_conv1'.*valid: block1_conv1, block1_conv2, block1_pool.*block5_pool/,
    );
  });

  it('compiles with categorical cross-entropy, accuracy and the chosen optimizer', () => {
    const rms = buildTransferModel({ base: buildVgg16Base() }).model;
    expect(rms.loss).toBe('categoricalCrossentropy');
    expect(rms.metricsNames).toEqual(['loss', 'acc']);
    expect(rms.optimizer.getClassName()).toBe('RMSProp');
    expect(rms.optimizer.getConfig()).toMatchObject({ learningRate: 0.001, decay: 0.9 });
    const adam = buildTransferModel({
      base: buildVgg16Base(),
      optimizer: { name: 'adam', learningRate: 1e-4 },
    });
    expect(adam.model.optimizer.getConfig()).toMatchObject({ learningRate: 1e-4 });
    const sgd = buildTransferModel({
      base: buildVgg16Base(),
      optimizer: { name: 'sgd', learningRate: 0.01, momentum: 0.9 },
    });
    expect(sgd.model.optimizer.getClassName()).toBe('Momentum');
    expect(sgd.model.optimizer.getConfig()).toMatchObject({ learningRate: 0.01, momentum: 0.9 });
  });
});
