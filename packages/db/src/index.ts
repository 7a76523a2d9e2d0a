export { defaultHome } from '@trainbook/host';
export { type OpenStoreOptions, openStore, redactUrl, type Store } from './client.js';
export { Prisma, PrismaClient } from './generated/prisma/client.js';
export type { ArtifactKind, RunStatus } from './generated/prisma/enums.js';
export { StoreLockedError } from './lock.js';
export { applyMigrations, defaultMigrationsDir, readMigrations } from './migrate.js';
export { PointWriter, type PointWriterOptions, type PointWriterStats } from './point-writer.js';
export { readEpochMetrics } from './queries/epoch-metrics.js';
export {
  insertMetricPoints,
  type MetricColumns,
  RunNotFoundError,
} from './queries/insert-metric-points.js';
export { decodeCursor, listRunIds, type RunListQuery } from './queries/list-run-ids.js';
export { markStaleRunsCrashed } from './queries/mark-stale-runs-crashed.js';
export { type MetricKeySummary, metricKeys } from './queries/metric-keys.js';
export {
  bucketWidthFor,
  metricSeries,
  metricSeriesMany,
  type Series,
  type SeriesManyQuery,
  type SeriesPoint,
  type SeriesQuery,
} from './queries/metric-series.js';
export { rollupLevels } from './queries/rollup-levels.js';
export { type RunPoint, runPoints } from './queries/run-points.js';
export {
  type ParamValueEffect,
  type ParamValueFinding,
  sweepAnalysis,
} from './queries/sweep-analysis.js';
export {
  listSweepTrials,
  sweepTrialCounts,
  sweepWorkerCounts,
  type TrialListQuery,
  type TrialRow,
  type TrialStateName,
  trialMetricAtEpoch,
  trialStates,
} from './queries/sweep-trials.js';
export type { Sql } from './sql.js';
export { isStoreUnavailable } from './store-unavailable.js';
