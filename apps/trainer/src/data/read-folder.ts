import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { metaFile, testFile, trainFiles } from './cifar10-format.js';
import { allocateSplit, type Cifar10Split, planSplits, type SplitPlan } from './cifar10-split.js';
import { parseClassNames } from './class-names.js';
import { DataError } from './data-error.js';
import { RecordWriter } from './record-writer.js';

export interface RawCifar10 {
  classNames: string[];
  train: Cifar10Split;
  test: Cifar10Split;
}

/** Reads an extracted cifar-10-batches-bin folder. */
export async function readFolder(folder: string): Promise<RawCifar10> {
  const describe = (name: string) => join(folder, name);
  const sizes = new Map<string, number>();
  for (const name of [...trainFiles, testFile]) {
    const info = await stat(describe(name)).catch(() => undefined);
    if (info?.isFile()) sizes.set(name, info.size);
  }
  const plan = planSplits(sizes, describe);
  const metaText = await readFile(describe(metaFile), 'utf8').catch((error: unknown) => {
    throw new DataError(
      describe(metaFile),
      `${describe(metaFile)} cannot be read: ${(error as Error).message}`,
    );
  });
  const classNames = parseClassNames(metaText, describe(metaFile));
  return {
    classNames,
    train: await fillSplit(plan.train, describe),
    test: await fillSplit(plan.test, describe),
  };
}

async function fillSplit(
  plan: SplitPlan,
  describe: (name: string) => string,
): Promise<Cifar10Split> {
  const split = allocateSplit(plan);
  for (const file of plan.files) {
    const writer = new RecordWriter({
      file: describe(file.name),
      images: split.images,
      labels: split.labels,
      firstRecord: file.firstRecord,
      records: file.records,
    });
    for await (const chunk of createReadStream(describe(file.name), { highWaterMark: 1 << 20 })) {
      writer.write(chunk as Buffer);
    }
    writer.end();
  }
  return split;
}
