import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend.js';
import { compileCopyKernels, copyKernels } from './copy-kernels.js';
import { col2imTransposed, im2colTransposed } from './im2col.js';
import { f32Offset, heapF32, release, type WasmBackend } from './kernel-utils.js';
import { transpose2d } from './transpose-2d.js';

beforeAll(async () => {
  const selection = await selectBackend('wasm', { wasmThreads: 2 });
  expect(selection.warnings).toEqual([]);
});

type Shape4 = [number, number, number, number];
interface ConvCase {
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
}

const convCases: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 4], filter: [3, 3, 4, 6], strides: 2, pad: 'same' },
  { x: [1, 9, 7, 16], filter: [3, 2, 16, 8], strides: [2, 3], pad: 'valid' },
  { x: [3, 6, 6, 2], filter: [1, 1, 2, 4], strides: 1, pad: 'valid' },
  { x: [2, 10, 10, 3], filter: [5, 5, 3, 2], strides: 3, pad: 'same' },
  { x: [2, 6, 5, 3], filter: [3, 3, 3, 4], strides: 1, pad: 1 },
  // VGG block5 shapes at 32×32 input, the layers that train by default (the dense form).
  { x: [2, 2, 2, 512], filter: [3, 3, 512, 512], strides: 1, pad: 'same' },
  // More images smaller than their filter: strides, 1×1 and uneven images, explicit pads.
  { x: [3, 2, 2, 8], filter: [3, 3, 8, 5], strides: 2, pad: 'same' },
  { x: [2, 1, 1, 6], filter: [3, 3, 6, 4], strides: 1, pad: 'same' },
  { x: [2, 2, 3, 5], filter: [3, 3, 5, 7], strides: 1, pad: 1 },
  {
    x: [2, 3, 2, 4],
    filter: [3, 3, 4, 3],
    strides: 1,
    pad: [
      [0, 0],
      [0, 0],
      [1, 0],
      [0, 0],
    ],
  },
  // Large filters on small images: the input gradient's column form (block4 at 32×32).
  { x: [2, 4, 4, 64], filter: [3, 3, 64, 64], strides: 1, pad: 'same' },
  { x: [2, 6, 6, 3], filter: [3, 3, 3, 32], strides: 2, pad: 'same' },
  { x: [2, 5, 4, 8], filter: [2, 3, 8, 40], strides: [1, 2], pad: 'valid' },
  // Enough images that the filter gradient is accumulated over several im2col chunks.
  { x: [20, 16, 16, 64], filter: [3, 3, 64, 4], strides: 1, pad: 'same' },
];

function randomData(shape: number[], seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

async function onBackend<T>(name: string, f: () => T): Promise<T> {
  await tf.setBackend(name);
  try {
    return f();
  } finally {
    await tf.setBackend('wasm');
  }
}

function maxRelativeError(
  got: Float32Array | Int32Array | Uint8Array,
  want: Float32Array | Int32Array | Uint8Array,
) {
  let worst = 0;
  let scale = 1e-6;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return worst / scale;
}

function convGrads(c: ConvCase, data: Float32Array[]) {
  return tf.tidy(() => {
    const x = tf.tensor4d(data[0]!, c.x);
    const filter = tf.tensor4d(data[1]!, c.filter);
    const f = (a: tf.Tensor4D, w: tf.Tensor4D) => tf.conv2d(a, w, c.strides, c.pad);
    const dyShape = f(x, filter).shape;
    const dy = tf.tensor(randomData(dyShape, 99), dyShape);
    const [dx, dw] = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([x, filter], dy);
    return [dx!.dataSync(), dw!.dataSync()];
  });
}

describe('wasm training kernels agree with the cpu backend', () => {
  it.each(convCases)(
    'conv2d gradients: x $x, filter $filter, strides $strides, pad $pad',
    async (c) => {
      const data = [randomData(c.x, 1), randomData(c.filter, 2)];
      const [dx, dw] = convGrads(c, data);
      const [cpuDx, cpuDw] = await onBackend('cpu', () => convGrads(c, data));
      // float32 sums of up to 4,608 terms in a different order: ~1e-6 of the largest value.
      expect(maxRelativeError(dx!, cpuDx!)).toBeLessThan(1e-5);
      expect(maxRelativeError(dw!, cpuDw!)).toBeLessThan(1e-5);
    },
  );

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])(
    'matMul transposeA=%s transposeB=%s, plain, batched and fused with bias + relu',
    async (ta, tb) => {
      const run = () =>
        tf.tidy(() => {
          const a = tf.tensor(randomData([37, 53], 3), ta ? [53, 37] : [37, 53]);
          const b = tf.tensor(randomData([53, 29], 4), tb ? [29, 53] : [53, 29]);
          const a3 = tf.tensor(randomData([3, 37, 53], 5), ta ? [3, 53, 37] : [3, 37, 53]);
          const b3 = tf.tensor(randomData([3, 53, 29], 6), tb ? [3, 29, 53] : [3, 53, 29]);
          const bias = tf.tensor(randomData([29], 7));
          return [
            tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, ta, tb),
            tf.matMul(a3, b3, ta, tb),
            tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias, activation: 'relu' }),
          ].map((t) => t.dataSync());
        });
      const got = run();
      const want = await onBackend('cpu', run);
      for (const [i, g] of got.entries()) expect(maxRelativeError(g, want[i]!)).toBeLessThan(2e-6);
    },
  );

  it('trains a Dense layer with the same gradients as cpu (transposed matmuls)', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor(randomData([16, 64], 8), [16, 64]);
        const w = tf.tensor(randomData([64, 10], 9), [64, 10]);
        const bias = tf.tensor(randomData([10], 10));
        const f = (a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) =>
          tf.sum(
            tf.fused.matMul({
              a: a as tf.Tensor2D,
              b: k as tf.Tensor2D,
              bias: c,
              activation: 'relu',
            }),
          );
        return tf
          .grads(f)([x, w, bias])
          .map((t) => t.dataSync());
      });
    const got = run();
    const want = await onBackend('cpu', run);
    for (const [i, g] of got.entries()) expect(maxRelativeError(g, want[i]!)).toBeLessThan(2e-6);
  });

  it.each([
    { x: [3, 16, 16, 5], filter: [3, 3], strides: 1, pad: 'same', dilations: 1 },
    { x: [2, 7, 6, 3], filter: [3, 3], strides: 2, pad: 'same', dilations: 1 },
    { x: [2, 9, 8, 4], filter: [3, 2], strides: [1, 2], pad: 'valid', dilations: 1 },
    { x: [2, 8, 8, 2], filter: [3, 3], strides: 1, pad: 2, dilations: 2 },
    { x: [1, 5, 7, 3], filter: [5, 5], strides: 1, pad: 'same', dilations: 1 },
  ] as const)(
    'wasm and JavaScript build the same transposed patches: x $x, filter $filter, strides $strides, pad $pad, dilations $dilations',
    (c) => {
      const native = copyKernels();
      expect(native).not.toBeNull();
      const backend = tf.backend() as unknown as WasmBackend;
      const [batch, , , channels] = c.x;
      const info = tf.backend_util.computeConv2DInfo(
        [...c.x],
        [...c.filter, channels, 1],
        c.strides as number | [number, number],
        c.dilations,
        c.pad,
      );
      const size = channels * batch * c.x[1] * c.x[2];
      const patches = c.filter[0] * c.filter[1] * channels * batch * info.outHeight * info.outWidth;
      const xT = tf.tensor1d(randomData([size], 11));
      const viaWasm = backend.makeOutput([patches], 'float32');
      const viaJs = backend.makeOutput([patches], 'float32');
      const heap = heapF32(backend);
      // Garbage first: every output float must be written.
      heap.fill(Number.NaN, f32Offset(backend, viaWasm), f32Offset(backend, viaWasm) + patches);
      im2colTransposed(
        heap,
        f32Offset(backend, xT),
        f32Offset(backend, viaWasm),
        info,
        batch,
        native,
      );
      im2colTransposed(heap, f32Offset(backend, xT), f32Offset(backend, viaJs), info, batch, null);
      const a = heap.slice(f32Offset(backend, viaWasm), f32Offset(backend, viaWasm) + patches);
      const b = heap.slice(f32Offset(backend, viaJs), f32Offset(backend, viaJs) + patches);
      release(backend, viaWasm, viaJs);
      xT.dispose();
      expect(a.some(Number.isNaN)).toBe(false);
      expect(a).toEqual(b);
      expect(b.some((v) => v !== 0)).toBe(true);
    },
  );

  it.each([
    { x: [3, 16, 16, 5], filter: [3, 3], strides: 1, pad: 'same' },
    { x: [2, 7, 6, 3], filter: [3, 3], strides: 2, pad: 'same' },
    { x: [2, 9, 8, 4], filter: [3, 2], strides: [1, 2], pad: 'valid' },
    { x: [1, 5, 7, 3], filter: [5, 5], strides: 1, pad: 'same' },
  ] as const)(
    'wasm and JavaScript add columns back alike (col2im): x $x, filter $filter, strides $strides, pad $pad',
    (c) => {
      const backend = tf.backend() as unknown as WasmBackend;
      const [batch, height, width, channels] = c.x;
      const info = tf.backend_util.computeConv2DInfo(
        [...c.x],
        [...c.filter, channels, 1],
        c.strides as number | [number, number],
        1,
        c.pad,
      );
      const columnsSize =
        c.filter[0] * c.filter[1] * channels * batch * info.outHeight * info.outWidth;
      const size = channels * batch * height * width;
      const columns = tf.tensor1d(randomData([columnsSize], 13));
      const viaWasm = backend.makeOutput([size], 'float32');
      const viaJs = backend.makeOutput([size], 'float32');
      const heap = heapF32(backend);
      for (const out of [viaWasm, viaJs])
        heap.fill(0, f32Offset(backend, out), f32Offset(backend, out) + size);
      col2imTransposed(
        heap,
        f32Offset(backend, columns),
        f32Offset(backend, viaWasm),
        info,
        batch,
        copyKernels(),
      );
      col2imTransposed(
        heap,
        f32Offset(backend, columns),
        f32Offset(backend, viaJs),
        info,
        batch,
        null,
      );
      const read = (info: tf.TensorInfo) =>
        heap.slice(f32Offset(backend, info), f32Offset(backend, info) + size);
      const [a, b] = [read(viaWasm), read(viaJs)];
      release(backend, viaWasm, viaJs);
      columns.dispose();
      expect(a).toEqual(b);
      expect(b.some((v) => v !== 0)).toBe(true);
    },
  );

  it.each([
    [1, 1],
    [3, 5],
    [4, 4],
    [64, 2048],
    [37, 71],
    [130, 6],
  ])('wasm and JavaScript transpose a %i×%i matrix alike, and correctly', (rows, cols) => {
    const backend = tf.backend() as unknown as WasmBackend;
    const x = tf.tensor2d(randomData([rows * cols], 12), [rows, cols]);
    const viaWasm = backend.makeOutput([cols, rows], 'float32');
    const viaJs = backend.makeOutput([cols, rows], 'float32');
    const heap = heapF32(backend);
    heap.fill(Number.NaN, f32Offset(backend, viaWasm), f32Offset(backend, viaWasm) + rows * cols);
    transpose2d(
      heap,
      f32Offset(backend, x),
      f32Offset(backend, viaWasm),
      rows,
      cols,
      copyKernels(),
    );
    transpose2d(heap, f32Offset(backend, x), f32Offset(backend, viaJs), rows, cols, null);
    const read = (info: tf.TensorInfo) =>
      heap.slice(f32Offset(backend, info), f32Offset(backend, info) + rows * cols);
    const [a, b] = [read(viaWasm), read(viaJs)];
    const want = tf.tidy(() => tf.transpose(x).dataSync());
    release(backend, viaWasm, viaJs);
    x.dispose();
    expect(a).toEqual(b);
    expect(a).toEqual(want);
  });

  it.each([false, true])(
    'the wasm loops build on an unshared and a shared memory too (shared: %s)',
    async (shared) => {
      // tfjs' threaded build shares its memory; an unthreaded one would not, and has no maximum.
      // (The package compiles without the DOM library, where TypeScript declares WebAssembly.)
      const { Memory } = (
        globalThis as unknown as {
          WebAssembly: { Memory: new (descriptor: object) => { buffer: ArrayBufferLike } };
        }
      ).WebAssembly;
      const memory = new Memory(
        shared ? { initial: 1, maximum: 16, shared: true } : { initial: 1 },
      );
      const native = await compileCopyKernels(memory);
      const f = new Float32Array(memory.buffer);
      f.set([1, 2, 3, 4, 5, 6]);
      native.transpose2d(0, 64, 2, 3);
      expect(Array.from(f.slice(16, 22))).toEqual([1, 4, 2, 5, 3, 6]);
    },
  );

  it('leaves no tensors or wasm buffers behind', () => {
    const c = convCases[7]!;
    const data = [randomData(c.x, 1), randomData(c.filter, 2)];
    convGrads(c, data);
    const before = tf.memory();
    for (let i = 0; i < 3; i++) convGrads(c, data);
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(after.numBytes).toBe(before.numBytes);
  });
});
