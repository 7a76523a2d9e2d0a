import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './client.js';
import { insertMetricPoints, type MetricColumns } from './queries/insert-metric-points.js';
import {
  bucketWidthFor,
  metricSeries,
  metricSeriesMany,
  type SeriesPoint,
} from './queries/metric-series.js';
import { openTestStore, storeKinds } from './testing.js';

/** Postgres orders NaN above every number; the brute force must agree. */
const pgMin = (a: number, b: number) =>
  Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b);
const pgMax = (a: number, b: number) =>
  Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b);

function bruteForce(
  points: { step: number; value: number }[],
  from: number,
  to: number,
  maxPoints: number,
) {
  const inRange = points
    .filter((p) => p.step >= from && p.step <= to)
    .sort((a, b) => a.step - b.step);
  if (inRange.length <= maxPoints)
    return {
      downsampled: false,
      width: null,
      buckets: inRange.map((p) => ({
        step: p.step,
        value: p.value,
        min: p.value,
        max: p.value,
        count: 1,
      })),
    };
  const width = bucketWidthFor(from, to, maxPoints);
  const buckets = new Map<
    number,
    { step: number; value: number; min: number; max: number; count: number }
  >();
  for (const p of inRange) {
    const b = Math.floor(p.step / width);
    const cur = buckets.get(b);
    if (!cur)
      buckets.set(b, { step: p.step, value: p.value, min: p.value, max: p.value, count: 1 });
    else {
      cur.min = pgMin(cur.min, p.value);
      cur.max = pgMax(cur.max, p.value);
      cur.count++;
      if (p.step > cur.step) {
        cur.step = p.step;
        cur.value = p.value;
      }
    }
  }
  return {
    downsampled: true,
    width,
    buckets: [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v),
  };
}

const strip = (points: SeriesPoint[]) =>
  points.map(({ step, value, min, max, count }) => ({ step, value, min, max, count }));

function columns(points: { key: string; step: number; value: number }[]): MetricColumns {
  return {
    keys: points.map((p) => p.key),
    steps: points.map((p) => p.step),
    epochs: points.map(() => null),
    values: points.map((p) => p.value),
    wallTimes: points.map(() => Date.now()),
  };
}

describe.each(storeKinds)('metric series on %s', (kind) => {
  let store: Store;
  let dispose: () => Promise<void>;
  // Irregular steps (gaps, a dense stretch, sparse tail) and a few NaNs.
  const points: { key: string; step: number; value: number }[] = [];
  let seed = 7;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let step = 0; step < 60_000; step += 1 + Math.floor(rand() * 3)) {
    points.push({
      key: 'loss',
      step,
      value: step % 997 === 0 ? Number.NaN : Math.sin(step / 500) + rand(),
    });
  }
  for (let step = 60_000; step < 400_000; step += 911)
    points.push({ key: 'loss', step, value: rand() });

  beforeAll(async () => {
    ({ store, dispose } = await openTestStore(kind));
    await store.prisma.run.create({ data: { id: 'r1', name: 'series' } });
    // Out of order and in uneven batches, so rollups merge across batches.
    const shuffled = [...points].sort(() => rand() - 0.5);
    for (let i = 0; i < shuffled.length; i += 7_000) {
      await insertMetricPoints(store.sql, 'r1', columns(shuffled.slice(i, i + 7_000)));
    }
  }, 120_000);
  afterAll(() => dispose());

  it('re-sending a batch inserts nothing', async () => {
    const again = await insertMetricPoints(store.sql, 'r1', columns(points.slice(0, 500)));
    expect(again).toBe(0);
    const [row] = await store.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM metric_points',
    );
    expect(row?.n).toBe(points.length);
  });

  it.each([
    { maxPoints: 1000, from: undefined, to: undefined },
    { maxPoints: 100, from: undefined, to: undefined },
    { maxPoints: 1000, from: 12_345, to: 54_321 },
    { maxPoints: 300, from: 7, to: 399_999 },
    { maxPoints: 50, from: 59_000, to: 65_000 },
    { maxPoints: 5000, from: 1000, to: 1500 },
  ])('matches a brute-force downsampling: %o', async ({ maxPoints, from, to }) => {
    const lo = from ?? 0;
    const hi = to ?? points.at(-1)!.step;
    const expected = bruteForce(points, lo, hi, maxPoints);
    const series = await metricSeries(store.sql, {
      runId: 'r1',
      key: 'loss',
      maxPoints,
      fromStep: from,
      toStep: to,
    });
    expect(series.downsampled).toBe(expected.downsampled);
    expect(series.bucketWidth).toBe(expected.width);
    expect(series.points.length).toBeLessThanOrEqual(maxPoints);
    expect(strip(series.points)).toEqual(expected.buckets);
    // The last point in range is always kept.
    const lastInRange = points.filter((p) => p.step >= lo && p.step <= hi).at(-1)!;
    expect(series.points.at(-1)?.step).toBe(lastInRange.step);
  });

  it('reads many runs × keys in one call, in order, each as on its own', async () => {
    await store.prisma.run.create({ data: { id: 'r2', name: 'second' } });
    await insertMetricPoints(
      store.sql,
      'r2',
      columns(points.slice(0, 3000).map((p) => ({ ...p, key: 'acc', value: p.value / 2 }))),
    );
    const runIds = ['r2', 'r1', 'missing'];
    const keys = ['loss', 'acc'];
    const many = await metricSeriesMany(store.sql, { runIds, keys, maxPoints: 200 });
    expect(many.map((s) => `${s.runId}/${s.key}`)).toEqual([
      'r2/loss',
      'r2/acc',
      'r1/loss',
      'r1/acc',
      'missing/loss',
      'missing/acc',
    ]);
    for (const series of many) {
      const alone = await metricSeries(store.sql, {
        runId: series.runId,
        key: series.key,
        maxPoints: 200,
      });
      expect(series).toEqual(alone);
    }
    expect(many.filter((s) => s.points.length > 0).map((s) => `${s.runId}/${s.key}`)).toEqual([
      'r2/acc',
      'r1/loss',
    ]);
    // A step range applies to every series.
    const ranged = await metricSeriesMany(store.sql, {
      runIds: ['r1', 'r2'],
      keys: ['loss', 'acc'],
      maxPoints: 100,
      fromStep: 500,
      toStep: 900,
    });
    const expectedR2 = bruteForce(
      points.slice(0, 3000).map((p) => ({ ...p, value: p.value / 2 })),
      500,
      900,
      100,
    );
    expect(strip(ranged[3]!.points)).toEqual(expectedR2.buckets);
    expect(strip(ranged[0]!.points)).toEqual(bruteForce(points, 500, 900, 100).buckets);
  });

  it('returns an empty series for an unknown key', async () => {
    const series = await metricSeries(store.sql, { runId: 'r1', key: 'nope', maxPoints: 10 });
    expect(series.points).toEqual([]);
  });
});
