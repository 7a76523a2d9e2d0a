import type * as tf from '@tensorflow/tfjs';
import { type CopyKernels, copyKernels } from './copy-kernels.js';

/**
 * Transposed im2col patches of images [0, count) of xT, written into `heap` at `dst`:
 * rows = (filterRow, filterCol, inChannel) — the order of a flattened [filterHeight,
 * filterWidth, inChannels, outChannels] filter — and columns = (image, outRow, outCol).
 * Out-of-image taps (padding) are zeros. `heap` must be the wasm backend's memory whenever
 * `native` (the wasm loops of copy-kernels.wat, used once loaded) is given. `xT` holds the
 * images channel-major, [inChannels, count · inHeight · inWidth], so each output row is read
 * from one channel plane in runs along the image rows. Shape of the result:
 * [fh · fw · inChannels, count · outHeight · outWidth].
 */
export function im2colTransposed(
  heap: Float32Array,
  xT: number,
  dst: number,
  info: tf.backend_util.Conv2DInfo,
  count: number,
  native: CopyKernels | null = copyKernels(),
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = info;
  const { dilationHeight: DH, dilationWidth: DW } = info;
  const { top, left } = info.padInfo;
  const plane = count * H * W;
  let out = dst;
  for (let fh = 0; fh < FH; fh++) {
    for (let fw = 0; fw < FW; fw++) {
      // Output columns whose tap lands inside the image: iw = ow·SW − left + fw·DW ∈ [0, W).
      const shift = fw * DW - left;
      const lo = Math.min(OW, Math.max(0, Math.ceil(-shift / SW)));
      const hi = Math.max(lo, Math.min(OW, Math.floor((W - 1 - shift) / SW) + 1));
      if (native) {
        // The same loops in wasm (copy-kernels.wat), 4 floats per SIMD load/store.
        native.im2colTap(
          xT * 4,
          out * 4,
          C,
          count,
          H,
          W,
          OH,
          OW,
          SH,
          SW,
          fh * DH - top,
          shift,
          lo,
          hi,
        );
        out += C * count * OH * OW;
        continue;
      }
      for (let c = 0; c < C; c++) {
        const channel = xT + c * plane;
        for (let b = 0; b < count; b++) {
          const image = channel + b * H * W;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * SH - top + fh * DH;
            if (ih < 0 || ih >= H) {
              heap.fill(0, out, out + OW);
            } else {
              const row = image + ih * W + shift;
              for (let ow = 0; ow < lo; ow++) heap[out + ow] = 0;
              for (let ow = lo; ow < hi; ow++) heap[out + ow] = heap[row + ow * SW]!;
              for (let ow = hi; ow < OW; ow++) heap[out + ow] = 0;
            }
            out += OW;
          }
        }
      }
    }
  }
  if (out - dst !== FH * FW * C * count * OH * OW)
    throw new Error('im2colTransposed: size mismatch');
}

/**
 * The adjoint of {@link im2colTransposed}: adds transposed column data `src`
 * ([fh · fw · inChannels, count · outHeight · outWidth]) back into channel-major images at
 * `dxT` ([inChannels, count · inHeight · inWidth], which the caller zeroes first). Taps that
 * fall on padding are dropped. The backward pass of a conv's input, given W · dy.
 */
export function col2imTransposed(
  heap: Float32Array,
  src: number,
  dxT: number,
  info: tf.backend_util.Conv2DInfo,
  count: number,
  native: CopyKernels | null = copyKernels(),
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = info;
  const { dilationHeight: DH, dilationWidth: DW } = info;
  const { top, left } = info.padInfo;
  const plane = count * H * W;
  let at = src;
  for (let fh = 0; fh < FH; fh++) {
    for (let fw = 0; fw < FW; fw++) {
      const shift = fw * DW - left;
      const lo = Math.min(OW, Math.max(0, Math.ceil(-shift / SW)));
      const hi = Math.max(lo, Math.min(OW, Math.floor((W - 1 - shift) / SW) + 1));
      const ihBase = fh * DH - top;
      if (native) {
        native.col2imTap(at * 4, dxT * 4, C, count, H, W, OH, OW, SH, SW, ihBase, shift, lo, hi);
        at += C * count * OH * OW;
        continue;
      }
      for (let c = 0; c < C; c++) {
        for (let b = 0; b < count; b++) {
          const image = dxT + c * plane + b * H * W;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * SH + ihBase;
            if (ih >= 0 && ih < H) {
              const row = image + ih * W + shift;
              for (let ow = lo; ow < hi; ow++) heap[row + ow * SW]! += heap[at + ow]!;
            }
            at += OW;
          }
        }
      }
    }
  }
}
