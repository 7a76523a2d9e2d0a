import * as tf from '@tensorflow/tfjs';
import { copyKernels } from './kernels/copy-kernels.js';
import { f32Offset, type WasmBackend } from './kernels/kernel-utils.js';

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The RMSPropOptimizer fields this subclass shares (private in tfjs' typings). */
interface RMSPropState {
  centered: boolean;
  accumulatedMeanSquares: Slot[];
  accumulatedMoments: Slot[];
}

/**
 * tfjs' RMSPropOptimizer with its update fused into one pass on the wasm backend. Stock,
 * each variable's step is 15 separate element-wise ops (it even computes the new mean
 * square twice), each a pass over memory: for block5 and the head, 8.1M parameters, that
 * was about a third of a cached training step. The fused step (`rmspropStep` in
 * copy-kernels.wat) performs the same float32 operations in the same order, so its results
 * are bit for bit the stock ones (fused-rmsprop.test.ts); the slots keep their stock names,
 * so getWeights/setWeights are unchanged. Other backends, and centered RMSProp, run the
 * stock code.
 */
export class FusedRMSPropOptimizer extends tf.RMSPropOptimizer {
  override applyGradients(
    variableGradients: Parameters<tf.RMSPropOptimizer['applyGradients']>[0],
  ): void {
    const native = copyKernels();
    const state = this as unknown as RMSPropState;
    if (native == null || tf.getBackend() !== 'wasm' || state.centered) {
      super.applyGradients(variableGradients);
      return;
    }
    const backend = tf.backend() as unknown as WasmBackend;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((item) => item.name)
      : Object.keys(variableGradients);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!;
      state.accumulatedMeanSquares[i] ??= {
        originalName: `${name}/rms`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      state.accumulatedMoments[i] ??= {
        originalName: `${name}/momentum`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      const gradient = Array.isArray(variableGradients)
        ? variableGradients[i]!.tensor
        : variableGradients[name];
      if (gradient == null) return;
      const meanSquare = state.accumulatedMeanSquares[i]!.variable;
      const moments = state.accumulatedMoments[i]!.variable;
      const outputs = [value, meanSquare, moments].map((t) =>
        backend.makeOutput(t.shape, 'float32'),
      );
      const [valueOut, meanSquareOut, momentsOut] = outputs as [
        tf.TensorInfo,
        tf.TensorInfo,
        tf.TensorInfo,
      ];
      const at = (t: tf.TensorInfo | tf.Tensor) => f32Offset(backend, t) * 4;
      native.rmspropStep(
        at(value),
        at(meanSquare),
        at(moments),
        at(gradient),
        at(valueOut),
        at(meanSquareOut),
        at(momentsOut),
        value.size,
        this.decay,
        1 - this.decay,
        this.momentum,
        this.learningRate,
        this.epsilon,
        0, // stock, to the last bit of every slot (see rmspropStep)
        0,
      );
      const [newValue, newMeanSquare, newMoments] = outputs.map((info) =>
        tf.engine().makeTensorFromTensorInfo(info),
      ) as [tf.Tensor, tf.Tensor, tf.Tensor];
      meanSquare.assign(newMeanSquare);
      moments.assign(newMoments);
      value.assign(newValue);
      tf.dispose([newValue, newMeanSquare, newMoments]);
    });
    this.incrementIterations();
  }
}
