import type * as tf from '@tensorflow/tfjs';
import { type Attrs, release, transposeLastTwo, type WasmBackend } from './kernel-utils.js';

/**
 * Wraps the stock wasm BatchMatMul or _FusedMatMul: stock runs XNNPACK's fast GEMM only when
 * neither operand is transposed and falls to a naive triple loop otherwise (12–27× slower here).
 * Every Dense gradient is a transposed matmul, so we transpose the operand explicitly (one pass
 * over memory) and then take the fast path.
 */
export function withExplicitTransposes(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) => {
      const backend = args.backend as WasmBackend;
      const attrs = args.attrs as Attrs & { transposeA: boolean; transposeB: boolean };
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      if (!attrs.transposeA && !attrs.transposeB) return stock.kernelFunc(args);
      const temporaries: tf.TensorInfo[] = [];
      const aIn = attrs.transposeA ? transposeLastTwo(backend, a) : a;
      const bIn = attrs.transposeB ? transposeLastTwo(backend, b) : b;
      if (aIn !== a) temporaries.push(aIn);
      if (bIn !== b) temporaries.push(bIn);
      try {
        return stock.kernelFunc({
          ...args,
          inputs: { ...args.inputs, a: aIn, b: bIn },
          attrs: { ...attrs, transposeA: false, transposeB: false },
        });
      } finally {
        release(backend, ...temporaries);
      }
    },
  };
}
