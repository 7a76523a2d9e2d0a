import { describe, expect, it } from 'vitest';
import { analyse } from './context.js';
import { loadCorpus } from './eval/corpus.js';
import { detectOverfitting } from './overfitting.js';
import { smoothedMinimum, smoothedOnset, smoothSeries } from './smooth.js';
import type { EpochMetrics } from './types.js';

/** mulberry32: a small seeded generator, so the noise is the same on every run of the test. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const overfitRuns = loadCorpus().filter((r) => r.label === 'overfitting');

describe('smoothSeries', () => {
  it('keeps a straight line as it is, ends included', () => {
    const line: [number, number][] = [1, 2, 3, 4, 5, 6].map((e) => [e, 3 - 0.25 * e]);
    for (const [[, s], [, v]] of smoothSeries(line).map((p, i) => [p, line[i]!] as const))
      expect(s).toBeCloseTo(v, 10);
  });

  it('halves the wiggle of an alternating series inside the run', () => {
    const zigzag: [number, number][] = Array.from({ length: 12 }, (_, i) => [
      i + 1,
      i % 2 ? 1.1 : 0.9,
    ]);
    const inside = smoothSeries(zigzag).slice(2, -2);
    for (const [, v] of inside) expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });

  it('puts the minimum of a V on its lowest epoch, even next to the start', () => {
    const v: [number, number][] = [1.05, 1.0, 1.08, 1.16, 1.24, 1.32].map((y, i) => [i + 1, y]);
    expect(smoothedMinimum(v)?.[0]).toBe(2);
    // The onset is the last epoch within 3% of the bottom: here the minimum or the one after.
    expect(smoothedOnset(v)?.epoch).toBeGreaterThanOrEqual(2);
    expect(smoothedOnset(v)?.epoch).toBeLessThanOrEqual(3);
  });

  it('takes the last epoch of a flat bottom as the onset, where noise would pick any of them', () => {
    // Lowest raw value at epoch 3, flat within 1.5% through epoch 7, then rising.
    const flat: [number, number][] = [2.3, 2.25, 2.23, 2.25, 2.24, 2.25, 2.26, 2.45, 2.7, 2.95].map(
      (y, i) => [i + 1, y],
    );
    const onset = smoothedOnset(flat)!.epoch;
    expect(onset).toBeGreaterThanOrEqual(5);
    expect(onset).toBeLessThanOrEqual(7);
  });
});

describe('overfitting onset on real curves under ±2% noise', () => {
  it('the corpus has overfitting runs to perturb', () => {
    expect(overfitRuns.length).toBeGreaterThanOrEqual(3);
  });

  it.each(overfitRuns.map((r) => [r.name, r] as const))(
    '%s: onset moves at most one epoch in 200 noisy copies',
    (_name, run) => {
      const clean = detectOverfitting(analyse(run))?.onsetEpoch;
      expect(clean).toBeTypeOf('number');
      const random = rng(12);
      const moves: number[] = [];
      for (let copy = 0; copy < 200; copy++) {
        const noisy: EpochMetrics[] = run.epochs.map((e) => ({
          ...e,
          val_loss:
            e.val_loss === undefined ? undefined : e.val_loss * (1 + (random() * 2 - 1) * 0.02),
        }));
        const onset = smoothedOnset(
          noisy.flatMap((e) =>
            e.val_loss === undefined ? [] : [[e.epoch, e.val_loss] as [number, number]],
          ),
        )?.epoch;
        moves.push(Math.abs((onset ?? Number.NaN) - clean!));
      }
      expect(Math.max(...moves)).toBeLessThanOrEqual(1);
    },
  );
});
