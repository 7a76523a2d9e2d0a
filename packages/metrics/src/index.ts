/**
 * The metric vocabulary, one file: the keys a run logs, the shapes of an epoch and a point,
 * and the two conversions between them. One file because the dashboard's bundler takes this
 * package's TypeScript source as it is (no relative imports to resolve).
 */

/**
 * Per-epoch keys: Keras' log keys (`val_` for the validation set) plus the trainer's own
 * timing keys. They are logged at step = epoch (1-based).
 */
export const epochMetricKeys = [
  'loss',
  'accuracy',
  'val_loss',
  'val_accuracy',
  'lr',
  'epoch_seconds',
  'images_per_second',
] as const;
export type EpochMetricKey = (typeof epochMetricKeys)[number];

/** Per-batch keys, logged at step = global batch index (0-based), throttled by the trainer. */
export const batchMetricKeys = ['batch/loss', 'batch/accuracy'] as const;
export type BatchMetricKey = (typeof batchMetricKeys)[number];

/** The per-batch key of a training log key: `loss` → `batch/loss`. */
export function batchKey(key: 'loss' | 'accuracy'): BatchMetricKey {
  return `batch/${key}`;
}

/** The four learning curves: training and validation accuracy and loss. */
export const curveKeys = ['accuracy', 'val_accuracy', 'loss', 'val_loss'] as const;
export type CurveKey = (typeof curveKeys)[number];

/** The validation twin of a training key: `loss` → `val_loss`. */
export function validationKey<K extends 'loss' | 'accuracy'>(key: K): `val_${K}` {
  return `val_${key}`;
}

export function isEpochMetricKey(key: string): key is EpochMetricKey {
  return (epochMetricKeys as readonly string[]).includes(key);
}

/**
 * One epoch of a run, keyed by the per-epoch metric keys. `epoch` is 1-based. A key is
 * missing when the run did not log it (no validation set, an epoch cut short).
 */
export type EpochMetrics = { epoch: number } & { [K in EpochMetricKey]?: number };

/** One metric value as the tracker takes it; `wallTime` in ms since the Unix epoch. */
export interface MetricPoint {
  key: string;
  /** Epoch number for per-epoch keys, global batch index for per-batch keys. */
  step: number;
  epoch?: number | null;
  value: number;
  wallTime: number;
}

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
