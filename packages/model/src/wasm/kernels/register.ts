import * as tf from '@tensorflow/tfjs';
import { withExplicitTransposes } from './batch-mat-mul.js';
import { conv2DKernel } from './conv2d.js';
import { conv2DBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputKernel } from './conv2d-backprop-input.js';
import { wasmKernel } from './kernel-utils.js';

let registered = false;

/**
 * Registers our wasm kernels over the stock ones (once per process): BatchMatMul and
 * _FusedMatMul with explicit transposes, Conv2DBackpropFilter (missing in stock), a fast
 * Conv2DBackpropInput, and Conv2D's dense form for images smaller than the filter. Works before or after the wasm backend is initialised: each override
 * reuses the stock kernel's setup function, which the engine ran (or will run) at init.
 */
export function registerFastWasmKernels(): void {
  if (registered) return;
  const stockMatMul = wasmKernel(tf.BatchMatMul);
  const stockFusedMatMul = wasmKernel(tf._FusedMatMul);
  const stockBackpropInput = wasmKernel(tf.Conv2DBackpropInput);
  const stockConv2D = wasmKernel(tf.Conv2D);
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') != null) {
    throw new Error(
      'tfjs wasm now registers Conv2DBackpropFilter itself: compare it with ours before overriding',
    );
  }
  for (const name of [tf.BatchMatMul, tf._FusedMatMul, tf.Conv2D, tf.Conv2DBackpropInput]) {
    tf.unregisterKernel(name, 'wasm');
  }
  tf.registerKernel(withExplicitTransposes(stockMatMul));
  tf.registerKernel(withExplicitTransposes(stockFusedMatMul));
  tf.registerKernel(conv2DKernel(stockConv2D, stockMatMul));
  tf.registerKernel(conv2DBackpropInputKernel(stockBackpropInput, stockMatMul));
  tf.registerKernel(conv2DBackpropFilterKernel(stockMatMul));
  registered = true;
}
