import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { FusedRMSPropOptimizer } from './fused-rmsprop.js';

beforeAll(async () => {
  const selection = await selectBackend('wasm', { wasmThreads: 2 });
  expect(selection.warnings).toEqual([]);
});

function randomData(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 31 - 1) * 3;
  });
}

/** Runs `steps` updates of two variables (sizes not multiples of 4, to reach the scalar tail). */
async function train(optimizer: tf.Optimizer, tag: string, steps: number) {
  const shapes = [[7, 5], [1027]];
  const variables = shapes.map((shape, i) =>
    tf.variable(
      tf.tensor(randomData(tf.util.sizeFromShape(shape), 10 + i), shape),
      true,
      `${tag}/w${i}`,
    ),
  );
  for (let step = 0; step < steps; step++) {
    const gradients = variables.map((v, i) => {
      const g = randomData(v.size, 100 * step + i);
      // A huge, a tiny, a subnormal and a zero gradient, and (once) a NaN and an infinity.
      g[0] = 3e30;
      g[1] = 1e-30;
      g[2] = 1e-42;
      g[3] = 0;
      if (step === 2) {
        g[4] = Number.NaN;
        g[5] = Number.POSITIVE_INFINITY;
      }
      return { name: v.name, tensor: tf.tensor(g, v.shape) };
    });
    optimizer.applyGradients(gradients);
    tf.dispose(gradients.map((g) => g.tensor));
  }
  const values = variables.map((v) => v.dataSync().slice() as Float32Array);
  const slots = (await optimizer.getWeights()).map((w) => [w.name, w.tensor.dataSync().slice()]);
  tf.dispose(variables);
  optimizer.dispose();
  return { values, slots };
}

describe('FusedRMSPropOptimizer on wasm', () => {
  it.each([
    { lr: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-7 },
    { lr: 0.05, decay: 0.7, momentum: 0.5, epsilon: 1e-3 },
  ])('gives bit for bit the stock RMSPropOptimizer’s weights and slots: %o', async (o) => {
    const stock = await train(tf.train.rmsprop(o.lr, o.decay, o.momentum, o.epsilon), 'stock', 4);
    const fused = await train(
      new FusedRMSPropOptimizer(o.lr, o.decay, o.momentum, o.epsilon),
      'fused',
      4,
    );
    // Bits, not values: toEqual would call -0 and 0, or two different floats, close enough.
    const bits = (a: Float32Array) =>
      Array.from(new Uint32Array(a.buffer), (b, i) => (Number.isNaN(a[i]) ? 'NaN' : b));
    expect(fused.values.map(bits)).toEqual(stock.values.map(bits));
    expect(fused.slots.map(([name]) => String(name).replace('fused', 'stock'))).toEqual(
      stock.slots.map(([name]) => name),
    );
    expect(fused.slots.map(([, v]) => bits(v as Float32Array))).toEqual(
      stock.slots.map(([, v]) => bits(v as Float32Array)),
    );
    // The weights moved: the comparison is not between two untouched copies.
    expect(stock.values[1]![10]).not.toBe(randomData(1027, 11)[10]);
  });

  it('leaves no tensors behind after the first step', async () => {
    const optimizer = new FusedRMSPropOptimizer(0.001, 0.9, 0, 1e-7);
    const v = tf.variable(tf.ones([33]), true, 'leak/w');
    const step = () => {
      const g = tf.fill([33], 0.5);
      optimizer.applyGradients([{ name: v.name, tensor: g }]);
      g.dispose();
    };
    step();
    const before = tf.memory();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    optimizer.dispose();
    v.dispose();
  });
});
