import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelsPerImage } from './data/cifar10-format.js';
import { selectExamples } from './data/select-examples.js';
import { loadFixtureSplits } from './data/testing/fixture-split.js';
import { exampleSource } from './image-sources.js';

let work: string;
let sets: ReturnType<typeof selectExamples>;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-sources-'));
  sets = selectExamples(await loadFixtureSplits(work), { validation: 'test', subset: 20, seed: 1 });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

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
