import { encodeBinaryCopy } from '../binary-copy.js';
import type { Sql } from '../sql.js';
import { type RollupColumns, summarisePoints } from './rollups.js';

/** Columns of a batch of points for one run; all arrays have the same length. */
export interface MetricColumns {
  keys: string[];
  steps: number[];
  /** null where the point belongs to no epoch. */
  epochs: (number | null)[];
  values: number[];
  /** Milliseconds since 1970. */
  wallTimes: number[];
}

/** The run that points were sent for does not exist (or was deleted meanwhile). */
export class RunNotFoundError extends Error {
  constructor(readonly runId: string) {
    super(`No run with id ${JSON.stringify(runId)}.`);
    this.name = 'RunNotFoundError';
  }
}

const pointColumns = ['series_id', 'step', 'epoch', 'value', 'wall_time'] as const;

// Points that are already stored (a re-sent batch) or repeated within the batch are
// skipped; the first value for a (series, step) wins.
const insertSkippingSql = `
INSERT INTO metric_points (series_id, step, epoch, value, wall_time)
SELECT t.series_id, t.step, t.epoch, t.value, to_timestamp(t.wall_ms / 1000.0)
FROM unnest($1::int[], $2::int[], $3::int[], $4::float8[], $5::float8[])
  AS t(series_id, step, epoch, value, wall_ms)
ON CONFLICT DO NOTHING
RETURNING series_id, step, value`;

const mergeRollupsSql = `
INSERT INTO metric_rollups AS r (series_id, level, bucket, min, max, last_step, last_value, count)
SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::float8[], $5::float8[], $6::int[], $7::float8[], $8::int[])
ON CONFLICT (series_id, level, bucket) DO UPDATE SET
  min = LEAST(r.min, EXCLUDED.min),
  max = GREATEST(r.max, EXCLUDED.max),
  last_value = CASE WHEN EXCLUDED.last_step > r.last_step THEN EXCLUDED.last_value ELSE r.last_value END,
  last_step = GREATEST(r.last_step, EXCLUDED.last_step),
  count = r.count + EXCLUDED.count`;

// The transaction's last statement: it commits with it.
const mergeRollups = (tx: Sql, r: RollupColumns) =>
  tx.queryThenCommit(mergeRollupsSql, [
    r.seriesIds,
    r.levels,
    r.buckets,
    r.mins,
    r.maxes,
    r.lastSteps,
    r.lastValues,
    r.counts,
  ]);

/**
 * Inserts a batch of points for one run, with the rollups they add, in one transaction.
 * Points whose (key, step) the run already has are left as they are: re-sending a batch
 * is harmless.
 *
 * The points go in by binary COPY, which is several times faster than any INSERT; should
 * a point already exist, COPY fails as a whole and the batch is inserted again in a new
 * transaction, skipping what is stored. Either way only the points that were really new
 * feed the rollups.
 * @returns how many points were new.
 * @throws RunNotFoundError when the run does not exist.
 */
export async function insertMetricPoints(
  sql: Sql,
  runId: string,
  columns: MetricColumns,
): Promise<number> {
  const n = columns.steps.length;
  if (n === 0) return 0;
  const distinct: string[] = [];
  const index = new Map<string, number>();
  const keyIndex = columns.keys.map((key) => {
    let i = index.get(key);
    if (i === undefined) {
      i = distinct.push(key) - 1;
      index.set(key, i);
    }
    return i;
  });
  // The series' ids, held FOR KEY SHARE: they cannot be deleted until this batch is in
  // (points have no foreign key). Missing ones are created first; the new statement that
  // reads them again also sees series that a concurrent batch committed meanwhile.
  const lockSeries = async (tx: Sql) => {
    const select = () =>
      tx.query<{ id: number; key: string }>(
        'SELECT id, key FROM metric_series WHERE run_id = $1 AND key = ANY($2::text[]) FOR KEY SHARE',
        [runId, distinct],
      );
    let rows = await select();
    if (rows.length < distinct.length) {
      try {
        await tx.query(
          'INSERT INTO metric_series (run_id, key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
          [runId, distinct],
        );
      } catch (error) {
        if ((error as { code?: string }).code === '23503') throw new RunNotFoundError(runId);
        throw error;
      }
      rows = await select();
      if (rows.length < distinct.length) throw new RunNotFoundError(runId);
    }
    const idOf = new Map(rows.map((row) => [row.key, row.id]));
    const ids = distinct.map((key) => idOf.get(key)!);
    return keyIndex.map((i) => ids[i]!);
  };

  try {
    return await sql.transaction(async (tx) => {
      const seriesIds = await lockSeries(tx);
      await tx.copyBinary(
        'metric_points',
        pointColumns,
        encodeBinaryCopy(n, [
          { type: 'int4', values: seriesIds },
          { type: 'int4', values: columns.steps },
          { type: 'int4', values: columns.epochs },
          { type: 'float8', values: columns.values },
          { type: 'timestamptz', millis: columns.wallTimes },
        ]),
      );
      await mergeRollups(tx, summarisePoints(seriesIds, columns.steps, columns.values));
      return n;
    });
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
  }
  // Some of these points are stored already (or repeated in the batch): COPY refused them
  // all and rolled back, so insert again skipping those.
  return sql.transaction(async (tx) => {
    const seriesIds = await lockSeries(tx);
    const inserted = await tx.query<{ series_id: number; step: number; value: number }>(
      insertSkippingSql,
      [seriesIds, columns.steps, columns.epochs, columns.values, columns.wallTimes],
    );
    if (inserted.length > 0) {
      await mergeRollups(
        tx,
        summarisePoints(
          inserted.map((p) => p.series_id),
          inserted.map((p) => p.step),
          inserted.map((p) => p.value),
        ),
      );
    }
    return inserted.length;
  });
}
