import type { Prisma } from '@trainbook/db';
import { refreshInsights } from '../../services/refresh-insights.js';
import { mutationProcedure } from '../../trpc.js';
import { findRunOrThrow } from './find-run-or-throw.js';
import { finishRunInput } from './finish-run.schema.js';

export const finishRun = mutationProcedure
  .input(finishRunInput)
  .mutation(async ({ ctx, input }) => {
    const run = await findRunOrThrow(ctx, input.runId);
    const { statusReason } = await ctx.store.prisma.run.update({
      where: { id: input.runId },
      data: {
        status: input.status,
        statusReason: input.reason ?? null,
        finishedAt: new Date(),
        summary: { ...run.summary, ...input.summary } as Prisma.InputJsonObject,
      },
      select: { statusReason: true },
    });
    // The final params and epochs are in: the diagnosis the run keeps.
    await refreshInsights(ctx, run.id);
    ctx.events.publish({
      type: 'status',
      runId: run.id,
      status: input.status,
      statusReason,
    });
    return findRunOrThrow(ctx, run.id);
  });
