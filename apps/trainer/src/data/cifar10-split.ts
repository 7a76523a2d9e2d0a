import { pixelsPerImage, recordBytes, testFile, trainFiles } from './cifar10-format.js';
import { DataError } from './data-error.js';

/** One of CIFAR-10's two sets of images, as stored in memory. */
export interface Cifar10Split {
  name: 'train' | 'test';
  count: number;
  /**
   * uint8 pixels, shape [count, 32, 32, 3]: HWC, RGB, as images usually are in NHWC tensors.
   * Pixel (y, x, c) of image i is at `i * 3072 + (y * 32 + x) * 3 + c`.
   */
  images: Uint8Array;
  /** Class index 0-9 of each image. Shape [count]. */
  labels: Uint8Array;
  /** The batch files it was read from, in order, with their record counts. */
  files: { name: string; records: number }[];
}

export interface SplitPlan {
  name: 'train' | 'test';
  count: number;
  files: { name: string; records: number; firstRecord: number }[];
}

/**
 * Checks that every batch file is there with a whole number of records and works out where
 * each file's records go, so the split buffers can be allocated once, at their final size.
 * `describe` turns a file name into what an error message should call it.
 */
export function planSplits(
  sizes: ReadonlyMap<string, number>,
  describe: (name: string) => string,
): { train: SplitPlan; test: SplitPlan } {
  return {
    train: planSplit('train', trainFiles, sizes, describe),
    test: planSplit('test', [testFile], sizes, describe),
  };
}

function planSplit(
  name: 'train' | 'test',
  fileNames: readonly string[],
  sizes: ReadonlyMap<string, number>,
  describe: (name: string) => string,
): SplitPlan {
  let count = 0;
  const files = fileNames.map((file) => {
    const bytes = sizes.get(file);
    if (bytes === undefined) {
      throw new DataError(
        describe(file),
        `${describe(file)} is missing; CIFAR-10 needs ${[...trainFiles, testFile].join(', ')}.`,
      );
    }
    if (bytes === 0 || bytes % recordBytes !== 0) {
      throw new DataError(
        describe(file),
        `${describe(file)} has ${bytes.toLocaleString('en-US')} bytes, which is not a whole number of ${recordBytes}-byte records (1 label byte + 3,072 pixel bytes).`,
      );
    }
    const records = bytes / recordBytes;
    const entry = { name: file, records, firstRecord: count };
    count += records;
    return entry;
  });
  return { name, count, files };
}

export function allocateSplit(plan: SplitPlan): Cifar10Split {
  return {
    name: plan.name,
    count: plan.count,
    images: new Uint8Array(plan.count * pixelsPerImage),
    labels: new Uint8Array(plan.count),
    files: plan.files.map(({ name, records }) => ({ name, records })),
  };
}
