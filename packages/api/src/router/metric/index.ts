import type { TRPCRouterRecord } from '@trpc/server';
import { getSeries } from './get-series.js';
import { listKeys } from './list-keys.js';
import { logBatch } from './log-batch.js';

export const metricRouter = {
  logBatch,
  keys: listKeys,
  series: getSeries,
} satisfies TRPCRouterRecord;
