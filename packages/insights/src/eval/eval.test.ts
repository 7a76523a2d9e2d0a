import { describe, expect, it } from 'vitest';
import { loadCorpus } from './corpus.js';
import { measureRun } from './measure.js';

// The real curves of the corpus, diagnosed as the eval command does: the bar of issue 12.
const results = loadCorpus().map(measureRun);

describe('the diagnosis on real learning curves', () => {
  it('has a corpus of every kind a beginner meets', () => {
    const labels = new Set(results.map((r) => r.label));
    for (const kind of ['stuck', 'overfitting', 'underfitting', 'healthy'])
      expect(labels).toContain(kind);
  });

  it('names the right primary finding for at least 9 runs in 10', () => {
    const wrong = results.filter((r) => r.diagnosed !== r.label);
    const misses = wrong.map((r) => `${r.name}: ${r.label} diagnosed ${r.diagnosed}`);
    expect(1 - wrong.length / results.length, misses.join('; ')).toBeGreaterThanOrEqual(0.9);
  });

  it('puts the overfitting onset within one epoch of the one read by eye', () => {
    const onsets = results.flatMap((r) => (r.onset ? [[r.name, r.onset] as const] : []));
    expect(onsets.length).toBeGreaterThan(0);
    for (const [name, { labelled, diagnosed }] of onsets) {
      expect(diagnosed, name).not.toBeNull();
      expect(Math.abs(diagnosed! - labelled), name).toBeLessThanOrEqual(1);
    }
  });

  it('never shows a healthy run overfitting, divergent or unstable as its epochs arrive', () => {
    expect(results.flatMap((r) => r.falseAlarms.map(([e, k]) => `${r.name}@${e}: ${k}`))).toEqual(
      [],
    );
  });

  it('shows nothing at confidence 0.8 or more before the minimum epochs', () => {
    expect(
      results.flatMap((r) => r.earlyConfident.map(([e, k]) => `${r.name}@${e}: ${k}`)),
    ).toEqual([]);
  });

  it('never shows a live verdict for a single epoch and takes it back', () => {
    expect(
      results.filter((r) => r.flipBacks > 0).map((r) => `${r.name}: ${r.live.join(' ')}`),
    ).toEqual([]);
  });
});
