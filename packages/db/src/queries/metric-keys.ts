import type { Sql } from '../sql.js';
import { rollupLevels } from './rollup-levels.js';

export interface MetricKeySummary {
  key: string;
  count: number;
  lastStep: number;
  lastValue: number;
}

const topLevel = rollupLevels.at(-1)!;

/** A run's metric keys, read from the coarsest rollups (a handful of rows per key). */
export async function metricKeys(sql: Sql, runId: string): Promise<MetricKeySummary[]> {
  return sql.query<MetricKeySummary>(
    `SELECT s.key, sum(r.count)::int AS "count", max(r.last_step) AS "lastStep",
            (array_agg(r.last_value ORDER BY r.last_step DESC))[1] AS "lastValue"
     FROM metric_series s JOIN metric_rollups r ON r.series_id = s.id AND r.level = $2
     WHERE s.run_id = $1 GROUP BY s.key ORDER BY s.key`,
    [runId, topLevel],
  );
}
