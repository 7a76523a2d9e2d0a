import { type CopyKernels, copyKernels } from './copy-kernels.js';

/** Tile edge: 32×32 floats = 4 KB, so a source and a destination tile both stay in L1. */
const TILE = 32;

/**
 * dst[c · rows + r] = src[r · cols + c] for a row-major [rows, cols] matrix, in place on the wasm
 * heap. Stock wasm Transpose walks a generic N-d index per element (≈10 ns each here); a tiled
 * loop does a 2-d one 5–10× faster, and the wasm one (copy-kernels.wat, used once loaded;
 * `heap` must then be the wasm backend's memory) faster again.
 */
export function transpose2d(
  heap: Float32Array,
  src: number,
  dst: number,
  rows: number,
  cols: number,
  native: CopyKernels | null = copyKernels(),
): void {
  if (native) {
    native.transpose2d(src * 4, dst * 4, rows, cols);
    return;
  }
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(r0 + TILE, rows);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, cols);
      for (let r = r0; r < r1; r++) {
        const from = src + r * cols;
        for (let c = c0; c < c1; c++) heap[dst + c * rows + r] = heap[from + c]!;
      }
    }
  }
}
