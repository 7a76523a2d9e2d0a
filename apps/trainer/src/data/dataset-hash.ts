import { createHash, type Hash } from 'node:crypto';
import { imageSize, pixelsPerImage, recordBytes } from './cifar10-format.js';
import type { ExampleSet } from './select-examples.js';

const plane = imageSize * imageSize;

/**
 * sha256 of the set's records in their file format (label byte, then the R, G and B planes),
 * in index order. For a whole split this equals the sha256 of its batch files concatenated
 * (`cat data_batch_{1..5}.bin | sha256sum`), so anyone can check it without this code.
 */
export function hashExamples(set: ExampleSet): string {
  const hash = createHash('sha256');
  feedRecords(hash, set);
  return hash.digest('hex');
}

/**
 * One hash for what a run trains and validates on: sha256 of the text
 * "cifar10\ntrain <count> <hashExamples(train)>\nvalidation <count> <hashExamples(validation)>\n".
 */
export function datasetHash(sets: { train: ExampleSet; validation: ExampleSet }): string {
  const line = (set: ExampleSet) => `${set.name} ${set.indices.length} ${hashExamples(set)}\n`;
  return createHash('sha256')
    .update(`cifar10\n${line(sets.train)}${line(sets.validation)}`)
    .digest('hex');
}

function feedRecords(hash: Hash, set: ExampleSet): void {
  const { images, labels } = set.split;
  const record = new Uint8Array(recordBytes);
  for (const index of set.indices) {
    record[0] = labels[index]!;
    const base = index * pixelsPerImage;
    for (let p = 0; p < plane; p += 1) {
      const o = base + p * 3;
      record[1 + p] = images[o]!;
      record[1 + plane + p] = images[o + 1]!;
      record[1 + 2 * plane + p] = images[o + 2]!;
    }
    hash.update(record);
  }
}
