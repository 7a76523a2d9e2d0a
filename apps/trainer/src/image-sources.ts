import type { ImageSource } from '@trainbook/model';
import { pixelsPerImage } from './data/cifar10-format.js';
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
