import * as tf from '@tensorflow/tfjs';
import { applyTransforms } from './augment.js';
import type { FrozenEngine } from './frozen/frozen-engine.js';
import type { ImageSource } from './image-source.js';
import { type Preprocessing, preprocessPixels } from './preprocess.js';

/** Features of a whole data set through the frozen prefix, in the data set's order. */
export interface FeatureCache {
  /** [size, ...featureShape] float32, row-major, outside the tfjs heap. */
  features: Float32Array;
  featureShape: number[];
  labels: Int32Array;
  size: number;
  /** 1, or 2 when each image's mirror follows (rows size … 2·size − 1). */
  variants: 1 | 2;
}

export interface CacheProgress {
  subset: 'train' | 'validation';
  done: number;
  total: number;
}

/**
 * Runs every image of `source` once through the frozen prefix on `engine`, `batchSize` at a
 * time, into one Float32Array; with `mirrored`, each image's left-right mirror too (rows
 * size … 2·size − 1), for exact flip augmentation. Two batches are kept in flight, so that an
 * engine on its own thread (onnx) never waits for the next batch's pixels. Memory: that array
 * plus two batches.
 */
export async function buildFeatureCache(
  engine: FrozenEngine,
  source: ImageSource,
  options: {
    preprocessing: Preprocessing;
    featureShape: number[];
    batchSize?: number;
    mirrored?: boolean;
    subset?: CacheProgress['subset'];
    onProgress?: (progress: CacheProgress) => void | Promise<void>;
  },
): Promise<FeatureCache> {
  const batchSize = options.batchSize ?? 64;
  const { featureShape } = options;
  const featureSize = tf.util.sizeFromShape(featureShape);
  const variants = options.mirrored ? 2 : 1;
  const total = source.size * variants;
  const features = new Float32Array(total * featureSize);
  const labels = new Int32Array(source.size);
  const starts: Array<{ row: number; count: number }> = [];
  for (let variant = 0; variant < variants; variant++) {
    for (let start = 0; start < source.size; start += batchSize) {
      starts.push({
        row: variant * source.size + start,
        count: Math.min(batchSize, source.size - start),
      });
    }
  }
  const launch = async ({ row, count }: { row: number; count: number }) => {
    const first = row % source.size;
    const batch = await source.read(Array.from({ length: count }, (_, i) => first + i));
    if (row < source.size) labels.set(batch.labels, first);
    else
      applyTransforms(
        batch.images,
        source.imageShape,
        Array.from({ length: count }, () => mirror),
      );
    return engine.forward(preprocessPixels(batch.images, options.preprocessing), count);
  };
  let inFlight = starts.length > 0 ? launch(starts[0]!) : null;
  let done = 0;
  for (let i = 0; i < starts.length; i++) {
    const current = inFlight!;
    inFlight = i + 1 < starts.length ? launch(starts[i + 1]!) : null;
    // A failed batch ends the build; the one already launched must not reject unobserved.
    const out = await current.catch(async (error) => {
      await inFlight?.catch(() => undefined);
      throw error;
    });
    features.set(out, starts[i]!.row * featureSize);
    done += starts[i]!.count;
    await options.onProgress?.({ subset: options.subset ?? 'train', done, total });
  }
  return { features, featureShape, labels, size: source.size, variants };
}

const mirror = { flip: true, dx: 0, dy: 0 };

/**
 * Features of the cached images at `indices`, as one batch [count, ...featureShape]; with
 * `mirrored`, image i's mirror features where mirrored[i] is true (a cache built `mirrored`).
 */
export function gatherFeatures(
  cache: FeatureCache,
  indices: ArrayLike<number>,
  mirrored?: ArrayLike<boolean>,
): Float32Array {
  const featureSize = cache.features.length / (cache.size * cache.variants);
  const out = new Float32Array(indices.length * featureSize);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]! + (mirrored?.[i] ? cache.size : 0);
    if (row >= cache.size * cache.variants)
      throw new Error('gatherFeatures: no mirrored features in this cache');
    const at = row * featureSize;
    out.set(cache.features.subarray(at, at + featureSize), i * featureSize);
  }
  return out;
}
