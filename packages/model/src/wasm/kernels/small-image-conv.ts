import type * as tf from '@tensorflow/tfjs';
import { copyKernels } from './copy-kernels.js';
import {
  callKernel,
  f32Offset,
  heapF32,
  release,
  transposeLastTwo,
  type WasmBackend,
} from './kernel-utils.js';
import { transpose2d } from './transpose-2d.js';

type Info = tf.backend_util.Conv2DInfo;

/** Bounds the dense filter matrix (below) to 64 MB. */
const MAX_DENSE_FLOATS = 16 * 1024 * 1024;

/**
 * Whether a conv is cheaper in its dense form: when the image has fewer pixels than the
 * filter has taps. At 32×32 inputs that is VGG16's block5 (2×2 images, 3×3 filters), the
 * block that trains by default. There XNNPACK's conv multiplies 9 taps per output pixel, 5
 * of them on padding, and — worse — repacks the filter on every call once training changes
 * it (about 28 ms for one 3×3×512×512 filter here, longer than the conv itself).
 *
 * The dense form sees the conv as one matrix product over whole images:
 * out[b, (o, co)] = Σ over (p, ci) of x[b, (p, ci)] · K[(p, ci), (o, co)], where p and o run
 * over input and output pixels and the block K[p, o] is the filter tap that joins them
 * (zeros where none does). Only the useful products are computed, and the filter enters
 * the GEMM as its left operand, which XNNPACK never packs.
 */
export function useDenseForm(info: Info): boolean {
  return (
    info.dataFormat === 'channelsLast' &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.batchSize * info.outHeight * info.outWidth > 0 &&
    info.inHeight * info.inWidth < info.filterHeight * info.filterWidth &&
    info.inHeight *
      info.inWidth *
      info.inChannels *
      info.outHeight *
      info.outWidth *
      info.outChannels <=
      MAX_DENSE_FLOATS
  );
}

/**
 * For each (input pixel p, output pixel o): the filter tap (fh · FW + fw) that joins them,
 * or -1. Indexed p · outPixels + o.
 */
function tapTable(info: Info): Int32Array {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = info;
  const { top, left } = info.padInfo;
  const taps = new Int32Array(H * W * OH * OW);
  for (let ih = 0; ih < H; ih++) {
    for (let iw = 0; iw < W; iw++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          const fh = ih - oh * SH + top;
          const fw = iw - ow * SW + left;
          const valid = fh >= 0 && fh < FH && fw >= 0 && fw < FW;
          taps[(ih * W + iw) * OH * OW + oh * OW + ow] = valid ? fh * FW + fw : -1;
        }
      }
    }
  }
  return taps;
}

/**
 * The dense filter matrix: [inPixels · inC, outPixels · outC] built from a filter
 * [fh, fw, inC, outC]; or, with `transposed`, its transpose [outPixels · outC, inPixels · inC]
 * built from the per-tap transposed filter [fh, fw, outC, inC].
 */
function denseFilter(
  backend: WasmBackend,
  filter: tf.TensorInfo,
  info: Info,
  transposed: boolean,
): tf.TensorInfo {
  const { inChannels: C, outChannels: CO } = info;
  const P = info.inHeight * info.inWidth;
  const O = info.outHeight * info.outWidth;
  const taps = tapTable(info);
  const source = transposed ? transposeLastTwo(backend, filter) : filter;
  const out = backend.makeOutput(transposed ? [O * CO, P * C] : [P * C, O * CO], 'float32');
  const heap = heapF32(backend);
  const src = f32Offset(backend, source);
  let at = f32Offset(backend, out);
  if (!transposed) {
    // Row (p, ci), column block o: the tap's row for ci, outC long.
    for (let p = 0; p < P; p++) {
      for (let ci = 0; ci < C; ci++) {
        for (let o = 0; o < O; o++) {
          const tap = taps[p * O + o]!;
          if (tap < 0) heap.fill(0, at, at + CO);
          else heap.copyWithin(at, src + (tap * C + ci) * CO, src + (tap * C + ci + 1) * CO);
          at += CO;
        }
      }
    }
  } else {
    // Row (o, co), column block p: the transposed tap's row for co, inC long.
    for (let o = 0; o < O; o++) {
      for (let co = 0; co < CO; co++) {
        for (let p = 0; p < P; p++) {
          const tap = taps[p * O + o]!;
          if (tap < 0) heap.fill(0, at, at + C);
          else heap.copyWithin(at, src + (tap * CO + co) * C, src + (tap * CO + co + 1) * C);
          at += C;
        }
      }
    }
    release(backend, source);
  }
  return out;
}

/**
 * (M · vᵀ)ᵀ for the dense filter matrix M (K, or with `transposed` Kᵀ) and images v
 * [batch, vFloats]: the filter is the GEMM's left operand, which XNNPACK reads as it lies,
 * and the small image matrix the right one, which it packs. → [batch, ...outShape].
 */
function timesDenseFilter(
  backend: WasmBackend,
  matMul: tf.KernelConfig,
  filter: tf.TensorInfo,
  info: Info,
  transposed: boolean,
  v: tf.TensorInfo,
  vFloats: number,
  outShape: number[],
): tf.TensorInfo {
  const B = info.batchSize;
  const m = denseFilter(backend, filter, info, transposed);
  // v's own data seen as [batch, vFloats]: the transpose reads only the shape and data.
  const vT = transposeLastTwo(backend, { ...v, shape: [B, vFloats] });
  const productT = callKernel(
    matMul,
    backend,
    { a: m, b: vT },
    { transposeA: false, transposeB: false },
  );
  release(backend, m, vT);
  const out = backend.makeOutput([B, ...outShape], 'float32');
  const outFloats = outShape.reduce((a, b) => a * b, 1);
  transpose2d(
    heapF32(backend),
    f32Offset(backend, productT),
    f32Offset(backend, out),
    outFloats,
    B,
  );
  release(backend, productT);
  return out;
}

/** out = conv(x, filter): [batch, outH, outW, outC], as (Kᵀ · xᵀ)ᵀ. */
export function denseConv2D(
  backend: WasmBackend,
  matMul: tf.KernelConfig,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: Info,
): tf.TensorInfo {
  return timesDenseFilter(
    backend,
    matMul,
    filter,
    info,
    true,
    x,
    info.inHeight * info.inWidth * info.inChannels,
    [info.outHeight, info.outWidth, info.outChannels],
  );
}

/** dx of conv(x, filter) given dy: [batch, inH, inW, inC], as (K · dyᵀ)ᵀ. */
export function denseConv2DBackpropInput(
  backend: WasmBackend,
  matMul: tf.KernelConfig,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: Info,
): tf.TensorInfo {
  return timesDenseFilter(
    backend,
    matMul,
    filter,
    info,
    false,
    dy,
    info.outHeight * info.outWidth * info.outChannels,
    [info.inHeight, info.inWidth, info.inChannels],
  );
}

/**
 * dW of conv(x, filter) given dy: [fh, fw, inC, outC]. The dense gradient xᵀ · dy holds one
 * block per (input pixel, output pixel); each block adds into the tap that joins them.
 */
export function denseConv2DBackpropFilter(
  backend: WasmBackend,
  matMul: tf.KernelConfig,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: Info,
): tf.TensorInfo {
  const B = info.batchSize;
  const { inChannels: C, outChannels: CO, filterHeight: FH, filterWidth: FW } = info;
  const P = info.inHeight * info.inWidth;
  const O = info.outHeight * info.outWidth;
  const xT = transposeLastTwo(backend, { ...x, shape: [B, P * C] });
  // dy's own data seen as [batch, outPixels · outC]: the kernel reads only the shape and data.
  const dy2d = { ...dy, shape: [B, O * CO] };
  const dense = callKernel(
    matMul,
    backend,
    { a: xT, b: dy2d },
    { transposeA: false, transposeB: false },
  );
  release(backend, xT);
  const dW = backend.makeOutput([FH, FW, C, CO], 'float32');
  const taps = tapTable(info);
  const heap = heapF32(backend);
  const native = copyKernels();
  const src = f32Offset(backend, dense);
  const dst = f32Offset(backend, dW);
  heap.fill(0, dst, dst + FH * FW * C * CO);
  for (let p = 0; p < P; p++) {
    for (let ci = 0; ci < C; ci++) {
      const row = src + (p * C + ci) * O * CO;
      for (let o = 0; o < O; o++) {
        const tap = taps[p * O + o]!;
        if (tap < 0) continue;
        const into = dst + (tap * C + ci) * CO;
        const block = row + o * CO;
        if (native) native.addInto(into * 4, block * 4, CO);
        else for (let co = 0; co < CO; co++) heap[into + co]! += heap[block + co]!;
      }
    }
  }
  release(backend, dense);
  return dW;
}
