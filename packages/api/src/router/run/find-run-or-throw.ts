import { TRPCError } from '@trpc/server';
import type { Context } from '../../context.js';
import { runSelect, toRun } from './run-select.js';

export async function findRunOrThrow(ctx: Context, id: string) {
  const row = await ctx.store.prisma.run.findUnique({ where: { id }, select: runSelect });
  if (!row)
    throw new TRPCError({ code: 'NOT_FOUND', message: `No run with id ${JSON.stringify(id)}.` });
  return toRun(row);
}
