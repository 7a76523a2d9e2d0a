import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cifar10Split } from './cifar10-split.js';
import { datasetHash } from './dataset-hash.js';
import { type ExampleSet, selectExamples } from './select-examples.js';
import { loadFixtureSplits } from './testing/fixture-split.js';

let work: string;
let data: { train: Cifar10Split; test: Cifar10Split };
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-select-'));
  data = await loadFixtureSplits(work);
});
afterAll(() => rm(work, { recursive: true, force: true }));

function classCounts(set: ExampleSet): number[] {
  const counts = Array(10).fill(0);
  for (const i of set.indices) counts[set.split.labels[i]!] += 1;
  return counts;
}

describe('selectExamples', () => {
  it('uses all of train and all of test by default', () => {
    const { train, validation } = selectExamples(data, { validation: 'test', seed: 1 });
    expect(train.split).toBe(data.train);
    expect(validation.split).toBe(data.test);
    expect([...train.indices]).toEqual([...Array(100).keys()]);
    expect([...validation.indices]).toEqual([...Array(30).keys()]);
  });

  it('holds out a stratified, disjoint fraction of train, the same for the same seed', () => {
    const a = selectExamples(data, { validation: 0.2, seed: 7 });
    expect(a.validation.split).toBe(data.train);
    expect(classCounts(a.validation)).toEqual(Array(10).fill(2));
    expect(classCounts(a.train)).toEqual(Array(10).fill(8));
    const all = [...a.train.indices, ...a.validation.indices].sort((x, y) => x - y);
    expect(all).toEqual([...Array(100).keys()]);

    const again = selectExamples(data, { validation: 0.2, seed: 7 });
    expect([...again.validation.indices]).toEqual([...a.validation.indices]);
    const other = selectExamples(data, { validation: 0.2, seed: 8 });
    expect([...other.validation.indices]).not.toEqual([...a.validation.indices]);
  });

  it('takes a class-balanced subset of each set, deterministic from the seed', () => {
    const a = selectExamples(data, { validation: 'test', subset: 25, seed: 3 });
    expect(a.train.indices).toHaveLength(25);
    expect(a.validation.indices).toHaveLength(25);
    for (const set of [a.train, a.validation]) {
      const counts = classCounts(set);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    const again = selectExamples(data, { validation: 'test', subset: 25, seed: 3 });
    expect([...again.train.indices]).toEqual([...a.train.indices]);
    expect([
      ...selectExamples(data, { validation: 'test', subset: 25, seed: 4 }).train.indices,
    ]).not.toEqual([...a.train.indices]);
  });

  it('keeps subsets of a held-out fraction disjoint', () => {
    const { train, validation } = selectExamples(data, { validation: 0.3, subset: 20, seed: 5 });
    const overlap = [...train.indices].filter((i) => validation.indices.includes(i));
    expect(overlap).toEqual([]);
    expect(classCounts(validation)).toEqual(Array(10).fill(2));
  });

  it('refuses a subset larger than a set, or a bad fraction, saying why', () => {
    expect(() => selectExamples(data, { validation: 'test', subset: 31, seed: 1 })).toThrow(
      'subset 31 is larger than the 30 validation images available.',
    );
    expect(() => selectExamples(data, { validation: 0.5, subset: 12, seed: 1 })).not.toThrow();
    expect(() => selectExamples(data, { validation: 1.5, seed: 1 })).toThrow(
      /Invalid example selection: validation/,
    );
  });

  it('gives a dataset hash that follows the images used, not the call', () => {
    const base = datasetHash(selectExamples(data, { validation: 'test', subset: 20, seed: 1 }));
    expect(datasetHash(selectExamples(data, { validation: 'test', subset: 20, seed: 1 }))).toBe(
      base,
    );
    expect(datasetHash(selectExamples(data, { validation: 'test', subset: 20, seed: 2 }))).not.toBe(
      base,
    );
    expect(datasetHash(selectExamples(data, { validation: 'test', seed: 1 }))).toBe(
      datasetHash(selectExamples(data, { validation: 'test', seed: 99 })),
    );
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
