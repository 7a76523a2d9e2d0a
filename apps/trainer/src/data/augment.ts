import { channels, imageSize, pixelsPerImage } from './cifar10-format.js';

/** How one image is changed: mirrored left-right, then moved by (dx, dy) pixels with zeros filling in. */
export interface ImageTransform {
  flip: boolean;
  dx: number;
  dy: number;
}

/**
 * Copies one HWC image from `source` into `target` (a uint8 or float32 batch), applying the
 * transform and multiplying by `scale`. Pixels shifted in from outside the image are 0; the
 * target must be zeroed where it is written (fresh typed arrays are).
 */
export function writeImage(options: {
  source: Uint8Array;
  sourceImage: number;
  target: Uint8Array | Float32Array;
  targetImage: number;
  transform: ImageTransform;
  scale: number;
}): void {
  const { source, target, transform, scale } = options;
  const from = options.sourceImage * pixelsPerImage;
  const to = options.targetImage * pixelsPerImage;
  const { flip, dx, dy } = transform;

  if (!flip && dx === 0 && dy === 0) {
    if (target instanceof Uint8Array) {
      target.set(source.subarray(from, from + pixelsPerImage), to);
    } else {
      for (let i = 0; i < pixelsPerImage; i += 1) target[to + i] = source[from + i]! * scale;
    }
    return;
  }

  const last = imageSize - 1;
  for (let y = 0; y < imageSize; y += 1) {
    const sy = y - dy;
    if (sy < 0 || sy > last) continue;
    for (let x = 0; x < imageSize; x += 1) {
      const shifted = x - dx;
      if (shifted < 0 || shifted > last) continue;
      const sx = flip ? last - shifted : shifted;
      const s = from + (sy * imageSize + sx) * channels;
      const t = to + (y * imageSize + x) * channels;
      target[t] = source[s]! * scale;
      target[t + 1] = source[s + 1]! * scale;
      target[t + 2] = source[s + 2]! * scale;
    }
  }
}
