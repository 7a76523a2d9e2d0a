import * as tf from '@tensorflow/tfjs';
import { FusedRMSPropOptimizer } from './wasm/fused-rmsprop.js';

/**
 * The optimizers the trainer offers, with Keras' defaults so runs compare with Keras ones:
 * rmsprop lr 0.001, rho 0.9, ε 1e-7 (the seed's); adam lr 0.001; sgd lr 0.01, momentum 0.
 */
export type OptimizerOptions =
  | { name: 'rmsprop'; learningRate?: number }
  | { name: 'adam'; learningRate?: number }
  | { name: 'sgd'; learningRate?: number; momentum?: number };

export function makeOptimizer(options: OptimizerOptions = { name: 'rmsprop' }): tf.Optimizer {
  const lr = options.learningRate;
  if (lr != null && !(lr > 0)) throw new Error(`learningRate: expected > 0, got ${lr}`);
  switch (options.name) {
    case 'rmsprop':
      // Stock RMSProp, with its step fused into one pass on wasm (the same numbers).
      return new FusedRMSPropOptimizer(lr ?? 0.001, 0.9, 0, 1e-7);
    case 'adam':
      return tf.train.adam(lr ?? 0.001, 0.9, 0.999, 1e-7);
    case 'sgd': {
      const momentum = options.momentum ?? 0;
      if (!(momentum >= 0 && momentum < 1)) {
        throw new Error(`sgd momentum: expected 0 ≤ momentum < 1, got ${momentum}`);
      }
      return momentum === 0 ? tf.train.sgd(lr ?? 0.01) : tf.train.momentum(lr ?? 0.01, momentum);
    }
    default:
      throw new Error(
        `optimizer: expected 'rmsprop', 'adam' or 'sgd', got '${(options as { name: string }).name}'`,
      );
  }
}
