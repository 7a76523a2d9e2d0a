import { posix } from 'node:path';
import { metaFile, testFile, trainFiles } from './cifar10-format.js';
import { allocateSplit, type Cifar10Split, planSplits } from './cifar10-split.js';
import { parseClassNames } from './class-names.js';
import { DataError } from './data-error.js';
import { parseArchive } from './parse-archive.js';
import type { RawCifar10 } from './read-folder.js';
import { RecordWriter } from './record-writer.js';

const wanted = new Set([metaFile, ...trainFiles, testFile]);

/**
 * Reads CIFAR-10 straight out of its .tar.gz, without extracting to disk. Two passes: the
 * first learns each batch file's size (entries may come in any order, and files need not hold
 * 10,000 records), so the second can write every record into buffers allocated once.
 */
export async function readArchive(archive: string): Promise<RawCifar10 & { sha256: string }> {
  const describe = (name: string) => `${name} in ${archive}`;
  const sizes = new Map<string, number>();
  const paths = new Map<string, string>();
  let metaText = '';

  const scan = await parseArchive(archive, ({ path, size }) => {
    const name = posix.basename(path);
    if (!wanted.has(name)) return undefined;
    const seen = paths.get(name);
    if (seen !== undefined) {
      throw new DataError(
        archive,
        `${archive} holds ${name} twice (${seen} and ${path}); expected one CIFAR-10 folder.`,
      );
    }
    paths.set(name, path);
    sizes.set(name, size);
    if (name !== metaFile) return undefined;
    const chunks: Uint8Array[] = [];
    return {
      data: (chunk) => chunks.push(chunk),
      end: () => {
        metaText = Buffer.concat(chunks).toString('utf8');
      },
    };
  });

  if (!paths.has(metaFile)) {
    throw new DataError(
      archive,
      `${archive} has no ${metaFile}; is it the CIFAR-10 binary version?`,
    );
  }
  const classNames = parseClassNames(metaText, describe(metaFile));
  const plan = planSplits(sizes, describe);
  const train = allocateSplit(plan.train);
  const test = allocateSplit(plan.test);
  const targets = new Map<string, { split: Cifar10Split; firstRecord: number; records: number }>();
  for (const [split, splitPlan] of [
    [train, plan.train],
    [test, plan.test],
  ] as const) {
    for (const file of splitPlan.files) targets.set(paths.get(file.name)!, { split, ...file });
  }

  const decode = await parseArchive(archive, ({ path, size }) => {
    const target = targets.get(path);
    if (!target) return undefined;
    const name = posix.basename(path);
    if (size !== sizes.get(name)) {
      throw new DataError(archive, `${archive} changed while it was being read (${name}).`);
    }
    const writer = new RecordWriter({
      file: describe(name),
      images: target.split.images,
      labels: target.split.labels,
      firstRecord: target.firstRecord,
      records: target.records,
    });
    return { data: (chunk) => writer.write(chunk), end: () => writer.end() };
  });
  if (decode.sha256 !== scan.sha256) {
    throw new DataError(archive, `${archive} changed while it was being read.`);
  }
  return { classNames, train, test, sha256: scan.sha256 };
}
