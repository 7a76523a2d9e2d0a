import { type Diagnosis, diagnose } from '@trainbook/insights';
import type { Context } from '../context.js';
import { readEpochMetrics } from './epoch-metrics.js';

export interface StoredInsights {
  kinds: string[];
  diagnosis: Diagnosis;
  computedAt: string;
}

/**
 * Diagnoses the run from what is stored now and keeps the result on the run, so that
 * run.list can filter by finding and the dashboard needs no extra round trip.
 */
export async function refreshInsights(
  ctx: Pick<Context, 'store'>,
  runId: string,
): Promise<StoredInsights | null> {
  const run = await ctx.store.prisma.run.findUnique({
    where: { id: runId },
    select: { params: true, env: true },
  });
  if (!run) return null;
  const epochs = await readEpochMetrics(ctx.store.sql, runId);
  const diagnosis = diagnose({
    epochs,
    params: run.params as Record<string, unknown>,
    env: run.env as Record<string, unknown>,
  });
  const insights: StoredInsights = {
    kinds: diagnosis.findings.map((f) => f.kind),
    diagnosis,
    computedAt: new Date().toISOString(),
  };
  await ctx.store.prisma.run.update({
    where: { id: runId },
    data: { insights: insights as object },
  });
  return insights;
}
