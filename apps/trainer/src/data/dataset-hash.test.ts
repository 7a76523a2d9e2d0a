import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testFile, trainFiles } from './cifar10-format.js';
import { hashExamples } from './dataset-hash.js';
import { readFolder } from './read-folder.js';
import { selectExamples } from './select-examples.js';
import { writeFixtureFolder } from './testing/cifar10-fixture.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-hash-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

it('hashes a whole split to the sha256 of its batch files, so it can be checked with sha256sum', async () => {
  const folder = await writeFixtureFolder(work, { trainRecords: [4, 7, 1, 3, 2], testRecords: 5 });
  const sets = selectExamples(await readFolder(folder), { validation: 'test', seed: 0 });
  const sha = async (names: string[]) => {
    const hash = createHash('sha256');
    for (const name of names) hash.update(await readFile(join(folder, name)));
    return hash.digest('hex');
  };
  expect(hashExamples(sets.train)).toBe(await sha(trainFiles));
  expect(hashExamples(sets.validation)).toBe(await sha([testFile]));
});
