import { rollupLevels } from './rollup-levels.js';

/** Rollup rows as parallel columns, ordered by (series, level, bucket). */
export interface RollupColumns {
  seriesIds: number[];
  levels: number[];
  buckets: number[];
  mins: number[];
  maxes: number[];
  lastSteps: number[];
  lastValues: number[];
  counts: number[];
}

// Postgres orders float8 with NaN above every number (and equal to itself); min and max
// over the points must agree with what SQL's min() and max() would say of the same rows.
const greater = (a: number, b: number) => (Number.isNaN(a) ? !Number.isNaN(b) : a > b);

/**
 * The rollups of a batch of new points, at every level of `rollupLevels`: per bucket the
 * min, max, count and the value at the highest step. `series[i]` names the series of point
 * i (any integers); a batch's steps must be unique within each series.
 */
export function summarisePoints(
  series: ArrayLike<number>,
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
): RollupColumns {
  type Bucket = {
    series: number;
    level: number;
    bucket: number;
    min: number;
    max: number;
    lastStep: number;
    lastValue: number;
    count: number;
  };
  const buckets: Bucket[] = [];
  for (const level of rollupLevels) {
    const index = new Map<number, Bucket>();
    for (let i = 0; i < steps.length; i++) {
      const s = series[i]!;
      const step = steps[i]!;
      const value = values[i]!;
      const bucket = step >> level;
      // Steps are < 2^31, so bucket < 2^27 and the pair fits a double exactly.
      const id = s * 2 ** 27 + bucket;
      const b = index.get(id);
      if (b === undefined) {
        const created = {
          series: s,
          level,
          bucket,
          min: value,
          max: value,
          lastStep: step,
          lastValue: value,
          count: 1,
        };
        index.set(id, created);
        buckets.push(created);
      } else {
        if (greater(b.min, value)) b.min = value;
        if (greater(value, b.max)) b.max = value;
        if (step > b.lastStep) {
          b.lastStep = step;
          b.lastValue = value;
        }
        b.count++;
      }
    }
  }
  // Two batches of one series upsert their rollup rows in this same order, so they take
  // the rows' locks in the same order and cannot deadlock.
  buckets.sort((a, b) => a.series - b.series || a.level - b.level || a.bucket - b.bucket);
  return {
    seriesIds: buckets.map((b) => b.series),
    levels: buckets.map((b) => b.level),
    buckets: buckets.map((b) => b.bucket),
    mins: buckets.map((b) => b.min),
    maxes: buckets.map((b) => b.max),
    lastSteps: buckets.map((b) => b.lastStep),
    lastValues: buckets.map((b) => b.lastValue),
    counts: buckets.map((b) => b.count),
  };
}
