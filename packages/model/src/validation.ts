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

/** Throws, naming the label, unless every label is a class index 0 … numClasses − 1. */
export function checkLabels(labels: Int32Array, numClasses: number): void {
  for (const label of labels) {
    if (!(label >= 0 && label < numClasses)) {
      throw new Error(`label ${label}: expected a class index 0 … ${numClasses - 1}`);
    }
  }
}

export function oneHot(labels: Int32Array, numClasses: number): tf.Tensor2D {
  checkLabels(labels, numClasses);
  return tf.tidy(
    () => tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses).toFloat() as tf.Tensor2D,
  );
}

/** Class probabilities [count, classes] of a batch of inputs, from something other than tfjs. */
export type Predict = (x: Float32Array, count: number) => Promise<Float32Array>;

/**
 * Mean categorical cross-entropy and accuracy over a data set, batch by batch (as Keras), and
 * the confusion matrix of the same predictions — no second pass needed for it. `model` is a
 * tfjs model, or a function giving probabilities (the loss is then Keras' formula in float64:
 * p / Σp clipped to [1e-7, 1 − 1e-7], −log of the true class').
 */
export async function evaluate(
  model: tf.LayersModel | Predict,
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
    if (typeof model === 'function') {
      checkLabels(labels, numClasses);
      const p = await model(x, labels.length);
      for (let i = 0; i < labels.length; i++) {
        const label = labels[i]!;
        const row = p.subarray(i * numClasses, (i + 1) * numClasses);
        let sum = 0;
        let predicted = 0;
        for (let k = 0; k < numClasses; k++) {
          sum += row[k]!;
          if (row[k]! > row[predicted]!) predicted = k;
        }
        lossSum -= Math.log(Math.min(Math.max(row[label]! / sum, 1e-7), 1 - 1e-7));
        matrix[label]![predicted]! += 1;
      }
      continue;
    }
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
