import type { ImageBatch } from './image-source.js';

/**
 * Augmentation fit draws itself, from its seed: each training image flipped left-right with
 * probability 1/2 (`flip`) and/or moved by −shift … shift pixels in x and y, zeros filling in.
 * Being declared rather than a function lets fit run it at cached speed: flip alone is exact
 * with features of each image and of its mirror computed once.
 */
export interface Augmentation {
  flip?: boolean;
  /** Pixels, 0 … side − 1. Default 0. */
  shift?: number;
}

/** Changes a batch's pixels in place; fit cannot know what it does, so nothing is cached. */
export type AugmentFunction = (batch: ImageBatch, imageShape: [number, number, number]) => void;

export interface Transform {
  flip: boolean;
  dx: number;
  dy: number;
}

export function checkAugmentation(
  augmentation: Augmentation,
  imageShape: [number, number, number],
): void {
  const shift = augmentation.shift ?? 0;
  const side = Math.min(imageShape[0], imageShape[1]);
  if (!(Number.isInteger(shift) && shift >= 0 && shift < side)) {
    throw new Error(`augment.shift: expected whole pixels 0 … ${side - 1}, got ${shift}`);
  }
}

/** True when the augmentation is a left-right flip and nothing else. */
export function isFlipOnly(augmentation: Augmentation): boolean {
  return augmentation.flip === true && (augmentation.shift ?? 0) === 0;
}

/** One draw per image, in order: flip (when asked), then dx, dy (when shift > 0). */
export function drawTransforms(
  augmentation: Augmentation,
  count: number,
  random: () => number,
): Transform[] {
  const shift = augmentation.shift ?? 0;
  const offset = () => Math.floor(random() * (2 * shift + 1)) - shift;
  return Array.from({ length: count }, () => {
    const flip = augmentation.flip === true && random() < 0.5;
    return shift > 0 ? { flip, dx: offset(), dy: offset() } : { flip, dx: 0, dy: 0 };
  });
}

/** Applies each image's transform to `pixels` ([count, h, w, c], in place). */
export function applyTransforms(
  pixels: Uint8Array,
  imageShape: [number, number, number],
  transforms: Transform[],
): void {
  const [h, w, c] = imageShape;
  const size = h * w * c;
  const source = new Uint8Array(size);
  for (const [i, { flip, dx, dy }] of transforms.entries()) {
    if (!flip && dx === 0 && dy === 0) continue;
    const image = pixels.subarray(i * size, (i + 1) * size);
    source.set(image);
    image.fill(0);
    for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
      for (let x = Math.max(0, dx); x < Math.min(w, w + dx); x++) {
        const sx = flip ? w - 1 - (x - dx) : x - dx;
        const from = ((y - dy) * w + sx) * c;
        image.set(source.subarray(from, from + c), (y * w + x) * c);
      }
    }
  }
}

/** Draws and applies `augmentation` to each batch it is given, as fit does per batch. */
export function augmentWith(augmentation: Augmentation, random: () => number): AugmentFunction {
  return (batch, imageShape) =>
    applyTransforms(
      batch.images,
      imageShape,
      drawTransforms(augmentation, batch.labels.length, random),
    );
}
