import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { FusedRMSPropOptimizer } from './fused-rmsprop.js';
import { copyKernelsOnOwnMemory } from './kernels/copy-kernels.js';

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

  it('with floors, keeps subnormal mean squares out and gives the stock weights and moments bit for bit', async () => {
    // rmspropStep on a memory of its own, as the ONNX suffix trainer runs it.
    const { kernels, buffer } = await copyKernelsOnOwnMemory(4 * 1028 * 4);
    const { rmspropStep } = kernels;
    const n = 1027;
    const heap = new Float32Array(buffer);
    const [v, ms, m, g] = [0, 1, 2, 3].map((k) => k * 1028); // float offsets, 16-byte aligned
    const eps = Math.fround(1e-7);
    const run = (floors: boolean, steps: number) => {
      heap.set(randomData(n, 7), v!);
      heap.fill(0, ms!, ms! + n);
      heap.fill(0, m!, m! + n);
      for (let step = 0; step < steps; step++) {
        const grad = randomData(n, 50 + step);
        // Tiny gradients (their g² subnormal or below it), zeros, a NaN, huge ones; and from
        // step 3 on, a block that stops moving: its mean squares decay towards the subnormals.
        for (let i = 0; i < 40; i++) grad[i] = [1e-20, 3e-25, 1e-42, 0, 2e-19, 3e30][i % 6]!;
        if (step === 1) grad[40] = Number.NaN;
        if (step >= 3) grad.fill(0, 100, 400);
        heap.set(grad, g!);
        const [a, b, c, d] = [v!, ms!, m!, g!].map((x) => x * 4) as [
          number,
          number,
          number,
          number,
        ];
        rmspropStep(
          a,
          b,
          c,
          d,
          a,
          b,
          c,
          n,
          0.9,
          0.1,
          0.5,
          0.001,
          eps,
          floors ? eps * 2 ** -26 : 0,
          floors ? 2 ** -60 : 0,
        );
      }
      return [v!, ms!, m!].map((at) => heap.slice(at, at + n));
    };
    const bits = (a: Float32Array) =>
      Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) =>
        Number.isNaN(a[i]) ? 'NaN' : b,
      );
    const isSubnormal = (x: number) => x !== 0 && Math.abs(x) < 2 ** -126;
    const [stockV, stockMs, stockM] = run(false, 400);
    const [floorV, floorMs, floorM] = run(true, 400);
    expect(bits(floorV!)).toEqual(bits(stockV!));
    expect(bits(floorM!)).toEqual(bits(stockM!));
    // Stock holds subnormal mean squares (the stopped block after 400 steps: 0.9^397 · ms);
    // with floors, each is stored as 0, and every other one is the stock one.
    expect(Array.from(stockMs!).filter(isSubnormal).length).toBeGreaterThan(0);
    expect(Array.from(floorMs!).filter(isSubnormal)).toEqual([]);
    for (let i = 0; i < n; i++) {
      if (stockMs![i]! >= eps * 2 ** -26 || Number.isNaN(stockMs![i])) {
        expect(bits(floorMs!.subarray(i, i + 1))).toEqual(bits(stockMs!.subarray(i, i + 1)));
      } else {
        expect(floorMs![i]).toBe(0);
      }
    }
  });
});
