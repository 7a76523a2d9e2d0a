import * as tf from '@tensorflow/tfjs';
import { transpose2d } from './transpose-2d.js';

/** The parts of tfjs-backend-wasm's BackendWasm our kernels touch (4.22.0). */
export interface WasmBackend extends tf.KernelBackend {
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
  wasm: { HEAPF32: Float32Array; wasmMemory?: { buffer: ArrayBufferLike } };
}

export type Attrs = Record<string, unknown>;

/** Runs a kernel function directly, as tfjs' own composite kernels do (no tape, no scope). */
export function callKernel(
  config: tf.KernelConfig,
  backend: WasmBackend,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Attrs = {},
): tf.TensorInfo {
  return config.kernelFunc({ inputs, backend, attrs } as never) as tf.TensorInfo;
}

export function wasmKernel(name: string): tf.KernelConfig {
  const config = tf.getKernel(name, 'wasm');
  if (config == null) throw new Error(`tfjs wasm kernel '${name}' is not registered`);
  return config;
}

export function release(backend: WasmBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * A float32 view of the wasm heap. Read it after the last allocation of a step: a malloc can
 * grow the memory and detach older views. With threads, `wasmMemory.buffer` is the live one.
 */
export function heapF32(backend: WasmBackend): Float32Array {
  const buffer = backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPF32.buffer;
  return new Float32Array(buffer);
}

/** Index (in floats) of a tensor's first element in {@link heapF32}. */
export function f32Offset(backend: WasmBackend, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset / 4;
}

/** [..., m, n] → [..., n, m], each matrix by {@link transpose2d}. */
export function transposeLastTwo(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const shape = x.shape;
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  const out = backend.makeOutput([...shape.slice(0, -2), cols, rows], 'float32');
  const heap = heapF32(backend);
  const src = f32Offset(backend, x);
  const dst = f32Offset(backend, out);
  const matrices = tf.util.sizeFromShape(shape.slice(0, -2));
  for (let i = 0; i < matrices; i++) {
    transpose2d(heap, src + i * rows * cols, dst + i * rows * cols, rows, cols);
  }
  return out;
}
