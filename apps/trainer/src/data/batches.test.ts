import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchCount, epochBatches, epochOrder } from './batches.js';
import { type ExampleSet, selectExamples } from './select-examples.js';
import { loadFixtureSplits } from './testing/fixture-split.js';

let work: string;
let train: ExampleSet;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-batches-'));
  train = selectExamples(await loadFixtureSplits(work), { validation: 'test', seed: 1 }).train;
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Reference for one output pixel: mirror, then move by (dx, dy), zeros from outside. */
function expectedPixel(
  src: Uint8Array,
  image: number,
  t: { flip: boolean; dx: number; dy: number },
  y: number,
  x: number,
  c: number,
) {
  const sy = y - t.dy;
  const shifted = x - t.dx;
  if (sy < 0 || sy > 31 || shifted < 0 || shifted > 31) return 0;
  const sx = t.flip ? 31 - shifted : shifted;
  return src[image * 3072 + (sy * 32 + sx) * 3 + c]!;
}

function matches(
  batchImages: ArrayLike<number>,
  slot: number,
  src: Uint8Array,
  image: number,
  t: { flip: boolean; dx: number; dy: number },
) {
  for (let y = 0; y < 32; y += 1) {
    for (let x = 0; x < 32; x += 1) {
      for (let c = 0; c < 3; c += 1) {
        if (
          batchImages[slot * 3072 + (y * 32 + x) * 3 + c] !== expectedPixel(src, image, t, y, x, c)
        )
          return false;
      }
    }
  }
  return true;
}

/** Which transform (if any) within the allowed range turns the source image into the batch slot. */
function findTransform(
  batchImages: ArrayLike<number>,
  slot: number,
  src: Uint8Array,
  image: number,
  maxShift: number,
) {
  for (const flip of [false, true]) {
    for (let dy = -maxShift; dy <= maxShift; dy += 1) {
      for (let dx = -maxShift; dx <= maxShift; dx += 1) {
        if (matches(batchImages, slot, src, image, { flip, dx, dy })) return { flip, dx, dy };
      }
    }
  }
  return undefined;
}

const base = { batchSize: 32, seed: 42, epoch: 0, pixels: 'uint8' as const };

describe('epochBatches', () => {
  it('visits every image once per epoch, in batches of batchSize with a smaller last one', () => {
    const batches = [...epochBatches(train, base)];
    expect(batches.map((b) => b.size)).toEqual([32, 32, 32, 4]);
    expect(batchCount(train, { batchSize: 32 })).toBe(4);
    const seen = batches.flatMap((b) => [...b.sourceIndices]).sort((a, b) => a - b);
    expect(seen).toEqual([...Array(100).keys()]);
    expect([...epochBatches(train, { ...base, dropRemainder: true })].map((b) => b.size)).toEqual([
      32, 32, 32,
    ]);
  });

  it('shuffles each epoch differently, reproducibly from the seed', () => {
    const order = (seed: number, epoch: number) => [
      ...epochOrder(train, { seed, epoch, shuffle: true }),
    ];
    expect(order(42, 0)).toEqual(order(42, 0));
    expect(order(42, 1)).not.toEqual(order(42, 0));
    expect(order(43, 0)).not.toEqual(order(42, 0));
    expect(order(42, 0)).not.toEqual([...Array(100).keys()]);
    const batches = [...epochBatches(train, base)].flatMap((b) => [...b.sourceIndices]);
    expect(batches).toEqual(order(42, 0));
    expect([...epochOrder(train, { seed: 42, epoch: 3, shuffle: false })]).toEqual([
      ...Array(100).keys(),
    ]);
  });

  it('copies uint8 pixels as they are and labels as ints and one-hot rows', () => {
    const { images, labels } = train.split;
    for (const batch of epochBatches(train, { ...base, oneHot: true })) {
      batch.sourceIndices.forEach((source, slot) => {
        expect(
          Buffer.compare(
            batch.images.subarray(slot * 3072, (slot + 1) * 3072),
            images.subarray(source * 3072, (source + 1) * 3072),
          ),
        ).toBe(0);
        expect(batch.labels[slot]).toBe(labels[source]);
        const row = [...batch.oneHot!.subarray(slot * 10, slot * 10 + 10)];
        expect(row).toEqual(Array.from({ length: 10 }, (_, c) => (c === labels[source] ? 1 : 0)));
      });
    }
  });

  it('makes float32 batches scaled on the fly', () => {
    const [batch] = epochBatches(train, { ...base, pixels: 'float32', scale: 1 / 255 });
    expect(batch!.images).toBeInstanceOf(Float32Array);
    const source = batch!.sourceIndices[5]!;
    for (let i = 0; i < 3072; i += 97) {
      expect(batch!.images[5 * 3072 + i]).toBeCloseTo(
        train.split.images[source * 3072 + i]! / 255,
        6,
      );
    }
  });

  it('flips about half the images left-right, reproducibly', () => {
    const [batch] = epochBatches(train, { ...base, batchSize: 64, augment: { flip: true } });
    const found = [...batch!.sourceIndices].map((source, slot) =>
      findTransform(batch!.images, slot, train.split.images, source, 0),
    );
    expect(found.every((t) => t !== undefined)).toBe(true);
    const flipped = found.filter((t) => t!.flip).length;
    expect(flipped).toBeGreaterThan(16);
    expect(flipped).toBeLessThan(48);
    const [again] = epochBatches(train, { ...base, batchSize: 64, augment: { flip: true } });
    expect(Buffer.compare(again!.images, batch!.images)).toBe(0);
  });

  it('shifts by up to N pixels with zero padding, combined with flips, in float32 too', () => {
    const [batch] = epochBatches(train, {
      ...base,
      pixels: 'float32',
      augment: { flip: true, shift: 3 },
    });
    const found = [...batch!.sourceIndices].map((source, slot) =>
      findTransform(batch!.images, slot, train.split.images, source, 3),
    );
    expect(found.every((t) => t !== undefined)).toBe(true);
    expect(found.some((t) => t!.dx !== 0 || t!.dy !== 0)).toBe(true);
    expect(found.some((t) => t!.flip) && found.some((t) => !t!.flip)).toBe(true);
    const [otherEpoch] = epochBatches(train, {
      ...base,
      epoch: 1,
      pixels: 'float32',
      augment: { flip: true, shift: 3 },
    });
    expect(
      Buffer.compare(Buffer.from(otherEpoch!.images.buffer), Buffer.from(batch!.images.buffer)),
    ).not.toBe(0);
  });

  it('rejects bad options naming them', () => {
    expect(() => epochBatches(train, { ...base, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => epochBatches(train, { ...base, scale: 2 })).toThrow(
      /scale: scale applies to float32 pixels only/,
    );
    expect(() => epochBatches(train, { ...base, augment: { shift: 40 } })).toThrow(
      /augment\.shift/,
    );
  });
});
