import type { ImageBatch, ImageSource } from '@trainbook/model';
import { writeImage } from './data/augment.js';
import { pixelsPerImage } from './data/cifar10-format.js';
import { randomFor, randomInt } from './data/seeded-random.js';
import type { ExampleSet } from './data/select-examples.js';

/** The images of an example set, read by position (0 … size − 1) as the model's fit asks. */
export function exampleSource(set: ExampleSet): ImageSource {
  const { images, labels } = set.split;
  return {
    size: set.indices.length,
    imageShape: [32, 32, 3],
    read(positions) {
      const out = new Uint8Array(positions.length * pixelsPerImage);
      const outLabels = new Uint8Array(positions.length);
      for (let i = 0; i < positions.length; i++) {
        const index = set.indices[positions[i]!]!;
        out.set(
          images.subarray(index * pixelsPerImage, (index + 1) * pixelsPerImage),
          i * pixelsPerImage,
        );
        outLabels[i] = labels[index]!;
      }
      return { images: out, labels: outLabels };
    },
  };
}

/**
 * Per-batch augmentation for fit: each image flipped left-right with probability 1/2 and/or
 * moved by −shift … shift pixels in x and y (zeros fill in). Draws come from the run's seed,
 * batch by batch, so a run is repeatable. Null when nothing is asked.
 */
export function augmenter(options: {
  flip: boolean;
  shift: number;
  seed: number;
}): ((batch: ImageBatch) => void) | null {
  if (!options.flip && options.shift === 0) return null;
  let call = 0;
  return (batch) => {
    const rng = randomFor(options.seed, 'augment', 'train', call++);
    const count = batch.images.length / pixelsPerImage;
    const source = batch.images.slice();
    batch.images.fill(0);
    for (let i = 0; i < count; i++) {
      writeImage({
        source,
        sourceImage: i,
        target: batch.images,
        targetImage: i,
        transform: {
          flip: options.flip && randomInt(rng, 0, 1) === 1,
          dx: options.shift > 0 ? randomInt(rng, -options.shift, options.shift) : 0,
          dy: options.shift > 0 ? randomInt(rng, -options.shift, options.shift) : 0,
        },
        scale: 1,
      });
    }
  };
}
