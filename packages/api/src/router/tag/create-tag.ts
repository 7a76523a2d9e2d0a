import { TRPCError } from '@trpc/server';
import { mutationProcedure } from '../../trpc.js';
import { createTagInput } from './create-tag.schema.js';
import { tagKey } from './tag-key.js';
import { tagSelect } from './tag-select.js';

export const createTag = mutationProcedure
  .input(createTagInput)
  .mutation(async ({ ctx, input }) => {
    const existing = await ctx.store.prisma.tag.findUnique({
      where: { nameKey: tagKey(input.name) },
      select: { name: true },
    });
    if (existing)
      throw new TRPCError({
        code: 'CONFLICT',
        message: `A tag named ${JSON.stringify(existing.name)} exists already (tag names are the same in any case).`,
      });
    return ctx.store.prisma.tag.create({
      data: { ...input, nameKey: tagKey(input.name) },
      select: tagSelect,
    });
  });
