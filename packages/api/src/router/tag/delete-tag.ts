import { z } from 'zod';
import { mutationProcedure } from '../../trpc.js';
import { tagName } from '../shared.schema.js';
import { findTagOrThrow } from './find-tag-or-throw.js';

export const deleteTagInput = z.object({ name: tagName });

/** Deletes the tag and takes it off every run; the runs stay. */
export const deleteTag = mutationProcedure
  .input(deleteTagInput)
  .mutation(async ({ ctx, input }) => {
    const tag = await findTagOrThrow(ctx, input.name);
    await ctx.store.prisma.tag.delete({ where: { id: tag.id } });
    return { deleted: input.name };
  });
