import { type EpochMetricKey, epochMetricKeys } from './keys.js';
import type { EpochMetrics, MetricPoint } from './types.js';

/** An epoch's metrics as points, one per logged key, at step = epoch. */
export function epochPoints(metrics: EpochMetrics, wallTime: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const key of epochMetricKeys) {
    const value = metrics[key];
    if (value === undefined) continue;
    points.push({ key, step: metrics.epoch, epoch: metrics.epoch, value, wallTime });
  }
  return points;
}

/** Rows of (key, epoch, value), as a store returns them, folded into epochs in order. */
export function epochsFromRows(
  rows: Iterable<{ key: string; epoch: number; value: number }>,
): EpochMetrics[] {
  const byEpoch = new Map<number, EpochMetrics>();
  for (const row of rows) {
    const entry = byEpoch.get(row.epoch) ?? { epoch: row.epoch };
    entry[row.key as EpochMetricKey] = row.value;
    byEpoch.set(row.epoch, entry);
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}
