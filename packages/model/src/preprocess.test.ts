import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagesInMemory } from './image-source.js';
import { preprocessImages, preprocessPixels } from './preprocess.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// One pixel per image: pure red, and (10, 20, 30).
const rgb = tf.tensor4d([255, 0, 0, 10, 20, 30], [2, 1, 1, 3]);

describe('preprocessImages', () => {
  it("'caffe' swaps RGB to BGR and subtracts Keras' ImageNet means, unscaled", () => {
    const out = Array.from(preprocessImages(rgb, 'caffe').dataSync());
    const want = [0 - 103.939, 0 - 116.779, 255 - 123.68, 30 - 103.939, 20 - 116.779, 10 - 123.68];
    out.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 4);
    });
  });

  it("'unit' is the seed's x / 255, RGB kept", () => {
    const out = Array.from(preprocessImages(rgb, 'unit').dataSync());
    const want = [1, 0, 0, 10 / 255, 20 / 255, 30 / 255];
    out.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 6);
    });
  });

  it('rejects non-RGB input and unknown modes by name', () => {
    expect(() => preprocessImages(tf.zeros([1, 2, 2, 1]), 'caffe')).toThrow(
      /\[batch, h, w, 3\] RGB, got \[1, 2, 2, 1\]/,
    );
    expect(() => preprocessImages(rgb, 'imagenet' as 'caffe')).toThrow(
      /expected 'caffe' or 'unit', got 'imagenet'/,
    );
  });
});

describe('imagesInMemory', () => {
  it('reads images and labels by index, in the order asked', () => {
    const images = Uint8Array.from({ length: 3 * 2 * 2 * 3 }, (_, i) => i);
    const source = imagesInMemory(images, Uint8Array.from([7, 8, 9]), [2, 2, 3]);
    const batch = source.read([2, 0]) as { images: Uint8Array; labels: Int32Array };
    expect(Array.from(batch.labels)).toEqual([9, 7]);
    expect(Array.from(batch.images.subarray(0, 12))).toEqual(Array.from(images.subarray(24, 36)));
    expect(Array.from(batch.images.subarray(12))).toEqual(Array.from(images.subarray(0, 12)));
    expect(() => source.read([3])).toThrow(/index 3 outside 0 … 2/);
  });

  it('says how many bytes the labels need', () => {
    expect(() => imagesInMemory(new Uint8Array(10), new Uint8Array(2))).toThrow(
      /2 labels need 6144 bytes .* got 10/,
    );
  });
});

describe('preprocessPixels', () => {
  it("gives preprocessImages' values bit for bit, every byte value in each channel", () => {
    const pixels = Uint8Array.from({ length: 256 * 3 }, (_, i) => (i * 7 + (i % 3)) % 256);
    const tensor = tf.tensor4d(pixels, [1, 16, 16, 3], 'int32');
    for (const mode of ['caffe', 'unit'] as const) {
      const want = preprocessImages(tensor, mode).dataSync();
      expect(preprocessPixels(pixels, mode)).toEqual(want);
    }
    expect(() => preprocessPixels(pixels, 'imagenet' as 'caffe')).toThrow(/preprocessing/);
  });
});
