import { sweepTrialCounts } from '@trainbook/db';
import { z } from 'zod';
import { publicProcedure } from '../../trpc.js';
import { sweepSelect, withCounts } from './sweep-select.js';

export const listSweepsInput = z
  .object({
    status: z
      .array(z.enum(['running', 'paused', 'cancelled', 'finished']))
      .max(4)
      .optional(),
    limit: z.number().int().min(1).max(200).default(50),
    offset: z.number().int().min(0).default(0),
  })
  .default({ limit: 50, offset: 0 });

/** Sweeps, newest first, each with its trials counted by state. */
export const listSweeps = publicProcedure.input(listSweepsInput).query(async ({ ctx, input }) => {
  const where = input.status?.length ? { status: { in: input.status } } : {};
  const [rows, total] = await Promise.all([
    ctx.store.prisma.sweep.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: input.offset,
      take: input.limit,
      select: sweepSelect,
    }),
    ctx.store.prisma.sweep.count({ where }),
  ]);
  const counts = await sweepTrialCounts(
    ctx.store.sql,
    rows.map((row) => row.id),
  );
  return { items: rows.map((row) => withCounts(row, counts.get(row.id)!)), total };
});
