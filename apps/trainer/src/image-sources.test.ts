import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelsPerImage } from './data/cifar10-format.js';
import { selectExamples } from './data/select-examples.js';
import { loadFixtureSplits } from './data/testing/fixture-split.js';
import { augmenter, exampleSource } from './image-sources.js';

let work: string;
let sets: ReturnType<typeof selectExamples>;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-sources-'));
  sets = selectExamples(await loadFixtureSplits(work), { validation: 'test', subset: 20, seed: 1 });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Pixel (y, x, c) of an HWC image. */
const at = (images: Uint8Array, image: number, y: number, x: number, c: number) =>
  images[image * pixelsPerImage + (y * 32 + x) * 3 + c]!;

describe('exampleSource', () => {
  it("reads the set's images by position, with their labels", async () => {
    const source = exampleSource(sets.train);
    expect(source.size).toBe(20);
    const batch = await source.read([3, 0]);
    const split = sets.train.split;
    const index = sets.train.indices[3]!;
    expect(batch.labels[0]).toBe(split.labels[index]);
    expect(Array.from(batch.images.subarray(0, pixelsPerImage))).toEqual(
      Array.from(split.images.subarray(index * pixelsPerImage, (index + 1) * pixelsPerImage)),
    );
  });
});

describe('augmenter', () => {
  it('is nothing when nothing is asked', () => {
    expect(augmenter({ flip: false, shift: 0, seed: 1 })).toBeNull();
  });

  it('mirrors some images exactly, leaves the others, and draws the same way for the same seed', async () => {
    const source = exampleSource(sets.train);
    const positions = Array.from({ length: 20 }, (_, i) => i);
    const original = (await source.read(positions)).images;
    const run = async (seed: number) => {
      const batch = await source.read(positions);
      augmenter({ flip: true, shift: 0, seed })!(batch);
      return batch.images;
    };
    const a = await run(5);
    expect(Array.from(await run(5))).toEqual(Array.from(a));
    let flipped = 0;
    for (let i = 0; i < 20; i++) {
      const same =
        at(a, i, 7, 3, 1) === at(original, i, 7, 3, 1) &&
        at(a, i, 0, 0, 0) === at(original, i, 0, 0, 0);
      const mirrored =
        at(a, i, 7, 3, 1) === at(original, i, 7, 28, 1) &&
        at(a, i, 0, 0, 0) === at(original, i, 0, 31, 0);
      expect(same || mirrored).toBe(true);
      if (mirrored && !same) flipped++;
    }
    expect(flipped).toBeGreaterThan(0);
    expect(flipped).toBeLessThan(20);
  });

  it('shifts with zeros coming in at the edges', async () => {
    const source = exampleSource(sets.train);
    const batch = await source.read(Array.from({ length: 20 }, (_, i) => i));
    augmenter({ flip: false, shift: 3, seed: 2 })!(batch);
    // Some image was moved right or down by ≥ 1 pixel: its first column or row is black.
    let blackEdges = 0;
    for (let i = 0; i < 20; i++) {
      let column = true;
      let row = true;
      for (let k = 0; k < 32; k++) {
        column &&= at(batch.images, i, k, 0, 0) === 0;
        row &&= at(batch.images, i, 0, k, 0) === 0;
      }
      if (column || row) blackEdges++;
    }
    expect(blackEdges).toBeGreaterThan(0);
  });
});
