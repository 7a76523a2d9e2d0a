import type * as tf from '@tensorflow/tfjs';
import { type CopyKernels, copyKernels } from './copy-kernels.js';

type Info = tf.backend_util.Conv2DInfo;

/**
 * Where one filter tap (fh, fw) reads: output row oh reads input row oh·SH + ihBase, output
 * column ow input column ow·SW + shift; output columns [lo, hi) land inside the image.
 */
interface Tap {
  ihBase: number;
  shift: number;
  lo: number;
  hi: number;
}

/** The filter's taps in (fh, fw) order, the order of a flattened filter's rows. */
function tapsOf(info: Info): Tap[] {
  const { inWidth: W, outWidth: OW, strideWidth: SW } = info;
  const taps: Tap[] = [];
  for (let fh = 0; fh < info.filterHeight; fh++) {
    for (let fw = 0; fw < info.filterWidth; fw++) {
      const shift = fw * info.dilationWidth - info.padInfo.left;
      // iw = ow·SW + shift ∈ [0, W)
      const lo = Math.min(OW, Math.max(0, Math.ceil(-shift / SW)));
      const hi = Math.max(lo, Math.min(OW, Math.floor((W - 1 - shift) / SW) + 1));
      taps.push({ ihBase: fh * info.dilationHeight - info.padInfo.top, shift, lo, hi });
    }
  }
  return taps;
}

/** The arguments after (src, dst) of copy-kernels.wat's tap loops. */
const tapArgs = (info: Info, count: number, tap: Tap) =>
  [
    info.inChannels,
    count,
    info.inHeight,
    info.inWidth,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    tap.ihBase,
    tap.shift,
    tap.lo,
    tap.hi,
  ] as const;

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
  info: Info,
  count: number,
  native: CopyKernels | null = copyKernels(),
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const SH = info.strideHeight;
  const SW = info.strideWidth;
  let out = dst;
  for (const tap of tapsOf(info)) {
    const { ihBase, shift, lo, hi } = tap;
    if (native) {
      // The same loops in wasm, 4 floats per SIMD load/store.
      native.im2colTap(xT * 4, out * 4, ...tapArgs(info, count, tap));
      out += C * count * OH * OW;
      continue;
    }
    for (let image = 0; image < C * count; image++) {
      const from = xT + image * H * W;
      for (let oh = 0; oh < OH; oh++) {
        const ih = oh * SH + ihBase;
        if (ih < 0 || ih >= H) {
          heap.fill(0, out, out + OW);
        } else {
          const row = from + ih * W + shift;
          for (let ow = 0; ow < lo; ow++) heap[out + ow] = 0;
          for (let ow = lo; ow < hi; ow++) heap[out + ow] = heap[row + ow * SW]!;
          for (let ow = hi; ow < OW; ow++) heap[out + ow] = 0;
        }
        out += OW;
      }
    }
  }
  if (out - dst !== info.filterHeight * info.filterWidth * C * count * OH * OW) {
    throw new Error('im2colTransposed: size mismatch');
  }
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
  info: Info,
  count: number,
  native: CopyKernels | null = copyKernels(),
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const SH = info.strideHeight;
  const SW = info.strideWidth;
  let at = src;
  for (const tap of tapsOf(info)) {
    const { ihBase, shift, lo, hi } = tap;
    if (native) {
      native.col2imTap(at * 4, dxT * 4, ...tapArgs(info, count, tap));
      at += C * count * OH * OW;
      continue;
    }
    for (let image = 0; image < C * count; image++) {
      const into = dxT + image * H * W;
      for (let oh = 0; oh < OH; oh++) {
        const ih = oh * SH + ihBase;
        if (ih >= 0 && ih < H) {
          const row = into + ih * W + shift;
          for (let ow = lo; ow < hi; ow++) heap[row + ow * SW]! += heap[at + ow]!;
        }
        at += OW;
      }
    }
  }
}
