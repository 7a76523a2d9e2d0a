import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';
import { folderName, metaFile, recordBytes, testFile, trainFiles } from '../cifar10-format.js';

export const fixtureClassNames = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

/**
 * `count` records in the official layout. Record r of a file gets label (r * 3 + salt) % 10
 * and pixel bytes that differ by record, plane and position, so a mixed-up layout shows.
 */
export function fixtureRecords(count: number, salt: number): Uint8Array {
  const bytes = new Uint8Array(count * recordBytes);
  for (let r = 0; r < count; r += 1) {
    const at = r * recordBytes;
    bytes[at] = (r * 3 + salt) % 10;
    for (let p = 1; p < recordBytes; p += 1) bytes[at + p] = (r * 31 + p * 7 + salt * 13) & 0xff;
  }
  return bytes;
}

export interface FixtureLayout {
  /** Records in each of data_batch_1..5 (need not be equal). */
  trainRecords: number[];
  testRecords: number;
  /** Replace or drop (undefined) a file's bytes to make a broken fixture. */
  override?: Record<string, Uint8Array | string | undefined>;
}

/** The files of a cifar-10-batches-bin folder, by name. */
export function fixtureFiles(layout: FixtureLayout): Map<string, Uint8Array | string> {
  const files = new Map<string, Uint8Array | string>();
  files.set(metaFile, `${fixtureClassNames.join('\n')}\n\n`);
  for (const [i, name] of trainFiles.entries()) {
    files.set(name, fixtureRecords(layout.trainRecords[i] ?? 0, i + 1));
  }
  files.set(testFile, fixtureRecords(layout.testRecords, 0));
  for (const [name, bytes] of Object.entries(layout.override ?? {})) {
    if (bytes === undefined) files.delete(name);
    else files.set(name, bytes);
  }
  return files;
}

/** Writes `<parent>/cifar-10-batches-bin/...`; returns that folder. */
export async function writeFixtureFolder(parent: string, layout: FixtureLayout): Promise<string> {
  const folder = join(parent, folderName);
  await mkdir(folder, { recursive: true });
  for (const [name, bytes] of fixtureFiles(layout)) await writeFile(join(folder, name), bytes);
  return folder;
}

/** Writes a .tar.gz holding cifar-10-batches-bin/ as the official archive does; returns its path. */
export async function writeFixtureArchive(
  workDir: string,
  layout: FixtureLayout,
  options: { archiveName?: string; entryOrder?: string[] } = {},
): Promise<string> {
  const staging = join(workDir, 'staging');
  await writeFixtureFolder(staging, layout);
  const archive = join(workDir, options.archiveName ?? 'cifar-10-binary.tar.gz');
  const entries = options.entryOrder?.map((name) => `${folderName}/${name}`) ?? [folderName];
  await create({ gzip: true, file: archive, cwd: staging, portable: true }, entries);
  return archive;
}
