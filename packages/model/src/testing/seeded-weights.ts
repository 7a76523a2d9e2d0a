import * as tf from '@tensorflow/tfjs';

/**
 * Gives every weight of a model, frozen or not, the same values on every run: Glorot-uniform kernels
 * from a fixed-seed generator and zero biases, as Keras initialises them. tfjs' initializers
 * are unseeded, so a numerical bound checked on fresh weights holds on most draws rather
 * than on all of them; tests that compare two engines start from these instead.
 */
export function seedWeights(model: tf.LayersModel, seed = 12345): void {
  let s = seed >>> 0;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (const w of model.weights) {
    const shape = w.shape as number[];
    const size = shape.reduce((n, d) => n * d, 1);
    const values = new Float32Array(size); // a bias stays 0
    if (shape.length > 1) {
      const receptive = shape.slice(0, -2).reduce((n, d) => n * d, 1);
      const limit = Math.sqrt(6 / (receptive * (shape.at(-2)! + shape.at(-1)!)));
      for (let i = 0; i < size; i++) values[i] = (2 * uniform() - 1) * limit;
    }
    // The variable keeps the values; the tensor that carried them goes.
    const value = tf.tensor(values, shape);
    w.write(value);
    value.dispose();
  }
}
