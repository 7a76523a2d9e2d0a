/** Pixels and labels of some images, in the order asked. */
export interface ImageBatch {
  /** [count, h, w, 3] RGB, row-major, 0–255. */
  images: Uint8Array;
  /** Class index per image, 0 … numClasses − 1. */
  labels: Uint8Array | Int32Array;
}

/**
 * A data set read by index, so that training can shuffle and the feature cache can walk it in
 * order without either holding more than a batch of pixels.
 */
export interface ImageSource {
  size: number;
  /** [height, width, 3]. */
  imageShape: [number, number, number];
  read(indices: ArrayLike<number>): ImageBatch | Promise<ImageBatch>;
}

/** An {@link ImageSource} over arrays already in memory (e.g. decoded CIFAR-10 batches). */
export function imagesInMemory(
  images: Uint8Array,
  labels: Uint8Array | Int32Array,
  imageShape: [number, number, number] = [32, 32, 3],
): ImageSource {
  const pixels = imageShape[0] * imageShape[1] * imageShape[2];
  if (images.length !== labels.length * pixels) {
    throw new Error(
      `imagesInMemory: ${labels.length} labels need ${labels.length * pixels} bytes of ` +
        `[${imageShape.join(', ')}] images, got ${images.length}`,
    );
  }
  return {
    size: labels.length,
    imageShape,
    read(indices) {
      const out = new Uint8Array(indices.length * pixels);
      const outLabels = new Int32Array(indices.length);
      for (let i = 0; i < indices.length; i++) {
        const index = indices[i]!;
        if (!(index >= 0 && index < labels.length)) {
          throw new Error(`imagesInMemory: index ${index} outside 0 … ${labels.length - 1}`);
        }
        out.set(images.subarray(index * pixels, (index + 1) * pixels), i * pixels);
        outLabels[i] = labels[index]!;
      }
      return { images: out, labels: outLabels };
    },
  };
}
