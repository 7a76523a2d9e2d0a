import { describe, expect, it } from 'vitest';
import { appendPoints, toPoints } from './metric-keys';
import { alignBands, alignSeries, smooth } from './series';

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

describe('toPoints', () => {
  it('keeps min and max columns only when the tracker bucketed the series', () => {
    expect(toPoints([{ step: 0, value: 1, min: 1, max: 1, count: 1 }])).toEqual({
      steps: [0],
      values: [1],
    });
    expect(
      toPoints(
        [
          { step: 3, value: 0.123456789, min: 0.1, max: 0.2, count: 4 },
          { step: 7, value: 0.3, min: 0.25, max: 0.35, count: 4 },
        ],
        3,
      ),
    ).toEqual({ steps: [3, 7], values: [0.123, 0.3], min: [0.1, 0.25], max: [0.2, 0.35] });
  });

  it('extends a bucketed series with live points as buckets of one', () => {
    const next = appendPoints({ steps: [3], values: [0.2], min: [0.1], max: [0.3] }, [
      { step: 8, value: 0.4 },
    ]);
    expect(next).toEqual({ steps: [3, 8], values: [0.2, 0.4], min: [0.1, 0.4], max: [0.3, 0.4] });
  });
});

describe('alignBands', () => {
  it('puts each band on the shared x axis, null where a series has no bucket or no band', () => {
    const series = [
      {
        label: 'a',
        colour: '#000000',
        steps: [0, 4],
        values: [1, 2],
        band: { min: [0.5, Number.NaN], max: [1.5, 2.5] },
      },
      { label: 'b', colour: '#000000', steps: [2], values: [3] },
    ];
    const [xs] = alignSeries(series);
    expect(alignBands(xs, series)).toEqual([
      { min: [0.5, null, null], max: [1.5, null, null] },
      null,
    ]);
  });
});
