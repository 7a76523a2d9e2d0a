import * as tf from '@tensorflow/tfjs';
import { im2col } from './im2col.js';
import {
  callKernel,
  f32Offset,
  heapF32,
  release,
  transposeLastTwo,
  type WasmBackend,
  wasmKernel,
} from './kernel-utils.js';
import { denseConv2DBackpropFilter, useDenseForm } from './small-image-conv.js';
import { transpose2d } from './transpose-2d.js';

/**
 * Bounds the im2col buffer to 8 MB whatever the batch; chunks that size keep the GEMM's packed
 * operand near cache and cost nothing measurable in call overhead.
 */
const MAX_PATCH_FLOATS = 2 * 1024 * 1024;

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Conv2DBackpropFilter, which stock wasm lacks (so no conv layer could train on it).
 * x: [batch, inH, inW, inC], dy: [batch, outH, outW, outC] → dW: [fh, fw, inC, outC].
 * dWᵀ = Σ over chunks of images of dyᵀ · im2col(x): per chunk, im2col, an explicit transpose
 * of dy, and stock BatchMatMul on its fast path (XNNPACK GEMM, threaded); one transpose at the
 * end. The patches are the GEMM's right operand so that the big matrix is never transposed:
 * XNNPACK packs it on the way in, which costs less than a transpose here. Images smaller
 * than the filter take the dense form (small-image-conv.ts).
 *
 * @param stockMatMul the stock BatchMatMul kernel (without our transpose wrapper).
 */
export function conv2DBackpropFilterKernel(stockMatMul: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const backend = args.backend as WasmBackend;
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const attrs = args.attrs as unknown as Attrs;
      if (attrs.dataFormat === 'NCHW') {
        throw new Error('wasm Conv2DBackpropFilter: NCHW is not supported; use channelsLast');
      }
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
      );
      if (useDenseForm(info)) return denseConv2DBackpropFilter(backend, stockMatMul, x, dy, info);
      const { batchSize, outHeight, outWidth, outChannels } = info;
      const patchLength = info.filterHeight * info.filterWidth * info.inChannels;
      const pixels = outHeight * outWidth;
      const perChunk = Math.max(1, Math.floor(MAX_PATCH_FLOATS / (pixels * patchLength)));
      let sum: tf.TensorInfo | null = null;
      for (let first = 0; first < batchSize; first += perChunk) {
        const count = Math.min(perChunk, batchSize - first);
        const rows = count * pixels;
        const dyT = backend.makeOutput([outChannels, rows], 'float32');
        const patches = backend.makeOutput([rows, patchLength], 'float32');
        const heap = heapF32(backend);
        // This chunk's rows of dy, read in place: [rows, outC] → [outC, rows]
        const dyRows = f32Offset(backend, dy) + first * pixels * outChannels;
        transpose2d(heap, dyRows, f32Offset(backend, dyT), rows, outChannels);
        im2col(heap, f32Offset(backend, x), f32Offset(backend, patches), info, first, count);
        // [outC, rows] · [rows, patchLength] → [outC, patchLength]
        const part = callKernel(
          stockMatMul,
          backend,
          { a: dyT, b: patches },
          {
            transposeA: false,
            transposeB: false,
          },
        );
        release(backend, dyT, patches);
        if (sum == null) sum = part;
        else {
          const next = callKernel(wasmKernel('Add'), backend, { a: sum, b: part });
          release(backend, sum, part);
          sum = next;
        }
      }
      const dW2d = transposeLastTwo(backend, sum!);
      release(backend, sum!);
      const dW = callKernel(
        wasmKernel('Reshape'),
        backend,
        { x: dW2d },
        { shape: attrs.filterShape },
      );
      release(backend, dW2d);
      return dW;
    },
  };
}
