import { TRPCError } from '@trpc/server';
import { mutationProcedure } from '../../trpc.js';
import { createTagInput } from './create-tag.schema.js';
import { tagSelect } from './tag-select.js';

export const createTag = mutationProcedure
  .input(createTagInput)
  .mutation(async ({ ctx, input }) => {
    const existing = await ctx.store.prisma.tag.findUnique({
      where: { name: input.name },
      select: { id: true },
    });
    if (existing)
      throw new TRPCError({
        code: 'CONFLICT',
        message: `A tag named ${JSON.stringify(input.name)} exists already.`,
      });
    return ctx.store.prisma.tag.create({ data: input, select: tagSelect });
  });
