import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './client.js';
import { PointWriter } from './point-writer.js';
import {
  insertMetricPoints,
  type MetricColumns,
  RunNotFoundError,
} from './queries/insert-metric-points.js';
import { rollupLevels } from './queries/rollup-levels.js';
import { openTestStore, storeKinds } from './testing.js';

interface Point {
  key: string;
  step: number;
  value: number;
  epoch?: number | null;
  wallTime?: number;
}

function columns(points: Point[]): MetricColumns {
  return {
    keys: points.map((p) => p.key),
    steps: points.map((p) => p.step),
    epochs: points.map((p) => p.epoch ?? null),
    values: points.map((p) => p.value),
    wallTimes: points.map((p) => p.wallTime ?? Date.UTC(2026, 11, 1, 12, 0, 0, 123)),
  };
}

const range = (from: number, to: number, value: (step: number) => number, key = 'loss') =>
  Array.from({ length: to - from }, (_, i) => ({ key, step: from + i, value: value(from + i) }));

async function stored(store: Store, runId: string) {
  return store.sql.query<{
    key: string;
    step: number;
    epoch: number | null;
    value: number;
    wall_ms: number;
  }>(
    `SELECT s.key, p.step, p.epoch, p.value, (extract(epoch FROM p.wall_time) * 1000)::float8 AS wall_ms
     FROM metric_points p JOIN metric_series s ON s.id = p.series_id
     WHERE s.run_id = $1 ORDER BY s.key, p.step`,
    [runId],
  );
}

/**
 * The rollups that are stored, next to the same summaries computed by SQL's own aggregates
 * from the stored points: whatever path a batch took, the two must be the same.
 */
async function rollupsAgainstPoints(store: Store, runId: string) {
  const columnsSql = `series_id, level, bucket, min, max, last_step, last_value, count`;
  const expected = await store.sql.query(
    `SELECT ${columnsSql} FROM (${rollupLevels
      .map(
        (level) => `SELECT p.series_id, ${level} AS level, p.step >> ${level} AS bucket,
           min(p.value) AS min, max(p.value) AS max, max(p.step) AS last_step,
           (max(ARRAY[p.step::float8, p.value]))[2] AS last_value, count(*)::int AS count
         FROM metric_points p JOIN metric_series s ON s.id = p.series_id
         WHERE s.run_id = $1 GROUP BY 1, 2, 3`,
      )
      .join(' UNION ALL ')}) AS u ORDER BY 1, 2, 3`,
    [runId],
  );
  const actual = await store.sql.query(
    `SELECT ${columnsSql} FROM metric_rollups r JOIN metric_series s ON s.id = r.series_id
     WHERE s.run_id = $1 ORDER BY 1, 2, 3`,
    [runId],
  );
  return { expected, actual };
}

describe.each(storeKinds)('inserting metric points on %s', (kind) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let n = 0;
  const newRun = async () => {
    const id = `run-${++n}`;
    await store.prisma.run.create({ data: { id, name: id } });
    return id;
  };

  beforeAll(async () => {
    ({ store, dispose } = await openTestStore(kind));
  }, 60_000);
  afterAll(() => dispose());

  it('stores every field as sent: NaN, ±Infinity, tiny values, null and set epochs, wall times, the largest step', async () => {
    const runId = await newRun();
    const points: Point[] = [
      { key: 'loss', step: 0, value: Number.NaN, epoch: null, wallTime: 0 },
      { key: 'loss', step: 1, value: Number.POSITIVE_INFINITY, epoch: 0, wallTime: 1 },
      {
        key: 'val_loss',
        step: 1,
        value: Number.NEGATIVE_INFINITY,
        epoch: 7,
        wallTime: 946_684_799_999,
      },
      { key: 'loss', step: 2, value: 5e-324, epoch: 2_147_483_647, wallTime: 1_764_590_400_123 },
      { key: 'lr', step: 2_147_483_647, value: -1.5e308, wallTime: 4_102_444_800_000 },
      { key: 'val_loss', step: 0, value: 0.1 + 0.2 },
    ];
    expect(await insertMetricPoints(store.sql, runId, columns(points))).toBe(points.length);
    const rows = await stored(store, runId);
    const byKeyStep = (a: Point, b: Point) => a.key.localeCompare(b.key) || a.step - b.step;
    expect(rows).toEqual(
      [...points].sort(byKeyStep).map((p) => ({
        key: p.key,
        step: p.step,
        epoch: p.epoch ?? null,
        value: p.value,
        wall_ms: p.wallTime ?? Date.UTC(2026, 11, 1, 12, 0, 0, 123),
      })),
    );
    const r = await rollupsAgainstPoints(store, runId);
    expect(r.actual).toEqual(r.expected);
  });

  it('a batch that overlaps stored points adds only the new ones; the first value wins', async () => {
    const runId = await newRun();
    expect(await insertMetricPoints(store.sql, runId, columns(range(0, 5000, (s) => s)))).toBe(
      5000,
    );
    const overlapping = [...range(3000, 9000, (s) => -s), ...range(0, 100, (s) => s, 'acc')];
    expect(await insertMetricPoints(store.sql, runId, columns(overlapping))).toBe(4000 + 100);
    const rows = await stored(store, runId);
    expect(rows).toHaveLength(9100);
    const loss = rows.filter((row) => row.key === 'loss');
    expect(loss.map((row) => row.value)).toEqual(
      Array.from({ length: 9000 }, (_, s) => (s < 5000 ? s : -s)),
    );
    const r = await rollupsAgainstPoints(store, runId);
    expect(r.actual).toEqual(r.expected);
    // Re-sending all of it changes nothing.
    expect(await insertMetricPoints(store.sql, runId, columns(overlapping))).toBe(0);
    expect((await rollupsAgainstPoints(store, runId)).actual).toEqual(r.actual);
  });

  it('a step repeated within one batch is stored once, with its first value', async () => {
    const runId = await newRun();
    const points = [...range(0, 50, () => 1), ...range(10, 20, () => 2)];
    expect(await insertMetricPoints(store.sql, runId, columns(points))).toBe(50);
    expect((await stored(store, runId)).every((row) => row.value === 1)).toBe(true);
    const r = await rollupsAgainstPoints(store, runId);
    expect(r.actual).toEqual(r.expected);
  });

  it('many small batches, out of order and with NaNs, leave rollups equal to SQL aggregates', async () => {
    const runId = await newRun();
    const order = Array.from({ length: 40 }, (_, i) => (i * 17) % 40);
    for (const b of order) {
      const from = b * 777;
      await insertMetricPoints(
        store.sql,
        runId,
        columns([
          ...range(from, from + 777, (s) => (s % 101 === 0 ? Number.NaN : Math.sin(s))),
          ...range(from, from + 777, (s) => Math.cos(s), 'val_loss'),
        ]),
      );
    }
    const r = await rollupsAgainstPoints(store, runId);
    expect(r.actual.length).toBeGreaterThan(0);
    expect(r.actual).toEqual(r.expected);
  });

  it('refuses points of an unknown run and writes nothing', async () => {
    const before = await store.sql.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM metric_points) + (SELECT count(*) FROM metric_series) AS n',
    );
    await expect(
      insertMetricPoints(store.sql, 'no-such-run', columns(range(0, 10, (s) => s))),
    ).rejects.toBeInstanceOf(RunNotFoundError);
    const after = await store.sql.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM metric_points) + (SELECT count(*) FROM metric_series) AS n',
    );
    expect(Number(after[0]?.n)).toBe(Number(before[0]?.n));
  });

  it('deleting a run deletes its points and rollups, and no one else’s', async () => {
    const doomed = await newRun();
    const kept = await newRun();
    await insertMetricPoints(store.sql, doomed, columns(range(0, 3000, (s) => s)));
    await insertMetricPoints(store.sql, kept, columns(range(0, 3000, (s) => s)));
    await store.prisma.run.delete({ where: { id: doomed } });
    const [orphans] = await store.sql.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM metric_points WHERE series_id NOT IN (SELECT id FROM metric_series))
            + (SELECT count(*) FROM metric_rollups WHERE series_id NOT IN (SELECT id FROM metric_series)) AS n`,
    );
    expect(Number(orphans?.n)).toBe(0);
    expect(await stored(store, kept)).toHaveLength(3000);
  });

  // PGlite has one connection: nothing there runs concurrently.
  const onPostgres = kind === 'postgres' ? it : () => {};
  onPostgres(
    'concurrent batches and a concurrent delete leave no orphaned points and exact rollups',
    async () => {
      const runId = await newRun();
      // Four overlapping batches of one run at once: some COPY, some fall back.
      await Promise.all(
        [0, 2500, 5000, 2500].map((from, i) =>
          insertMetricPoints(
            store.sql,
            runId,
            columns(range(from, from + 5000, (s) => s * (i + 1))),
          ),
        ),
      );
      expect(await stored(store, runId)).toHaveLength(10_000);
      const r = await rollupsAgainstPoints(store, runId);
      expect(r.actual).toEqual(r.expected);

      for (let round = 0; round < 5; round++) {
        const id = await newRun();
        await insertMetricPoints(store.sql, id, columns(range(0, 10, (s) => s)));
        const writes = Array.from({ length: 3 }, (_, i) =>
          insertMetricPoints(
            store.sql,
            id,
            columns(range(10 + i * 10_000, 10 + (i + 1) * 10_000, (s) => s)),
          ).catch((error: unknown) => {
            if (!(error instanceof RunNotFoundError)) throw error;
            return 0;
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, round * 3));
        await store.prisma.run.delete({ where: { id } });
        await Promise.all(writes);
        const [orphans] = await store.sql.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM metric_points WHERE series_id NOT IN (SELECT id FROM metric_series))
                + (SELECT count(*) FROM metric_rollups WHERE series_id NOT IN (SELECT id FROM metric_series)) AS n`,
        );
        expect(Number(orphans?.n)).toBe(0);
      }
    },
    60_000,
  );

  describe('PointWriter: batches that wait for a transaction are written together', () => {
    it('six runs at once: one batch alone, then five in one transaction, each stored exactly', async () => {
      const writer = new PointWriter(store.sql, { transactions: 1 });
      const runs = await Promise.all(Array.from({ length: 6 }, () => newRun()));
      const batches = runs.map((_runId, r) =>
        columns([
          ...range(0, 1500, (s) => (s % 97 === 0 ? Number.NaN : Math.sin(s + r))),
          ...range(0, 300, (s) => s * r, 'val_loss'),
        ]),
      );
      const inserted = await Promise.all(runs.map((runId, r) => writer.write(runId, batches[r]!)));
      expect(inserted).toEqual(runs.map(() => 1800));
      expect(writer.stats()).toEqual({ batches: 6, groups: 2 });
      for (const [r, runId] of runs.entries()) {
        const rows = await stored(store, runId);
        expect(rows).toHaveLength(1800);
        expect(rows.filter((row) => row.key === 'val_loss').map((row) => row.value)).toEqual(
          batches[r]!.values.slice(1500),
        );
        const rollups = await rollupsAgainstPoints(store, runId);
        expect(rollups.actual).toEqual(rollups.expected);
      }
    });

    it('a re-sent batch in a group keeps the first values and each caller learns its own count', async () => {
      const writer = new PointWriter(store.sql, { transactions: 1 });
      const [a, b] = [await newRun(), await newRun()];
      await writer.write(a, columns(range(0, 1000, (s) => s)));
      const answers = await Promise.all([
        writer.write(b, columns(range(0, 10, (s) => s))), // alone: the transaction was free
        writer.write(a, columns(range(500, 1500, (s) => -s))), // half of it is stored already
        writer.write(b, columns(range(10, 20, (s) => s))),
      ]);
      expect(answers).toEqual([10, 500, 10]);
      expect(writer.stats()).toEqual({ batches: 4, groups: 3 });
      const rowsA = await stored(store, a);
      expect(rowsA.map((row) => row.value)).toEqual(
        Array.from({ length: 1500 }, (_, s) => (s < 1000 ? s : -s)),
      );
      expect(await stored(store, b)).toHaveLength(20);
      for (const runId of [a, b]) {
        const rollups = await rollupsAgainstPoints(store, runId);
        expect(rollups.actual).toEqual(rollups.expected);
      }
    });

    it("an unknown run's batch in a group is refused alone; the others are stored", async () => {
      const writer = new PointWriter(store.sql, { transactions: 1 });
      const known = await newRun();
      const answers = await Promise.allSettled([
        writer.write(known, columns(range(0, 10, (s) => s))),
        writer.write(known, columns(range(10, 20, (s) => s))),
        writer.write('no-such-run-in-a-group', columns(range(0, 10, (s) => s))),
        writer.write(known, columns(range(20, 30, (s) => s))),
      ]);
      expect(answers.map((a) => a.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const refused = answers[2] as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(RunNotFoundError);
      expect((refused.reason as RunNotFoundError).runId).toBe('no-such-run-in-a-group');
      expect(await stored(store, known)).toHaveLength(30);
    });

    it('a lone writer never waits: each batch is its own transaction', async () => {
      const writer = new PointWriter(store.sql, { transactions: 1 });
      const runId = await newRun();
      for (let b = 0; b < 3; b++)
        expect(await writer.write(runId, columns(range(b * 10, b * 10 + 10, (s) => s)))).toBe(10);
      expect(writer.stats()).toEqual({ batches: 3, groups: 3 });
    });

    it('a group holds at most maxPoints, and never splits a batch', async () => {
      const writer = new PointWriter(store.sql, { transactions: 1, maxPoints: 250 });
      const runId = await newRun();
      await Promise.all(
        [100, 100, 100, 100, 300].map((n, b) =>
          writer.write(runId, columns(range(b * 1000, b * 1000 + n, (s) => s))),
        ),
      );
      // [100] alone, then [100, 100] (a third would pass 250), [100], and [300] on its own.
      expect(writer.stats()).toEqual({ batches: 5, groups: 4 });
      expect(await stored(store, runId)).toHaveLength(700);
    });
  });

  it('a PointWriter needs at least one transaction', () => {
    expect(() => new PointWriter(store.sql, { transactions: 0 })).toThrow(
      /transactions must be a whole number ≥ 1, not 0/,
    );
  });
});
