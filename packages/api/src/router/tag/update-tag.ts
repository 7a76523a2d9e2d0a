import { mutationProcedure } from '../../trpc.js';
import { findTagOrThrow } from './find-tag-or-throw.js';
import { tagSelect } from './tag-select.js';
import { updateTagInput } from './update-tag.schema.js';

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
