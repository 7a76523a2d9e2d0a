import { TRPCError } from '@trpc/server';
import { mutationProcedure } from '../../trpc.js';
import { deleteRunInput } from './delete-run.schema.js';

/** Deletes the run with its points, rollups, tag links and artifacts (cascading keys). */
export const deleteRun = mutationProcedure
  .input(deleteRunInput)
  .mutation(async ({ ctx, input }) => {
    const { count } = await ctx.store.prisma.run.deleteMany({ where: { id: input.runId } });
    if (count === 0)
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: `No run with id ${JSON.stringify(input.runId)}.`,
      });
    ctx.events.publish({ type: 'run', runId: input.runId, change: 'deleted' });
    return { deleted: input.runId };
  });
