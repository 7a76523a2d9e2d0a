import { publicProcedure } from '../../trpc.js';
import { tagSelect } from './tag-select.js';

/** Every tag with how many runs carry it. */
export const listTags = publicProcedure.query(async ({ ctx }) => {
  const tags = await ctx.store.prisma.tag.findMany({
    select: { ...tagSelect, _count: { select: { runs: true } } },
    orderBy: { name: 'asc' },
  });
  return tags.map(({ _count, ...tag }) => ({ ...tag, runCount: _count.runs }));
});
