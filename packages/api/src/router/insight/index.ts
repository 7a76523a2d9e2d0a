import type { TRPCRouterRecord } from '@trpc/server';
import { getNotebook } from './insight-notebook.js';
import { getInsights } from './insight-run.js';

export const insightRouter = {
  run: getInsights,
  notebook: getNotebook,
} satisfies TRPCRouterRecord;
