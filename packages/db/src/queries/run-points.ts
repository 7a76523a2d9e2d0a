import type { Sql } from '../sql.js';

export interface RunPoint {
  key: string;
  step: number;
  epoch: number | null;
  value: number;
  /** Milliseconds since 1970 (beyond a JavaScript Date's ±8.64e15 for times stored before the API refused them). */
  wallMs: number;
  /** The stored time as PostgreSQL writes it, for times no JavaScript Date can hold. */
  wallText: string;
}

/** Every point of a run, by key then step (for exports). */
export async function runPoints(sql: Sql, runId: string): Promise<RunPoint[]> {
  return sql.query<RunPoint>(
    `SELECT s.key, p.step, p.epoch, p.value, (extract(epoch FROM p.wall_time) * 1000)::float8 AS "wallMs",
            p.wall_time::text AS "wallText"
     FROM metric_series s JOIN metric_points p ON p.series_id = s.id
     WHERE s.run_id = $1 ORDER BY s.key, p.step`,
    [runId],
  );
}
