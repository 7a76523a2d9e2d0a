import { readEpochMetrics } from '@trainbook/db';
import {
  type Diagnosis,
  diagnose,
  diagnosisVersion,
  type RunForDiagnosis,
} from '@trainbook/insights';
import type { Context } from '../context.js';

export interface StoredInsights {
  kinds: string[];
  diagnosis: Diagnosis;
  computedAt: string;
  /** The rules' `diagnosisVersion` that made it. */
  version: number;
}

/**
 * The diagnosis kept on a run, when it is current: made by these rules (a run kept from before
 * them has none, or another version). A run's params and env never change after run.create, and
 * every logBatch that adds epoch metrics refreshes it before answering, as run.finish does — so
 * it is the diagnosis of what is stored, and reading it costs no curve.
 */
export function storedDiagnosis(insights: unknown): Diagnosis | null {
  const stored = insights as Partial<StoredInsights> | null;
  return stored?.version === diagnosisVersion && stored.diagnosis ? stored.diagnosis : null;
}

/** A run's own diagnosis (without earlier runs): the stored one when current, else made now. */
export async function diagnosisOf(
  ctx: Pick<Context, 'store'>,
  run: { id: string; params: unknown; env: unknown; insights: unknown },
): Promise<Diagnosis> {
  return (
    storedDiagnosis(run.insights) ??
    diagnose({
      epochs: await readEpochMetrics(ctx.store.sql, run.id),
      params: run.params as Record<string, unknown>,
      env: run.env as Record<string, unknown>,
    })
  );
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
    version: diagnosisVersion,
  };
  await ctx.store.prisma.run.update({
    where: { id: runId },
    data: { insights: insights as object },
  });
  return insights;
}
