import type { TRPCRouterRecord } from '@trpc/server';
import { getInsights } from './get-insights.js';

export const insightRouter = {
  run: getInsights,
} satisfies TRPCRouterRecord;
