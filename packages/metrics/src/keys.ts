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
