import { z } from 'zod';
import { type ImageTransform, writeImage } from './augment.js';
import { classCount, pixelsPerImage } from './cifar10-format.js';
import { randomFor, randomInt, shuffleInPlace } from './seeded-random.js';
import type { ExampleSet } from './select-examples.js';

export type PixelType = 'uint8' | 'float32';

export interface Batch<P extends PixelType = PixelType> {
  /** Position of this batch in the epoch, from 0. */
  index: number;
  /** Images in this batch (the last one may be smaller than batchSize). */
  size: number;
  /** Pixels, shape [size, 32, 32, 3] (NHWC, RGB); uint8 0-255, or float32 0-255 × scale. */
  images: P extends 'float32' ? Float32Array : Uint8Array;
  /** Class index of each image. Shape [size]. */
  labels: Uint8Array;
  /** One-hot labels, shape [size, 10]; only when `oneHot` was asked for. */
  oneHot: Float32Array | undefined;
  /** Which images of the split these are, so a run can trace a batch back to records. */
  sourceIndices: Uint32Array;
}

const batchOptionsSchema = z
  .object({
    batchSize: z.number().int().positive(),
    /** Epoch number from 0; each epoch has its own order and augmentation draws. */
    epoch: z.number().int().min(0),
    seed: z.number().int(),
    /** Reorder the images each epoch (training). Validation usually keeps its order. */
    shuffle: z.boolean().default(true),
    augment: z
      .object({
        /** Mirror each image left-right with probability 1/2. */
        flip: z.boolean().default(false),
        /** Move each image by a random −shift..shift pixels in x and in y, padding with zeros. */
        shift: z.number().int().min(0).max(31).default(0),
      })
      .strict()
      .default({ flip: false, shift: 0 }),
    pixels: z.enum(['uint8', 'float32']),
    /** float32 only: pixel values are multiplied by this (1/255 gives 0-1). */
    scale: z.number().positive().default(1),
    oneHot: z.boolean().default(false),
    /** Leave out a last batch smaller than batchSize. */
    dropRemainder: z.boolean().default(false),
  })
  .strict()
  .refine((o) => o.pixels === 'float32' || o.scale === 1, {
    message: 'scale applies to float32 pixels only',
    path: ['scale'],
  });

export type BatchOptions<P extends PixelType> = z.input<typeof batchOptionsSchema> & { pixels: P };

/** Number of batches an epoch yields. */
export function batchCount(
  set: ExampleSet,
  options: { batchSize: number; dropRemainder?: boolean },
): number {
  const n = set.indices.length / options.batchSize;
  return options.dropRemainder ? Math.floor(n) : Math.ceil(n);
}

/** The order in which an epoch visits the set's images (indices into the split). */
export function epochOrder(
  set: ExampleSet,
  options: { seed: number; epoch: number; shuffle: boolean },
): Uint32Array {
  const order = Uint32Array.from(set.indices);
  return options.shuffle
    ? shuffleInPlace(order, randomFor(options.seed, 'shuffle', set.name, options.epoch))
    : order;
}

/**
 * One epoch of batches, made on the fly from the uint8 images: only an index array is
 * shuffled, and each batch's pixels are allocated as it is made, so memory stays at the
 * dataset plus a batch or two however long training runs.
 */
export function epochBatches<P extends PixelType>(
  set: ExampleSet,
  options: BatchOptions<P>,
): Generator<Batch<P>, void, undefined> {
  // Checked here, not on the first next(), so bad options fail where they are given.
  const parsed = batchOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new TypeError(`Invalid batch options: ${issues}`);
  }
  return makeBatches<P>(set, parsed.data);
}

function* makeBatches<P extends PixelType>(
  set: ExampleSet,
  o: z.output<typeof batchOptionsSchema>,
): Generator<Batch<P>, void, undefined> {
  const order = epochOrder(set, o);
  const count = batchCount(set, o);
  const { images, labels } = set.split;

  for (let index = 0; index < count; index += 1) {
    const sourceIndices = order.subarray(index * o.batchSize, (index + 1) * o.batchSize);
    const size = sourceIndices.length;
    const pixels =
      o.pixels === 'float32'
        ? new Float32Array(size * pixelsPerImage)
        : new Uint8Array(size * pixelsPerImage);
    const batchLabels = new Uint8Array(size);
    const oneHot = o.oneHot ? new Float32Array(size * classCount) : undefined;
    // Seeded per batch, so batch k of epoch e is the same whether or not earlier ones were drawn.
    const rng = randomFor(o.seed, 'augment', set.name, o.epoch, index);
    for (let i = 0; i < size; i += 1) {
      const source = sourceIndices[i]!;
      const transform: ImageTransform = {
        flip: o.augment.flip && randomInt(rng, 0, 1) === 1,
        dx: o.augment.shift > 0 ? randomInt(rng, -o.augment.shift, o.augment.shift) : 0,
        dy: o.augment.shift > 0 ? randomInt(rng, -o.augment.shift, o.augment.shift) : 0,
      };
      writeImage({
        source: images,
        sourceImage: source,
        target: pixels,
        targetImage: i,
        transform,
        scale: o.scale,
      });
      const label = labels[source]!;
      batchLabels[i] = label;
      if (oneHot) oneHot[i * classCount + label] = 1;
    }
    yield {
      index,
      size,
      images: pixels as Batch<P>['images'],
      labels: batchLabels,
      oneHot,
      sourceIndices: Uint32Array.from(sourceIndices),
    };
  }
}
