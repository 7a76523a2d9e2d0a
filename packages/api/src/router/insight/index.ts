import type { TRPCRouterRecord } from '@trpc/server';
import { getInsights } from './get-insights.js';
import { getNotebook } from './get-notebook.js';

export const insightRouter = {
  run: getInsights,
  notebook: getNotebook,
} satisfies TRPCRouterRecord;
