import { type EpochMetrics, epochMetricKeys, epochsFromRows } from '@trainbook/metrics';
import type { Sql } from '../sql.js';

/** A run's per-epoch metrics, one entry per epoch in order (at most 10,000 epochs are read). */
export async function readEpochMetrics(sql: Sql, runId: string): Promise<EpochMetrics[]> {
  const rows = await sql.query<{ key: string; epoch: number; value: number }>(
    `SELECT s.key, p.epoch, p.value
     FROM metric_series s
     CROSS JOIN LATERAL (
       SELECT epoch, value FROM metric_points
       WHERE series_id = s.id AND epoch IS NOT NULL ORDER BY step LIMIT 10000
     ) p
     WHERE s.run_id = $1 AND s.key = ANY($2::text[])`,
    [runId, epochMetricKeys],
  );
  return epochsFromRows(rows);
}
