import type { Sql } from '../sql.js';
import { rollupLevels } from './rollup-levels.js';

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

// Each level is aggregated from the one below it (16× fewer rows each time), not from the
// points again; "last" is max([step, value]), which needs no sort.
const levelCtes = rollupLevels
  .map((level, i) =>
    i === 0
      ? `l${level} AS (SELECT series_id, step >> ${level} AS bucket, min(value) AS mn, max(value) AS mx,
           max(ARRAY[step::float8, value]) AS last, count(*) AS c FROM inserted GROUP BY 1, 2)`
      : `l${level} AS (SELECT series_id, bucket >> ${level - rollupLevels[i - 1]!} AS bucket, min(mn) AS mn,
           max(mx) AS mx, max(last) AS last, sum(c) AS c FROM l${rollupLevels[i - 1]} GROUP BY 1, 2)`,
  )
  .join(',\n');
const levelsUnion = rollupLevels
  .map((level) => `SELECT ${level} AS level, * FROM l${level}`)
  .join(' UNION ALL ');

// The points go in through unnest (set-based, no per-row round trips), each naming its
// series by an index into the batch's distinct keys; only rows that were really new
// (RETURNING after ON CONFLICT DO NOTHING) feed the rollups, so a re-sent batch changes
// nothing. Rollup rows are written in key order so that two concurrent batches of one run
// take row locks in the same order.
const insertSql = `
WITH series AS (
  SELECT id, key FROM metric_series WHERE run_id = $1 AND key = ANY($2::text[])
),
inserted AS (
  INSERT INTO metric_points (series_id, step, epoch, value, wall_time)
  SELECT s.id, t.step, t.epoch, t.value, to_timestamp(t.wall_ms / 1000.0)
  FROM unnest($3::int[], $4::int[], $5::int[], $6::float8[], $7::float8[]) AS t(k, step, epoch, value, wall_ms)
  JOIN series s ON s.key = ($2::text[])[t.k]
  ON CONFLICT DO NOTHING
  RETURNING series_id, step, value
),
${levelCtes},
rolled AS (
  INSERT INTO metric_rollups AS r (series_id, level, bucket, min, max, last_step, last_value, count)
  SELECT series_id, level, bucket, mn, mx, last[1]::int, last[2], c FROM (${levelsUnion}) AS u
  ORDER BY series_id, level, bucket
  ON CONFLICT (series_id, level, bucket) DO UPDATE SET
    min = LEAST(r.min, EXCLUDED.min),
    max = GREATEST(r.max, EXCLUDED.max),
    last_value = CASE WHEN EXCLUDED.last_step > r.last_step THEN EXCLUDED.last_value ELSE r.last_value END,
    last_step = GREATEST(r.last_step, EXCLUDED.last_step),
    count = r.count + EXCLUDED.count
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int AS inserted`;

/**
 * Inserts a batch of points for one run in one set-based statement. Points whose
 * (key, step) the run already has are left as they are: re-sending a batch is harmless.
 * @returns how many points were new.
 */
export async function insertMetricPoints(
  sql: Sql,
  runId: string,
  columns: MetricColumns,
): Promise<number> {
  if (columns.keys.length === 0) return 0;
  const distinct: string[] = [];
  const index = new Map<string, number>();
  const keyIndex = columns.keys.map((key) => {
    let i = index.get(key);
    if (i === undefined) {
      i = distinct.push(key); // 1-based, as SQL arrays are
      index.set(key, i);
    }
    return i;
  });
  // Its own statement, committed before the insert reads the ids: a series that a
  // concurrent batch creates is then visible, never silently missed.
  await sql.query(
    'INSERT INTO metric_series (run_id, key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
    [runId, distinct],
  );
  const rows = await sql.query<{ inserted: number }>(insertSql, [
    runId,
    distinct,
    keyIndex,
    columns.steps,
    columns.epochs,
    columns.values,
    columns.wallTimes,
  ]);
  return rows[0]?.inserted ?? 0;
}
