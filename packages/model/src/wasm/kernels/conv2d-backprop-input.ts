import * as tf from '@tensorflow/tfjs';
import { col2imTransposed } from './im2col.js';
import {
  callKernel,
  f32Offset,
  heapF32,
  release,
  transposeLastTwo,
  type WasmBackend,
  wasmKernel,
} from './kernel-utils.js';
import { denseConv2DBackpropInput, useDenseForm } from './small-image-conv.js';
import { transpose2d } from './transpose-2d.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * dx of a conv as a forward conv: dx = conv(dilate(dy, stride), flip(W)ᵀ, stride 1), where
 * flip reverses both spatial axes and ᵀ swaps in/out channels. The stock kernel is a naive
 * loop, 5–10× slower than XNNPACK's forward conv. For stride 1 no dilation is needed; for larger
 * strides dy gets (stride − 1) zeros between its pixels first.
 * dy: [batch, outH, outW, outC], filter: [fh, fw, inC, outC] → dx: inputShape.
 * Paddings larger than the filter can't be undone by padding the flipped conv; those (rare)
 * cases go to the stock kernel, which is correct. Images smaller than the filter take the
 * dense form (small-image-conv.ts), large filters on small images the column form (below).
 */
export function conv2DBackpropInputKernel(
  stock: tf.KernelConfig,
  stockMatMul: tf.KernelConfig,
): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) => {
      const backend = args.backend as WasmBackend;
      const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const attrs = args.attrs as unknown as Attrs;
      if (attrs.dataFormat === 'NCHW') return stock.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(
        attrs.inputShape,
        filter.shape as [number, number, number, number],
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
      );
      if (useDenseForm(info))
        return denseConv2DBackpropInput(backend, stockMatMul, dy, filter, info);
      if (useColumnForm(info)) return columnBackpropInput(backend, stockMatMul, dy, filter, info);
      const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = info;
      const dilatedH = (info.outHeight - 1) * SH + 1;
      const dilatedW = (info.outWidth - 1) * SW + 1;
      const top = FH - 1 - info.padInfo.top;
      const left = FW - 1 - info.padInfo.left;
      const bottom = info.inHeight - dilatedH + info.padInfo.top;
      const right = info.inWidth - dilatedW + info.padInfo.left;
      if (top < 0 || left < 0 || bottom < 0 || right < 0) return stock.kernelFunc(args);

      const flipped = flipFilter(backend, filter);
      const input = SH === 1 && SW === 1 ? dy : dilate(backend, dy, SH, SW);
      try {
        return callKernel(
          wasmKernel('Conv2D'),
          backend,
          { x: input, filter: flipped },
          {
            strides: 1,
            dilations: 1,
            pad: [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ],
            dataFormat: 'NHWC',
          },
        );
      } finally {
        release(backend, flipped);
        if (input !== dy) release(backend, input);
      }
    },
  };
}

/** Bounds the column matrix of {@link columnBackpropInput} to 128 MB. */
const MAX_COLUMN_FLOATS = 32 * 1024 * 1024;

/**
 * Whether dx is cheaper as W · dyᵀ and col2im than as a conv: when the filter is large next
 * to the image data. A conv with a new filter (the flipped one, new each call) makes XNNPACK
 * repack it, about 12 ns per weight here, while the column form packs only dyᵀ and adds the
 * columns back in wasm. At 32×32 inputs that is block4's 4×4 convs (2.4M weights each).
 */
function useColumnForm(info: tf.backend_util.Conv2DInfo): boolean {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const patchLength = info.filterHeight * info.filterWidth * info.inChannels;
  return (
    info.dataFormat === 'channelsLast' &&
    4 * info.outChannels >= rows &&
    patchLength * rows <= MAX_COLUMN_FLOATS
  );
}

/**
 * dx = col2im(W · dyᵀ): the filter, as it lies ([fh · fw · inC, outC]), is the GEMM's
 * unpacked left operand; dyᵀ ([outC, pixels]) the packed right one. The product holds, per
 * tap and input channel, one row over output pixels; col2im adds each row back where its tap
 * reads from, then one transpose gives NHWC.
 */
function columnBackpropInput(
  backend: WasmBackend,
  matMul: tf.KernelConfig,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outChannels: CO } = info;
  const rows = B * info.outHeight * info.outWidth;
  const patchLength = info.filterHeight * info.filterWidth * C;
  const dyT = transposeLastTwo(backend, { ...dy, shape: [rows, CO] });
  // The filter's own data seen as a matrix: the kernel reads only the shape and data.
  const columns = callKernel(
    matMul,
    backend,
    { a: { ...filter, shape: [patchLength, CO] }, b: dyT },
    { transposeA: false, transposeB: false },
  );
  release(backend, dyT);
  const dxT = backend.makeOutput([C, B * H * W], 'float32');
  let heap = heapF32(backend);
  heap.fill(0, f32Offset(backend, dxT), f32Offset(backend, dxT) + C * B * H * W);
  col2imTransposed(heap, f32Offset(backend, columns), f32Offset(backend, dxT), info, B);
  release(backend, columns);
  const dx = backend.makeOutput([B, H, W, C], 'float32');
  heap = heapF32(backend);
  transpose2d(heap, f32Offset(backend, dxT), f32Offset(backend, dx), C, B * H * W);
  release(backend, dxT);
  return dx;
}

/** [b, h, w, c] → [b, (h−1)·sh + 1, (w−1)·sw + 1, c] with zeros between the original pixels. */
function dilate(backend: WasmBackend, x: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const DH = (H - 1) * sh + 1;
  const DW = (W - 1) * sw + 1;
  const out = backend.makeOutput([B, DH, DW, C], 'float32');
  const heap = heapF32(backend);
  const src = f32Offset(backend, x);
  const dst = f32Offset(backend, out);
  heap.fill(0, dst, dst + B * DH * DW * C);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let w = 0; w < W; w++) {
        const from = src + ((b * H + h) * W + w) * C;
        heap.copyWithin(dst + ((b * DH + h * sh) * DW + w * sw) * C, from, from + C);
      }
    }
  }
  return out;
}

/**
 * [fh, fw, inC, outC] → [fh, fw, outC, inC] with both spatial axes reversed. One tiled transpose
 * per tap; stock Reverse + Transpose took 200 ms on a 3×3×512×512 filter.
 */
function flipFilter(backend: WasmBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [FH, FW, CI, CO] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([FH, FW, CO, CI], 'float32');
  const heap = heapF32(backend);
  const src = f32Offset(backend, filter);
  const dst = f32Offset(backend, out);
  for (let h = 0; h < FH; h++) {
    for (let w = 0; w < FW; w++) {
      const from = src + ((FH - 1 - h) * FW + (FW - 1 - w)) * CI * CO;
      transpose2d(heap, from, dst + (h * FW + w) * CO * CI, CI, CO);
    }
  }
  return out;
}
