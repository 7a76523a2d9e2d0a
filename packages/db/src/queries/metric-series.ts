import type { Sql } from '../sql.js';
import { rollupLevels } from './rollup-levels.js';

export interface SeriesPoint {
  step: number;
  /** The point's value; for a bucket, the value at its last step. */
  value: number;
  min: number;
  max: number;
  /** Points summarised: 1 for a raw point. */
  count: number;
  /** Raw points only. */
  epoch?: number | null;
  wallTime?: Date;
}

export interface Series {
  runId: string;
  key: string;
  /** False when every point in range is returned as it was logged. */
  downsampled: boolean;
  /** Steps per bucket (a power of two) when downsampled. */
  bucketWidth: number | null;
  points: SeriesPoint[];
}

export interface SeriesQuery {
  runId: string;
  key: string;
  maxPoints: number;
  /** Inclusive step range; open ends default to the series' first and last step. */
  fromStep?: number | undefined;
  toStep?: number | undefined;
}

/**
 * Smallest power-of-two width whose aligned buckets (bucket = floor(step / width)) cover
 * [from, to] in at most maxPoints buckets.
 */
export function bucketWidthFor(from: number, to: number, maxPoints: number): number {
  let width = 1;
  while (Math.floor(to / width) - Math.floor(from / width) + 1 > maxPoints) width *= 2;
  return width;
}

interface RawRow {
  step: number;
  value: number;
  epoch: number | null;
  wall_time: Date;
}

/** Every point of a series in [from, to]; callers make sure there are few of them. */
async function rawPoints(
  sql: Sql,
  seriesId: number,
  from: number,
  to: number,
): Promise<SeriesPoint[]> {
  const rows = await sql.query<RawRow>(
    `SELECT step, value, epoch, wall_time FROM metric_points
     WHERE series_id = $1 AND step BETWEEN $2 AND $3 ORDER BY step`,
    [seriesId, from, to],
  );
  return rows.map((row) => ({
    step: row.step,
    value: row.value,
    min: row.value,
    max: row.value,
    count: 1,
    epoch: row.epoch,
    // A time beyond a Date's range (stored before the API refused them) is left out.
    ...(Number.isNaN(row.wall_time.getTime()) ? {} : { wallTime: row.wall_time }),
  }));
}

/** What {@link metricSeriesMany} reads: every run × key, each as {@link metricSeries} would. */
export interface SeriesManyQuery {
  runIds: string[];
  keys: string[];
  maxPoints: number;
  fromStep?: number | undefined;
  toStep?: number | undefined;
}

/**
 * The series of every run × key, in that order (run-major), each as {@link metricSeries}
 * returns it. One query finds every series and its step bounds; then each series reads its
 * points or buckets, all at once — 1 + n round trips where one series at a time took 3n.
 */
export async function metricSeriesMany(sql: Sql, query: SeriesManyQuery): Promise<Series[]> {
  const { runIds, keys, maxPoints, fromStep, toStep } = query;
  const found = await sql.query<{
    run_id: string;
    key: string;
    id: number;
    lo: number | null;
    hi: number | null;
  }>(
    `SELECT s.run_id, s.key, s.id, b.lo, b.hi
     FROM metric_series s
     CROSS JOIN LATERAL (
       SELECT min(step) AS lo, max(step) AS hi FROM metric_points WHERE series_id = s.id
     ) b
     WHERE s.run_id = ANY($1::text[]) AND s.key = ANY($2::text[])`,
    [runIds, keys],
  );
  const byPair = new Map(found.map((row) => [`${row.run_id}\u0000${row.key}`, row]));
  return Promise.all(
    runIds.flatMap((runId) =>
      keys.map((key) => {
        const empty: Series = { runId, key, downsampled: false, bucketWidth: null, points: [] };
        const row = byPair.get(`${runId}\u0000${key}`);
        if (!row || row.lo === null || row.hi === null) return empty;
        return seriesPoints(sql, empty, row.id, fromStep ?? row.lo, toStep ?? row.hi, maxPoints);
      }),
    ),
  );
}

/**
 * A metric's series: every point when the range holds at most maxPoints, else one entry per
 * aligned bucket of steps with its min, max and last value — so the final point is always
 * there. NaN ranks above every number in min/max, as Postgres orders it.
 */
export async function metricSeries(sql: Sql, query: SeriesQuery): Promise<Series> {
  const { runId, key, ...rest } = query;
  const [series] = await metricSeriesMany(sql, { runIds: [runId], keys: [key], ...rest });
  return series!;
}

/** The points or buckets of one series in [from, to]. */
async function seriesPoints(
  sql: Sql,
  empty: Series,
  seriesId: number,
  from: number,
  to: number,
  maxPoints: number,
): Promise<Series> {
  const { runId, key } = empty;
  if (from > to) return empty;
  // Steps are unique, so a span this short cannot hold more than maxPoints points.
  if (to - from + 1 <= maxPoints)
    return { ...empty, points: await rawPoints(sql, seriesId, from, to) };

  // Every query below reads a bounded number of rows whatever plan the database picks
  // (its row estimates lag behind a series that is being written): at most 16 rollup rows
  // or raw points per bucket, and raw points only once they are known to be few.

  const width = bucketWidthFor(from, to, maxPoints);
  const widthBits = Math.log2(width);
  const level = [...rollupLevels].reverse().find((l) => l <= widthBits);
  // Whole rollup buckets cover [fullFrom, fullTo); the ragged edges come from raw points.
  const levelWidth = level === undefined ? 0 : 2 ** level;
  const fullFrom = level === undefined ? to + 1 : Math.ceil(from / levelWidth) * levelWidth;
  const fullTo = level === undefined ? to + 1 : Math.floor((to + 1) / levelWidth) * levelWidth;
  const useRollups = level !== undefined && fullFrom < fullTo;
  const rows = await sql.query<{
    last_step: number;
    last_value: number;
    min: number;
    max: number;
    count: number;
  }>(
    `WITH parts AS (
       SELECT step AS s, value AS mn, value AS mx, step AS ls, value AS lv, 1 AS c
       FROM metric_points
       WHERE series_id = $1
         AND ((step >= $2 AND step < $3) OR (step >= $4 AND step <= $5))
       UNION ALL
       SELECT bucket::bigint << level, min, max, last_step, last_value, count
       FROM metric_rollups
       WHERE $6 AND series_id = $1 AND level = $7 AND bucket >= $8 AND bucket < $9
     )
     SELECT max(ls) AS last_step, (max(ARRAY[ls::float8, lv]))[2] AS last_value,
            min(mn) AS min, max(mx) AS max, sum(c)::int AS count
     FROM parts GROUP BY (s >> $10) ORDER BY 1`,
    [
      seriesId,
      from,
      useRollups ? fullFrom : to + 1,
      useRollups ? fullTo : to + 1,
      to,
      useRollups,
      level ?? 0,
      useRollups ? fullFrom / levelWidth : 0,
      useRollups ? fullTo / levelWidth : 0,
      widthBits,
    ],
  );
  const total = rows.reduce((n, row) => n + row.count, 0);
  if (total <= maxPoints) return { ...empty, points: await rawPoints(sql, seriesId, from, to) };
  return {
    runId,
    key,
    downsampled: true,
    bucketWidth: width,
    points: rows.map((row) => ({
      step: row.last_step,
      value: row.last_value,
      min: row.min,
      max: row.max,
      count: row.count,
    })),
  };
}
