import { TRPCError } from '@trpc/server';
import type { Context } from '../../context.js';
import { tagKey } from './tag-key.js';

export async function findTagOrThrow(ctx: Context, name: string) {
  const tag = await ctx.store.prisma.tag.findUnique({
    where: { nameKey: tagKey(name) },
    select: { id: true, name: true },
  });
  if (!tag)
    throw new TRPCError({ code: 'NOT_FOUND', message: `No tag named ${JSON.stringify(name)}.` });
  return tag;
}
