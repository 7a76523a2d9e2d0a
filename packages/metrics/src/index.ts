export { epochPoints, epochsFromRows } from './epoch-rows.js';
export {
  type BatchMetricKey,
  batchKey,
  batchMetricKeys,
  type CurveKey,
  curveKeys,
  type EpochMetricKey,
  epochMetricKeys,
  isEpochMetricKey,
  validationKey,
} from './keys.js';
export type { EpochMetrics, MetricPoint } from './types.js';
