import type { Prisma } from '@trainbook/db';
import { mutationProcedure } from '../../trpc.js';
import { findRunOrThrow } from './find-run-or-throw.js';
import { runSelect, toRun } from './run-select.js';
import { updateRunInput } from './update-run.schema.js';

export const updateRun = mutationProcedure
  .input(updateRunInput)
  .mutation(async ({ ctx, input }) => {
    const run = await findRunOrThrow(ctx, input.runId);
    const row = await ctx.store.prisma.run.update({
      where: { id: input.runId },
      data: {
        name: input.name,
        notes: input.notes,
        summary: input.summary
          ? ({ ...run.summary, ...input.summary } as Prisma.InputJsonObject)
          : undefined,
      },
      select: runSelect,
    });
    ctx.events.publish({ type: 'run', runId: input.runId, change: 'updated' });
    return toRun(row);
  });
