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

/** One run's batch of points. */
export interface PointBatch {
  runId: string;
  columns: MetricColumns;
}

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
  if (columns.steps.length === 0) return 0;
  const batch = { runId, columns };
  try {
    await copyBatches(sql, [batch]);
    return columns.steps.length;
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
  }
  // Some of these points are stored already (or repeated in the batch): COPY refused them
  // all and rolled back, so insert again skipping those.
  return sql.transaction(async (tx) => {
    const seriesIds = await lockSeries(tx, [batch]);
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

/**
 * Several runs' batches as one transaction: one COPY, one rollup merge and one commit for
 * all of them, which is what lets many writers at once share the database's per-transaction
 * costs (see point-writer.ts). All or nothing: it fails as a whole when any point is
 * already stored (a re-sent batch, code 23505) or any run does not exist; each batch can then be sent alone with
 * {@link insertMetricPoints}, which tells them apart.
 */
export async function insertPointBatches(sql: Sql, batches: readonly PointBatch[]): Promise<void> {
  const nonEmpty = batches.filter((b) => b.columns.steps.length > 0);
  if (nonEmpty.length > 0) await copyBatches(sql, nonEmpty);
}

async function copyBatches(sql: Sql, batches: readonly PointBatch[]): Promise<void> {
  const one = batches.length === 1 ? batches[0]!.columns : undefined;
  const concat = <T>(pick: (c: MetricColumns) => T[]): T[] =>
    one ? pick(one) : batches.flatMap((b) => pick(b.columns));
  const steps = concat((c) => c.steps);
  const values = concat((c) => c.values);
  await sql.transaction(async (tx) => {
    const seriesIds = await lockSeries(tx, batches);
    await tx.copyBinary(
      'metric_points',
      pointColumns,
      encodeBinaryCopy(steps.length, [
        { type: 'int4', values: seriesIds },
        { type: 'int4', values: steps },
        { type: 'int4', values: concat((c) => c.epochs) },
        { type: 'float8', values },
        { type: 'timestamptz', millis: concat((c) => c.wallTimes) },
      ]),
    );
    await mergeRollups(tx, summarisePoints(seriesIds, steps, values));
  });
}

/**
 * The series id of every point of `batches`, in order, with the series rows held FOR KEY
 * SHARE: they cannot be deleted until the points are in (points have no foreign key).
 * Missing series are created first; the new statement that reads them again also sees
 * series that a concurrent batch committed meanwhile.
 * @throws RunNotFoundError when the one run of `batches` does not exist (with several runs,
 *   an error that names them all).
 */
async function lockSeries(tx: Sql, batches: readonly PointBatch[]): Promise<number[]> {
  // The distinct (run, key) pairs, and each point's pair.
  const runs: string[] = [];
  const keys: string[] = [];
  const pairOfPoint = batches.map(({ runId, columns }) => {
    const index = new Map<string, number>();
    return columns.keys.map((key) => {
      let i = index.get(key);
      if (i === undefined) {
        i = runs.push(runId) - 1;
        keys.push(key);
        index.set(key, i);
      }
      return i;
    });
  });
  const select = () =>
    tx.query<{ id: number; run_id: string; key: string }>(
      `SELECT id, run_id, key FROM metric_series
       WHERE (run_id, key) IN (SELECT * FROM unnest($1::text[], $2::text[])) FOR KEY SHARE`,
      [runs, keys],
    );
  const missingRun = (rows: { run_id: string; key: string }[]) => {
    const found = new Set(rows.map((row) => JSON.stringify([row.run_id, row.key])));
    return runs.find((run, i) => !found.has(JSON.stringify([run, keys[i]])));
  };
  let rows = await select();
  if (rows.length < runs.length) {
    try {
      await tx.query(
        'INSERT INTO metric_series (run_id, key) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
        [runs, keys],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23503') {
        // The transaction is aborted now, so the culprit cannot be looked up here.
        const distinct = [...new Set(runs)];
        throw distinct.length === 1
          ? new RunNotFoundError(distinct[0]!)
          : new Error(
              `One of the runs ${distinct.map((r) => JSON.stringify(r)).join(', ')} does not exist.`,
              { cause: error },
            );
      }
      throw error;
    }
    rows = await select();
    const missing = missingRun(rows);
    if (missing !== undefined) throw new RunNotFoundError(missing);
  }
  const idOf = new Map(rows.map((row) => [JSON.stringify([row.run_id, row.key]), row.id]));
  const ids = runs.map((run, i) => idOf.get(JSON.stringify([run, keys[i]]))!);
  return pairOfPoint.flatMap((pairs) => pairs.map((i) => ids[i]!));
}
