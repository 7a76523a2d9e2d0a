import type * as tf from '@tensorflow/tfjs';

/**
 * Writes im2col patches of images [first, first + count) of x into `heap` at `dst`:
 * rows = (image, outRow, outCol), columns = (filterRow, filterCol, inChannel), the same order as
 * a flattened [filterHeight, filterWidth, inChannels, outChannels] filter. Out-of-image taps
 * (padding) are zeros. Shape of the result: [count · outHeight · outWidth, fh · fw · inChannels].
 */
export function im2col(
  heap: Float32Array,
  src: number,
  dst: number,
  info: tf.backend_util.Conv2DInfo,
  first: number,
  count: number,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = info;
  const { dilationHeight: DH, dilationWidth: DW } = info;
  const { top, left } = info.padInfo;
  const rowLength = FH * FW * C;
  let out = dst;
  for (let b = first; b < first + count; b++) {
    const image = src + b * H * W * C;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let fh = 0; fh < FH; fh++) {
          const ih = oh * SH - top + fh * DH;
          for (let fw = 0; fw < FW; fw++) {
            const iw = ow * SW - left + fw * DW;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
              heap.fill(0, out, out + C);
            } else {
              const from = image + (ih * W + iw) * C;
              // copyWithin is a memmove: far faster than a JS loop once C is more than a few.
              if (C > 8) heap.copyWithin(out, from, from + C);
              else for (let c = 0; c < C; c++) heap[out + c] = heap[from + c]!;
            }
            out += C;
          }
        }
      }
    }
  }
  if (out - dst !== count * OH * OW * rowLength) throw new Error('im2col: size mismatch');
}
