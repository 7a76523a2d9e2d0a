import { readEpochMetrics } from '@trainbook/db';
import { compareRuns, diagnose } from '@trainbook/insights';
import { TRPCError } from '@trpc/server';
import { readRunForDiagnosis } from '../../services/refresh-insights.js';
import { publicProcedure } from '../../trpc.js';
import { getInsightsInput } from './insight-run.schema.js';

/**
 * A run's diagnosis (findings with onset, evidence, explanation, suggested tag and next
 * steps), and what changed since the previous run — or since a chosen baseline. A read:
 * computed from what is stored, never written (logBatch and finish keep the stored copy).
 */
export const getInsights = publicProcedure.input(getInsightsInput).query(async ({ ctx, input }) => {
  const run = await readRunForDiagnosis(ctx, input.runId);
  if (!run) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `No run with id ${JSON.stringify(input.runId)}.`,
    });
  }
  const { createdAt } = await ctx.store.prisma.run.findUniqueOrThrow({
    where: { id: input.runId },
    select: { createdAt: true },
  });
  const baseline = input.baselineRunId
    ? await ctx.store.prisma.run.findUnique({
        where: { id: input.baselineRunId },
        select: { id: true, name: true, params: true },
      })
    : await ctx.store.prisma.run.findFirst({
        where: { createdAt: { lt: createdAt }, id: { not: input.runId } },
        orderBy: { createdAt: 'desc' },
        select: { id: true, name: true, params: true },
      });
  if (input.baselineRunId && !baseline) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `No baseline run with id ${JSON.stringify(input.baselineRunId)}.`,
    });
  }
  const comparison = baseline
    ? {
        baselineRunId: baseline.id,
        baselineName: baseline.name,
        ...compareRuns(run, {
          epochs: await readEpochMetrics(ctx.store.sql, baseline.id),
          params: baseline.params as Record<string, unknown>,
        }),
      }
    : null;
  return { diagnosis: diagnose(run), comparison };
});
