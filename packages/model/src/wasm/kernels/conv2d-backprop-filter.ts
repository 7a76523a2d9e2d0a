import * as tf from '@tensorflow/tfjs';
import { im2colTransposed } from './im2col.js';
import {
  callKernel,
  f32Offset,
  heapF32,
  release,
  type WasmBackend,
  wasmKernel,
} from './kernel-utils.js';
import { denseConv2DBackpropFilter, useDenseForm } from './small-image-conv.js';
import { transpose2d } from './transpose-2d.js';

/**
 * Bounds the patch buffer to 32 MB whatever the batch: the fastest chunk here (8 MB chunks
 * ran 5–25% slower on VGG's shapes, 128 MB ones up to 20% slower).
 */
const MAX_PATCH_FLOATS = 8 * 1024 * 1024;

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
 * dW = Σ over chunks of images of im2col(x)ᵀ · dy, with stock BatchMatMul on its fast path
 * (XNNPACK GEMM, threaded). The patches are built transposed (from a channel-major copy of
 * the chunk) so that they are the GEMM's left operand, which XNNPACK reads in place; its
 * right operand, which it packs on every call, is then the chunk's dy, 9× smaller. (With
 * the patches on the right, packing them took about a third of the time.) The product is
 * already in the filter's layout. Images smaller than the filter take the dense form
 * (small-image-conv.ts).
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
      const { batchSize, outHeight, outWidth, outChannels, inHeight, inWidth, inChannels } = info;
      const patchLength = info.filterHeight * info.filterWidth * inChannels;
      const pixels = outHeight * outWidth;
      const imageFloats = inHeight * inWidth * inChannels;
      const perChunk = Math.max(1, Math.floor(MAX_PATCH_FLOATS / (pixels * patchLength)));
      let sum: tf.TensorInfo | null = null;
      for (let first = 0; first < batchSize; first += perChunk) {
        const count = Math.min(perChunk, batchSize - first);
        const rows = count * pixels;
        const xT = backend.makeOutput([inChannels, count * inHeight * inWidth], 'float32');
        const patchesT = backend.makeOutput([patchLength, rows], 'float32');
        const dyRows = backend.makeOutput([rows, outChannels], 'float32');
        const heap = heapF32(backend);
        // This chunk's images, channel-major: [count · h · w, inC] → [inC, count · h · w]
        const images = f32Offset(backend, x) + first * imageFloats;
        transpose2d(heap, images, f32Offset(backend, xT), count * inHeight * inWidth, inChannels);
        im2colTransposed(heap, f32Offset(backend, xT), f32Offset(backend, patchesT), info, count);
        const from = f32Offset(backend, dy) + first * pixels * outChannels;
        heap.copyWithin(f32Offset(backend, dyRows), from, from + rows * outChannels);
        release(backend, xT);
        // [patchLength, rows] · [rows, outC] → [patchLength, outC], the filter's own layout.
        const part = callKernel(
          stockMatMul,
          backend,
          { a: patchesT, b: dyRows },
          { transposeA: false, transposeB: false },
        );
        release(backend, patchesT, dyRows);
        if (sum == null) sum = part;
        else {
          const next = callKernel(wasmKernel('Add'), backend, { a: sum, b: part });
          release(backend, sum, part);
          sum = next;
        }
      }
      const dW = callKernel(
        wasmKernel('Reshape'),
        backend,
        { x: sum! },
        { shape: attrs.filterShape },
      );
      release(backend, sum!);
      return dW;
    },
  };
}
