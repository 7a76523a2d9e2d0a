import type { EpochMetricKey } from './keys.js';

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
