import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pixelsPerImage, recordBytes, testFile, trainFiles } from './cifar10-format.js';
import { DataError } from './data-error.js';
import { loadCifar10 } from './load-cifar10.js';
import {
  type FixtureLayout,
  fixtureClassNames,
  fixtureFiles,
  writeFixtureArchive,
  writeFixtureFolder,
} from './testing/cifar10-fixture.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-cifar-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

// Uneven on purpose: nothing may assume a fixed number of records per file.
const layout: FixtureLayout = { trainRecords: [3, 2, 4, 1, 5], testRecords: 6 };

async function rejection(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

/** Checks a split against the files it came from: labels, and every pixel's HWC position. */
function expectSplitMatches(
  split: { images: Uint8Array; labels: Uint8Array; count: number },
  files: Uint8Array[],
) {
  const records = Buffer.concat(files);
  expect(split.count).toBe(records.length / recordBytes);
  for (let i = 0; i < split.count; i += 1) {
    expect(split.labels[i]).toBe(records[i * recordBytes]);
    for (let y = 0; y < 32; y += 1) {
      for (let x = 0; x < 32; x += 1) {
        for (let c = 0; c < 3; c += 1) {
          const stored = split.images[i * pixelsPerImage + (y * 32 + x) * 3 + c];
          const expected = records[i * recordBytes + 1 + c * 1024 + y * 32 + x];
          if (stored !== expected)
            throw new Error(`image ${i} (${y}, ${x}, ${c}): ${stored} ≠ ${expected}`);
        }
      }
    }
  }
}

describe('loadCifar10 from local files', () => {
  it('reads a .tar.gz in the official layout, files of any record count', async () => {
    const archive = await writeFixtureArchive(work, layout);
    const data = await loadCifar10({ data: archive });
    const files = fixtureFiles(layout);
    expect(data.classNames).toEqual(fixtureClassNames);
    expect(data.train.files).toEqual(
      trainFiles.map((name, i) => ({ name, records: layout.trainRecords[i] })),
    );
    expect(data.test.files).toEqual([{ name: testFile, records: 6 }]);
    expectSplitMatches(
      data.train,
      trainFiles.map((name) => files.get(name) as Uint8Array),
    );
    expectSplitMatches(data.test, [files.get(testFile) as Uint8Array]);
    const { createHash } = await import('node:crypto');
    expect(data.source).toEqual({
      kind: 'archive',
      path: archive,
      sha256: createHash('sha256')
        .update(await readFile(archive))
        .digest('hex'),
    });
  });

  it('puts records in batch-file order whatever the order of entries in the archive', async () => {
    const entryOrder = [
      'data_batch_4.bin',
      'test_batch.bin',
      'data_batch_2.bin',
      'batches.meta.txt',
      'data_batch_5.bin',
      'data_batch_1.bin',
      'data_batch_3.bin',
    ];
    const data = await loadCifar10({
      data: await writeFixtureArchive(work, layout, { entryOrder }),
    });
    const files = fixtureFiles(layout);
    expect(data.train.files.map((f) => f.name)).toEqual(trainFiles);
    expectSplitMatches(
      data.train,
      trainFiles.map((name) => files.get(name) as Uint8Array),
    );
    expectSplitMatches(data.test, [files.get(testFile) as Uint8Array]);
  });

  it('reads an extracted folder, or the folder holding it, to the same result', async () => {
    const archiveData = await loadCifar10({
      data: await writeFixtureArchive(join(work, 'a'), layout),
    });
    const folder = await writeFixtureFolder(join(work, 'f'), layout);
    for (const data of [folder, join(work, 'f')]) {
      const loaded = await loadCifar10({ data });
      expect(loaded.source).toEqual({ kind: 'folder', path: folder });
      expect(Buffer.compare(loaded.train.images, archiveData.train.images)).toBe(0);
      expect(Buffer.compare(loaded.test.labels, archiveData.test.labels)).toBe(0);
      expect(loaded.classNames).toEqual(archiveData.classNames);
    }
  });

  it('names the file whose size is not a whole number of records', async () => {
    const broken = {
      ...layout,
      override: { 'data_batch_3.bin': new Uint8Array(recordBytes * 2 + 5) },
    };
    const archive = await writeFixtureArchive(work, broken);
    const fromArchive = await rejection(loadCifar10({ data: archive }));
    expect(fromArchive.message).toBe(
      `data_batch_3.bin in ${archive} has 6,151 bytes, which is not a whole number of 3073-byte records (1 label byte + 3,072 pixel bytes).`,
    );
    const folder = await writeFixtureFolder(work, broken);
    const fromFolder = await rejection(loadCifar10({ data: folder }));
    expect(fromFolder.file).toBe(join(folder, 'data_batch_3.bin'));
  });

  it('names the file with a label above 9', async () => {
    const bytes = fixtureFiles(layout).get(testFile) as Uint8Array;
    bytes[4 * recordBytes] = 200;
    const archive = await writeFixtureArchive(work, { ...layout, override: { [testFile]: bytes } });
    const error = await rejection(loadCifar10({ data: archive }));
    expect(error.message).toContain(`test_batch.bin in ${archive}: record 4 has label 200`);
  });

  it('names a missing batch file', async () => {
    const archive = await writeFixtureArchive(work, {
      ...layout,
      override: { 'data_batch_5.bin': undefined },
    });
    const error = await rejection(loadCifar10({ data: archive }));
    expect(error.message).toContain(`data_batch_5.bin in ${archive} is missing`);
  });

  it('names the meta file when it does not list ten classes', async () => {
    const folder = await writeFixtureFolder(work, {
      ...layout,
      override: { 'batches.meta.txt': 'cat\ndog\n' },
    });
    const error = await rejection(loadCifar10({ data: folder }));
    expect(error.message).toBe(
      `${join(folder, 'batches.meta.txt')} lists 2 class names; expected 10, one a line (airplane ... truck).`,
    );
  });

  it('names a truncated archive', async () => {
    const archive = await writeFixtureArchive(work, layout);
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(archive));
    await truncate(archive, Math.floor(size / 2));
    const error = await rejection(loadCifar10({ data: archive }));
    expect(error.file).toBe(archive);
    expect(error.message).toMatch(
      new RegExp(
        `^${archive.replaceAll('.', '\\.')} is not a readable CIFAR-10 \\.tar\\.gz archive: `,
      ),
    );
  });

  it('names a file that is not an archive at all', async () => {
    const archive = join(work, 'cifar-10-binary.tar.gz');
    await writeFile(archive, 'this is not a gzip file, just some text '.repeat(40));
    const error = await rejection(loadCifar10({ data: archive }));
    expect(error.file).toBe(archive);
    expect(error.message).toContain('is not a readable CIFAR-10 .tar.gz archive');
  });

  it('says what it expected when the path does not exist or holds no batches', async () => {
    const missing = join(work, 'nowhere');
    expect((await rejection(loadCifar10({ data: missing }))).message).toBe(
      `No CIFAR-10 data at ${missing}: expected a .tar.gz archive, a cifar-10-batches-bin folder or an http(s) URL.`,
    );
    expect((await rejection(loadCifar10({ data: work }))).message).toContain(
      `${work} is a folder without CIFAR-10 batch files`,
    );
  });
});
