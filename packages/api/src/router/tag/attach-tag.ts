import { mutationProcedure } from '../../trpc.js';
import { findRunOrThrow } from '../run/find-run-or-throw.js';
import { attachTagInput } from './attach-tag.schema.js';
import { tagKey } from './tag-key.js';

export const attachTag = mutationProcedure
  .input(attachTagInput)
  .mutation(async ({ ctx, input }) => {
    await findRunOrThrow(ctx, input.runId);
    const tag = await ctx.store.prisma.tag.upsert({
      where: { nameKey: tagKey(input.name) },
      update: {},
      create: {
        name: input.name,
        nameKey: tagKey(input.name),
        ...(input.colour ? { colour: input.colour } : {}),
      },
      select: { id: true },
    });
    await ctx.store.prisma.runTag.upsert({
      where: { runId_tagId: { runId: input.runId, tagId: tag.id } },
      update: {},
      create: { runId: input.runId, tagId: tag.id },
    });
    ctx.events.publish({ type: 'run', runId: input.runId, change: 'updated' });
    return findRunOrThrow(ctx, input.runId);
  });
