import { compareDiagnosedRuns, withTriedSteps } from '@trainbook/insights';
import { TRPCError } from '@trpc/server';
import { diagnosisOf } from '../../services/refresh-insights.js';
import { publicProcedure } from '../../trpc.js';
import { getInsightsInput } from './insight-run.schema.js';

const diagnosable = { id: true, name: true, params: true, env: true, insights: true } as const;

/**
 * A run's diagnosis (verdict, findings with onset, evidence, explanation, suggested tag and next
 * steps, each step with what the notebook's earlier runs did when they tried it), and what
 * changed since the previous run — or since a chosen baseline. A read, never written: each run's
 * own diagnosis is the one logBatch and finish keep on it (made from its curves only when there
 * is none from these rules), so a page view reads no curve.
 */
export const getInsights = publicProcedure.input(getInsightsInput).query(async ({ ctx, input }) => {
  const run = await ctx.store.prisma.run.findUnique({
    where: { id: input.runId },
    select: { ...diagnosable, createdAt: true },
  });
  if (!run) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `No run with id ${JSON.stringify(input.runId)}.`,
    });
  }
  // The notebook's recent earlier runs: next steps say what happened when one was tried.
  const earlierRuns = await ctx.store.prisma.run.findMany({
    where: { createdAt: { lt: run.createdAt }, id: { not: input.runId } },
    orderBy: { createdAt: 'desc' },
    take: 10,
    select: diagnosable,
  });
  const baseline = input.baselineRunId
    ? await ctx.store.prisma.run.findUnique({
        where: { id: input.baselineRunId },
        select: diagnosable,
      })
    : (earlierRuns[0] ?? null);
  if (input.baselineRunId && !baseline) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `No baseline run with id ${JSON.stringify(input.baselineRunId)}.`,
    });
  }
  const params = run.params as Record<string, unknown>;
  const own = await diagnosisOf(ctx, run);
  const earlier = await Promise.all(
    earlierRuns.map(async (r) => ({
      id: r.id,
      name: r.name,
      params: r.params as Record<string, unknown>,
      diagnosis: await diagnosisOf(ctx, r),
    })),
  );
  const comparison = baseline
    ? {
        baselineRunId: baseline.id,
        baselineName: baseline.name,
        ...compareDiagnosedRuns(
          { params, diagnosis: own },
          {
            params: baseline.params as Record<string, unknown>,
            diagnosis:
              earlier.find((e) => e.id === baseline.id)?.diagnosis ??
              (await diagnosisOf(ctx, baseline)),
          },
        ),
      }
    : null;
  return { diagnosis: withTriedSteps(own, params, earlier), comparison };
});
