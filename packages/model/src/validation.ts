import * as tf from '@tensorflow/tfjs';
import { order } from './shuffle.js';

/** One validation pass: Keras' val_loss and val_accuracy, and what was predicted. */
export interface ValidationPass {
  loss: number;
  accuracy: number;
  /** [true class][predicted class] → images. */
  confusionMatrix: number[][];
  /** Per true class: correct / images of that class (NaN when a class has none). */
  perClassAccuracy: number[];
}

export interface BatchInputs {
  /** Network inputs (pixels, or frozen features), row-major. */
  x: Float32Array;
  shape: number[];
  labels: Int32Array;
}

export function oneHot(labels: Int32Array, numClasses: number): tf.Tensor2D {
  for (const label of labels) {
    if (!(label >= 0 && label < numClasses)) {
      throw new Error(`label ${label}: expected a class index 0 … ${numClasses - 1}`);
    }
  }
  return tf.tidy(
    () => tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses).toFloat() as tf.Tensor2D,
  );
}

/**
 * Mean categorical cross-entropy and accuracy over a data set, batch by batch (as Keras), and
 * the confusion matrix of the same predictions — no second pass needed for it.
 */
export async function evaluate(
  model: tf.LayersModel,
  numClasses: number,
  size: number,
  batchSize: number,
  inputs: (indices: Int32Array) => Promise<BatchInputs>,
): Promise<ValidationPass> {
  const all = order(size);
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let lossSum = 0;
  for (let start = 0; start < size; start += batchSize) {
    const { x, shape, labels } = await inputs(all.subarray(start, start + batchSize));
    const y = oneHot(labels, numClasses);
    const [loss, predicted] = tf.tidy(() => {
      const p = model.predict(tf.tensor(x, shape), { batchSize: labels.length }) as tf.Tensor2D;
      return [tf.sum(tf.metrics.categoricalCrossentropy(y, p)), tf.argMax(p, 1)];
    });
    lossSum += (await loss!.data())[0]!;
    const classes = await predicted!.data();
    tf.dispose([y, loss!, predicted!]);
    for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![classes[i]!]! += 1;
  }
  const correct = matrix.reduce((n, row, k) => n + row[k]!, 0);
  const perClassAccuracy = matrix.map((row, k) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : row[k]! / total;
  });
  return {
    loss: lossSum / size,
    accuracy: correct / size,
    confusionMatrix: matrix,
    perClassAccuracy,
  };
}
