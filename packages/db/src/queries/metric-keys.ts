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
    `SELECT key, sum(count)::int AS "count", max(last_step) AS "lastStep",
            (array_agg(last_value ORDER BY last_step DESC))[1] AS "lastValue"
     FROM metric_rollups WHERE run_id = $1 AND level = $2 GROUP BY key ORDER BY key`,
    [runId, topLevel],
  );
}
