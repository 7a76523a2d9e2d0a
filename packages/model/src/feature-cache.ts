import * as tf from '@tensorflow/tfjs';
import type { ImageSource } from './image-source.js';
import { type Preprocessing, preprocessImages } from './preprocess.js';
import type { TransferModel } from './transfer.js';

/** Features of a whole data set through the frozen prefix, in the data set's order. */
export interface FeatureCache {
  /** [size, ...featureShape] float32, row-major, outside the tfjs heap. */
  features: Float32Array;
  featureShape: number[];
  labels: Int32Array;
  size: number;
}

export interface CacheProgress {
  subset: 'train' | 'validation';
  done: number;
  total: number;
}

/** Layers whose output in training differs from inference, or from call to call. */
const STOCHASTIC_OR_STATEFUL = new Set([
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'BatchNormalization',
]);

/**
 * Whether the frozen prefix gives every image the same features every epoch, so that they can
 * be computed once: every layer before `trainableFrom` frozen, none of them stochastic or
 * training-dependent, inputs not augmented, and the cache fits `maxBytes`.
 */
export function featureCacheEligibility(
  transfer: TransferModel,
  options: { augmented: boolean; images: number; maxBytes: number },
): { eligible: boolean; reason: string } {
  const prefix = transfer.frozenPrefix;
  if (prefix == null) return { eligible: false, reason: 'no frozen layers: nothing to cache' };
  if (options.augmented) {
    return {
      eligible: false,
      reason: 'inputs are augmented, so frozen features change each epoch',
    };
  }
  for (const layer of prefix.layers) {
    if (layer.trainable && layer.weights.length > 0) {
      return {
        eligible: false,
        reason: `layer ${layer.name} before ${transfer.trainableFrom} is trainable`,
      };
    }
    if (STOCHASTIC_OR_STATEFUL.has(layer.getClassName())) {
      return {
        eligible: false,
        reason: `frozen layer ${layer.name} (${layer.getClassName()}) is not deterministic`,
      };
    }
  }
  const bytes = options.images * tf.util.sizeFromShape(transfer.featureShape) * 4;
  if (bytes > options.maxBytes) {
    return {
      eligible: false,
      reason: `features would take ${mb(bytes)} MB, above the ${mb(options.maxBytes)} MB limit`,
    };
  }
  return {
    eligible: true,
    reason: `frozen through ${transfer.frozenLayers.at(-1)}: features [${transfer.featureShape.join(', ')}] computed once (${mb(bytes)} MB)`,
  };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/**
 * Runs every image of `source` once through the frozen prefix, `batchSize` at a time, into one
 * Float32Array. Memory: that array plus one batch of activations.
 */
export async function buildFeatureCache(
  prefix: tf.LayersModel,
  source: ImageSource,
  options: {
    preprocessing: Preprocessing;
    batchSize?: number;
    subset?: CacheProgress['subset'];
    onProgress?: (progress: CacheProgress) => void | Promise<void>;
  },
): Promise<FeatureCache> {
  const batchSize = options.batchSize ?? 64;
  const featureShape = (prefix.outputs[0]!.shape as number[]).slice(1);
  const featureSize = tf.util.sizeFromShape(featureShape);
  const features = new Float32Array(source.size * featureSize);
  const labels = new Int32Array(source.size);
  const [h, w, c] = source.imageShape;
  for (let start = 0; start < source.size; start += batchSize) {
    const count = Math.min(batchSize, source.size - start);
    const indices = Array.from({ length: count }, (_, i) => start + i);
    const batch = await source.read(indices);
    const output = tf.tidy(() => {
      const images = tf.tensor4d(Float32Array.from(batch.images), [count, h, w, c]);
      return prefix.predict(preprocessImages(images, options.preprocessing), {
        batchSize: count,
      }) as tf.Tensor;
    });
    try {
      features.set(await output.data<'float32'>(), start * featureSize);
    } finally {
      output.dispose();
    }
    labels.set(batch.labels, start);
    await options.onProgress?.({
      subset: options.subset ?? 'train',
      done: start + count,
      total: source.size,
    });
  }
  return { features, featureShape, labels, size: source.size };
}

/** Features of the cached images at `indices`, as one batch: [count, ...featureShape]. */
export function gatherFeatures(cache: FeatureCache, indices: ArrayLike<number>): tf.Tensor {
  const featureSize = cache.features.length / cache.size;
  const out = new Float32Array(indices.length * featureSize);
  for (let i = 0; i < indices.length; i++) {
    const at = indices[i]! * featureSize;
    out.set(cache.features.subarray(at, at + featureSize), i * featureSize);
  }
  return tf.tensor(out, [indices.length, ...cache.featureShape]);
}
