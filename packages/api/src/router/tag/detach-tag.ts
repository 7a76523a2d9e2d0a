import { mutationProcedure } from '../../trpc.js';
import { findRunOrThrow } from '../run/find-run-or-throw.js';
import { detachTagInput } from './detach-tag.schema.js';
import { findTagOrThrow } from './find-tag-or-throw.js';

export const detachTag = mutationProcedure
  .input(detachTagInput)
  .mutation(async ({ ctx, input }) => {
    await findRunOrThrow(ctx, input.runId);
    const tag = await findTagOrThrow(ctx, input.name);
    await ctx.store.prisma.runTag.deleteMany({ where: { runId: input.runId, tagId: tag.id } });
    ctx.events.publish({ type: 'run', runId: input.runId, change: 'updated' });
    return findRunOrThrow(ctx, input.runId);
  });
