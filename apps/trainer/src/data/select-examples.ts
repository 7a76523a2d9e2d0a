import { z } from 'zod';
import { classCount } from './cifar10-format.js';
import type { Cifar10Split } from './cifar10-split.js';
import { randomFor, shuffleInPlace } from './seeded-random.js';

/** The images one role of a run uses: a split plus which of its images, by index. */
export interface ExampleSet {
  name: 'train' | 'validation';
  split: Cifar10Split;
  /** Indices into `split`, ascending. Shuffling happens per epoch, on a copy. */
  indices: Uint32Array;
}

const optionsSchema = z
  .object({
    /** 'test' validates on the test set; a fraction in (0, 1) holds out that share of train, per class. */
    validation: z.union([z.literal('test'), z.number().gt(0).lt(1)]),
    /** Images per set (training and validation each), as even across classes as possible. */
    subset: z.number().int().positive().optional(),
    seed: z.number().int(),
  })
  .strict();

export type SelectExamplesOptions = z.input<typeof optionsSchema>;

/**
 * Chooses the training and validation images. Both choices are deterministic given the seed,
 * and the two sets never share an image.
 */
export function selectExamples(
  data: { train: Cifar10Split; test: Cifar10Split },
  options: SelectExamplesOptions,
): { train: ExampleSet; validation: ExampleSet } {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new TypeError(
      `Invalid example selection: ${issues}. Expected validation 'test' or a fraction between 0 and 1, an optional positive subset and an integer seed.`,
    );
  }
  const { validation, subset, seed } = parsed.data;
  const all = (split: Cifar10Split) => Uint32Array.from({ length: split.count }, (_, i) => i);

  let train: ExampleSet;
  let held: ExampleSet;
  if (validation === 'test') {
    train = { name: 'train', split: data.train, indices: all(data.train) };
    held = { name: 'validation', split: data.test, indices: all(data.test) };
  } else {
    const parts = holdOut(data.train, validation, seed);
    train = { name: 'train', split: data.train, indices: parts.kept };
    held = { name: 'validation', split: data.train, indices: parts.held };
  }
  if (held.indices.length === 0) {
    throw new RangeError(
      `A validation fraction of ${validation} of ${data.train.count} training images holds out no image; use a larger fraction.`,
    );
  }
  if (subset !== undefined) {
    train = { ...train, indices: balancedSubset(train, subset, seed) };
    held = { ...held, indices: balancedSubset(held, subset, seed) };
  }
  return { train, validation: held };
}

function byClass(split: Cifar10Split, indices: Uint32Array): number[][] {
  const groups: number[][] = Array.from({ length: classCount }, () => []);
  for (const index of indices) groups[split.labels[index]!]!.push(index);
  return groups;
}

/** Stratified: the same share of every class is held out. */
function holdOut(split: Cifar10Split, fraction: number, seed: number) {
  const held: number[] = [];
  const kept: number[] = [];
  byClass(
    split,
    Uint32Array.from({ length: split.count }, (_, i) => i),
  ).forEach((members, label) => {
    const order = shuffleInPlace(
      Uint32Array.from(members),
      randomFor(seed, 'validation-split', label),
    );
    const cut = Math.round(fraction * order.length);
    for (const index of order.subarray(0, cut)) held.push(index);
    for (const index of order.subarray(cut)) kept.push(index);
  });
  return { held: sorted(held), kept: sorted(kept) };
}

/** `size` images with class counts differing by at most one; which classes get the extra ones is seeded. */
function balancedSubset(set: ExampleSet, size: number, seed: number): Uint32Array {
  if (size > set.indices.length) {
    throw new RangeError(
      `subset ${size} is larger than the ${set.indices.length} ${set.name} images available.`,
    );
  }
  const groups = byClass(set.split, set.indices);
  const extraOrder = shuffleInPlace(
    Uint32Array.from({ length: classCount }, (_, i) => i),
    randomFor(seed, 'subset-extra', set.name),
  );
  const chosen: number[] = [];
  groups.forEach((members, label) => {
    const quota =
      Math.floor(size / classCount) + (extraOrder.indexOf(label) < size % classCount ? 1 : 0);
    if (quota > members.length) {
      throw new RangeError(
        `subset ${size} needs ${quota} ${set.name} images of class ${label}, but there are only ${members.length}; use a smaller subset.`,
      );
    }
    const order = shuffleInPlace(
      Uint32Array.from(members),
      randomFor(seed, 'subset', set.name, label),
    );
    for (const index of order.subarray(0, quota)) chosen.push(index);
  });
  return sorted(chosen);
}

function sorted(values: number[]): Uint32Array {
  return Uint32Array.from(values).sort();
}
