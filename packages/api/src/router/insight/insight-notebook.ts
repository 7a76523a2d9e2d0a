import { compareDiagnosedRuns } from '@trainbook/insights';
import { z } from 'zod';
import { diagnosisOf } from '../../services/refresh-insights.js';
import { publicProcedure } from '../../trpc.js';

export const getNotebookInput = z
  .object({ limit: z.number().int().min(1).max(200).default(50) })
  .default({ limit: 50 });

/**
 * The lab notebook: runs in the order they were tried, each with what changed since the
 * one before and what it did, its findings and tags — plus every tag's own notes.
 */
export const getNotebook = publicProcedure.input(getNotebookInput).query(async ({ ctx, input }) => {
  const runs = await ctx.store.prisma.run.findMany({
    orderBy: { createdAt: 'desc' },
    take: input.limit + 1,
    select: {
      id: true,
      name: true,
      status: true,
      createdAt: true,
      params: true,
      env: true,
      summary: true,
      notes: true,
      insights: true,
      tags: { select: { tag: { select: { name: true, colour: true } } } },
    },
  });
  // Each run's kept diagnosis (read from its curves only when there is none from these rules).
  const diagnoses = new Map(
    await Promise.all(runs.map(async (r) => [r.id, await diagnosisOf(ctx, r)] as const)),
  );
  const entries = runs.slice(0, input.limit).map((run, i) => {
    const previous = runs[i + 1];
    const params = run.params as Record<string, unknown>;
    const change = previous
      ? compareDiagnosedRuns(
          { params, diagnosis: diagnoses.get(run.id)! },
          {
            params: previous.params as Record<string, unknown>,
            diagnosis: diagnoses.get(previous.id)!,
          },
        )
      : null;
    return {
      id: run.id,
      name: run.name,
      status: run.status,
      createdAt: run.createdAt,
      notes: run.notes,
      bestValAccuracy: (run.summary as Record<string, unknown>).bestValAccuracy ?? null,
      findings: ((run.insights as { kinds?: string[] }).kinds ?? []) as string[],
      tags: run.tags.map((t) => t.tag),
      previous: previous ? { id: previous.id, name: previous.name } : null,
      change: change
        ? { summary: change.summary, paramChanges: change.paramChanges, deltas: change.deltas }
        : null,
    };
  });
  const tags = await ctx.store.prisma.tag.findMany({
    where: { notes: { not: '' } },
    select: { name: true, colour: true, notes: true },
    orderBy: { name: 'asc' },
  });
  return { entries, tags };
});
