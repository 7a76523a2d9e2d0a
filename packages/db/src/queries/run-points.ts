import type { Sql } from '../sql.js';

export interface RunPoint {
  key: string;
  step: number;
  epoch: number | null;
  value: number;
  wallTime: Date;
}

/** Every point of a run, by key then step (for exports). */
export async function runPoints(sql: Sql, runId: string): Promise<RunPoint[]> {
  return sql.query<RunPoint>(
    `SELECT s.key, p.step, p.epoch, p.value, p.wall_time AS "wallTime"
     FROM metric_series s JOIN metric_points p ON p.series_id = s.id
     WHERE s.run_id = $1 ORDER BY s.key, p.step`,
    [runId],
  );
}
