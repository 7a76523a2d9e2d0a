import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar';
import { describe, expect, it } from 'vitest';
import { folderName, testFile, trainFiles } from './cifar10-format.js';
import { hashExamples } from './dataset-hash.js';
import { loadCifar10 } from './load-cifar10.js';
import { selectExamples } from './select-examples.js';
import { sharedDataDir } from './testing/shared-data.js';

const archive = join(
  sharedDataDir(process.env.TRAINBOOK_SHARED_DATA),
  'cifar-10-binary-10k.tar.gz',
);
const present = existsSync(archive);
if (!present)
  console.warn(
    `Skipping the shared-archive test: ${archive} not found (set TRAINBOOK_SHARED_DATA).`,
  );
const publishedSha256 = '7cd710eae8a7001bde718eae5db7221ed0b30c608f85ae809b191fb2edffb1b8';

describe.skipIf(!present)(
  present
    ? 'the shared 10k CIFAR-10 archive'
    : `the shared 10k CIFAR-10 archive (skipped: ${archive} not found; set TRAINBOOK_SHARED_DATA to its folder)`,
  () => {
    it('loads 10,000 training and 2,000 test images, balanced, matching the files byte for byte', async () => {
      const data = await loadCifar10({ data: archive });
      expect(data.source).toEqual({ kind: 'archive', path: archive, sha256: publishedSha256 });
      expect(data.classNames).toEqual([
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
      ]);
      expect(data.train.count).toBe(10_000);
      expect(data.test.count).toBe(2_000);
      expect(data.train.files.map((f) => f.records)).toEqual([2000, 2000, 2000, 2000, 2000]);
      const perClass = (labels: Uint8Array) =>
        Array.from({ length: 10 }, (_, c) => labels.filter((l) => l === c).length);
      expect(perClass(data.train.labels)).toEqual(Array(10).fill(1000));
      expect(perClass(data.test.labels)).toEqual(Array(10).fill(200));

      // Extract with tar and hash the raw batch files: the in-memory records must be the same bytes.
      const work = await mkdtemp(join(tmpdir(), 'trainbook-shared-'));
      try {
        await extract({ file: archive, cwd: work });
        const folder = join(work, folderName);
        const sha = async (names: string[]) => {
          const hash = createHash('sha256');
          for (const name of names) hash.update(await readFile(join(folder, name)));
          return hash.digest('hex');
        };
        const sets = selectExamples(data, { validation: 'test', seed: 1 });
        expect(hashExamples(sets.train)).toBe(await sha(trainFiles));
        expect(hashExamples(sets.validation)).toBe(await sha([testFile]));
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
  },
);
