import { describe, expect, it } from 'vitest';
import { appendPoints } from './metric-keys';
import { alignSeries, smooth } from './series';

describe('alignSeries', () => {
  it('puts series with different steps on one x axis, with gaps as null', () => {
    const [xs, a, b] = alignSeries([
      { label: 'a', colour: '#000000', steps: [0, 2], values: [1, 3] },
      { label: 'b', colour: '#000000', steps: [1, 2], values: [Number.NaN, 5] },
    ]);
    expect(xs).toEqual([0, 1, 2]);
    expect(a).toEqual([1, null, 3]);
    // NaN cannot be drawn: it becomes a gap too.
    expect(b).toEqual([null, null, 5]);
  });
});

describe('smooth', () => {
  it('leaves values alone at weight 0 and corrects the start-up bias otherwise', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const out = smooth([4, 4, 4], 0.9);
    for (const v of out) expect(v).toBeCloseTo(4, 10);
    expect(smooth([0, 10], 0.5)[1]).toBeCloseTo((0.5 * 0 * 0.5 + 0.5 * 10) / (1 - 0.25), 10);
  });
});

describe('appendPoints', () => {
  it('appends new steps and replaces a step logged again', () => {
    const next = appendPoints({ steps: [0, 1], values: [0.1, 0.2] }, [
      { step: 1, value: 0.25 },
      { step: 2, value: 0.3 },
    ]);
    expect(next).toEqual({ steps: [0, 1, 2], values: [0.1, 0.25, 0.3] });
  });
});
