import { readEpochMetrics } from '@trainbook/db';
import { type Diagnosis, diagnose, type RunForDiagnosis } from '@trainbook/insights';
import type { Context } from '../context.js';

export interface StoredInsights {
  kinds: string[];
  diagnosis: Diagnosis;
  computedAt: string;
}

/** What the diagnosis reads of a run (its epochs, params and env), or null for no such run. */
export async function readRunForDiagnosis(
  ctx: Pick<Context, 'store'>,
  runId: string,
): Promise<RunForDiagnosis | null> {
  const run = await ctx.store.prisma.run.findUnique({
    where: { id: runId },
    select: { params: true, env: true },
  });
  if (!run) return null;
  return {
    epochs: await readEpochMetrics(ctx.store.sql, runId),
    params: run.params as Record<string, unknown>,
    env: run.env as Record<string, unknown>,
  };
}

/**
 * Diagnoses the run from what is stored now and keeps the result on the run, so that
 * run.list can filter by finding and the dashboard needs no extra round trip.
 */
export async function refreshInsights(
  ctx: Pick<Context, 'store'>,
  runId: string,
): Promise<StoredInsights | null> {
  const run = await readRunForDiagnosis(ctx, runId);
  if (!run) return null;
  const diagnosis = diagnose(run);
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
