import type { TRPCRouterRecord } from '@trpc/server';
import { logBatch } from './log-batch.js';
import { listKeys } from './metric-keys.js';
import { getSeries } from './metric-series.js';

export const metricRouter = {
  logBatch,
  keys: listKeys,
  series: getSeries,
} satisfies TRPCRouterRecord;
