import { TRPCError } from '@trpc/server';
import { mutationProcedure } from '../../trpc.js';
import { findTagOrThrow } from './find-tag-or-throw.js';
import { tagSelect } from './tag-select.js';
import { renameTagInput, updateTagInput } from './update-tag.schema.js';

export const renameTag = mutationProcedure
  .input(renameTagInput)
  .mutation(async ({ ctx, input }) => {
    const tag = await findTagOrThrow(ctx, input.name);
    const clash = await ctx.store.prisma.tag.findUnique({
      where: { name: input.newName },
      select: { id: true },
    });
    if (clash && clash.id !== tag.id) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: `A tag named ${JSON.stringify(input.newName)} exists already.`,
      });
    }
    return ctx.store.prisma.tag.update({
      where: { id: tag.id },
      data: { name: input.newName },
      select: tagSelect,
    });
  });

export const updateTag = mutationProcedure
  .input(updateTagInput)
  .mutation(async ({ ctx, input }) => {
    const tag = await findTagOrThrow(ctx, input.name);
    return ctx.store.prisma.tag.update({
      where: { id: tag.id },
      data: { colour: input.colour, notes: input.notes },
      select: tagSelect,
    });
  });
