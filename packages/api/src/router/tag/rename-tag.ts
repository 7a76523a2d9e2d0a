import { TRPCError } from '@trpc/server';
import { mutationProcedure } from '../../trpc.js';
import { findTagOrThrow } from './find-tag-or-throw.js';
import { renameTagInput } from './rename-tag.schema.js';
import { tagKey } from './tag-key.js';
import { tagSelect } from './tag-select.js';

export const renameTag = mutationProcedure
  .input(renameTagInput)
  .mutation(async ({ ctx, input }) => {
    const tag = await findTagOrThrow(ctx, input.name);
    const clash = await ctx.store.prisma.tag.findUnique({
      where: { nameKey: tagKey(input.newName) },
      select: { id: true, name: true },
    });
    // Changing only the case of a tag's own name is a rename; taking another's is not.
    if (clash && clash.id !== tag.id) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: `A tag named ${JSON.stringify(clash.name)} exists already (tag names are the same in any case).`,
      });
    }
    return ctx.store.prisma.tag.update({
      where: { id: tag.id },
      data: { name: input.newName, nameKey: tagKey(input.newName) },
      select: tagSelect,
    });
  });
