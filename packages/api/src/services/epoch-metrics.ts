import type { Sql } from '@trainbook/db';
import type { EpochMetrics } from '@trainbook/insights';

/** The Keras per-epoch keys the diagnosis reads (logged with an epoch number). */
export const epochKeys = [
  'loss',
  'accuracy',
  'val_loss',
  'val_accuracy',
  'lr',
  'epoch_seconds',
] as const;

/** A run's per-epoch metrics, one row per epoch (at most 10,000 epochs are read). */
export async function readEpochMetrics(sql: Sql, runId: string): Promise<EpochMetrics[]> {
  const rows = await sql.query<{ key: string; epoch: number; value: number }>(
    `SELECT s.key, p.epoch, p.value
     FROM metric_series s
     CROSS JOIN LATERAL (
       SELECT epoch, value FROM metric_points
       WHERE series_id = s.id AND epoch IS NOT NULL ORDER BY step LIMIT 10000
     ) p
     WHERE s.run_id = $1 AND s.key = ANY($2::text[])`,
    [runId, epochKeys],
  );
  const byEpoch = new Map<number, EpochMetrics>();
  for (const row of rows) {
    const entry = byEpoch.get(row.epoch) ?? { epoch: row.epoch };
    (entry as unknown as Record<string, number>)[row.key] = row.value;
    byEpoch.set(row.epoch, entry);
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}
