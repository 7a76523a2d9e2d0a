import type { Cifar10Split } from '../cifar10-split.js';
import { readFolder } from '../read-folder.js';
import { writeFixtureFolder } from './cifar10-fixture.js';

/** A small loaded CIFAR-10 (100 train images, 10 a class; 30 test) for batch and split tests. */
export async function loadFixtureSplits(
  work: string,
): Promise<{ train: Cifar10Split; test: Cifar10Split }> {
  const folder = await writeFixtureFolder(work, {
    trainRecords: [20, 20, 20, 20, 20],
    testRecords: 30,
  });
  return readFolder(folder);
}
