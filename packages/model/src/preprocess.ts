import * as tf from '@tensorflow/tfjs';

/**
 * How pixels become network inputs.
 * - 'caffe': what Keras' VGG16 ImageNet weights were trained on (`preprocess_input`, mode
 *   'caffe'): RGB → BGR, then subtract the ImageNet channel means 103.939, 116.779, 123.68
 *   (B, G, R); no scaling. The default with ImageNet weights.
 * - 'unit': x / 255, what the seed script did. With ImageNet weights this feeds the network
 *   inputs ~100× smaller than it was trained on, in the wrong channel order — kept only to
 *   reproduce the seed's runs.
 */
export type Preprocessing = 'caffe' | 'unit';

/** Keras' ImageNet means in BGR order (keras/applications/imagenet_utils.py). */
export const CAFFE_BGR_MEANS = [103.939, 116.779, 123.68] as const;

/**
 * @param images [batch, h, w, 3] RGB, 0–255 (uint8 data in an int32 or float32 tensor).
 * @returns [batch, h, w, 3] float32, preprocessed as {@link Preprocessing} says.
 */
export function preprocessImages(images: tf.Tensor4D, mode: Preprocessing): tf.Tensor4D {
  if (images.shape[3] !== 3) {
    throw new Error(
      `preprocessImages: expected [batch, h, w, 3] RGB, got [${images.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    const x = tf.cast(images, 'float32');
    if (mode === 'unit') return tf.div(x, 255);
    if (mode !== 'caffe')
      throw new Error(`preprocessing: expected 'caffe' or 'unit', got '${mode}'`);
    const bgr = tf.reverse(x, 3);
    return tf.sub(bgr, tf.tensor1d([...CAFFE_BGR_MEANS]));
  });
}

/**
 * {@link preprocessImages} in plain JavaScript, for engines outside tfjs: uint8 RGB
 * [count, h, w, 3] → float32, the same values bit for bit (one float32 subtraction or division
 * per value, as tfjs does).
 */
export function preprocessPixels(pixels: Uint8Array, mode: Preprocessing): Float32Array {
  const out = new Float32Array(pixels.length);
  if (mode === 'unit') {
    for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 255;
    return out;
  }
  if (mode !== 'caffe') throw new Error(`preprocessing: expected 'caffe' or 'unit', got '${mode}'`);
  const [b, g, r] = CAFFE_BGR_MEANS.map(Math.fround) as [number, number, number];
  for (let i = 0; i < pixels.length; i += 3) {
    out[i] = pixels[i + 2]! - b;
    out[i + 1] = pixels[i + 1]! - g;
    out[i + 2] = pixels[i]! - r;
  }
  return out;
}
