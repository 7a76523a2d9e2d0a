import { type Prisma, sweepTrialCounts, type TrialStateName } from '@trainbook/db';
import { TRPCError } from '@trpc/server';
import type { Context } from '../../context.js';
import type { EarlyStoppingSettings } from '../../services/sweeps/early-stopping.js';

/** The fields every sweep answer carries. */
export const sweepSelect = {
  id: true,
  name: true,
  spec: true,
  search: true,
  status: true,
  maxAttempts: true,
  leaseSeconds: true,
  earlyStopping: true,
  createdAt: true,
  finishedAt: true,
} as const satisfies Prisma.SweepSelect;

type SweepRow = Prisma.SweepGetPayload<{ select: typeof sweepSelect }>;

/** done = finished + stopped (a stopped trial is a settled result too). */
export function withCounts(row: SweepRow, counts: Record<TrialStateName, number>) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    ...row,
    spec: row.spec as Record<string, unknown>,
    earlyStopping: row.earlyStopping as EarlyStoppingSettings,
    counts: { ...counts, done: counts.finished + counts.stopped, total },
  };
}

export async function findSweepOrThrow(ctx: Pick<Context, 'store'>, id: string) {
  const row = await ctx.store.prisma.sweep.findUnique({ where: { id }, select: sweepSelect });
  if (!row)
    throw new TRPCError({ code: 'NOT_FOUND', message: `No sweep with id ${JSON.stringify(id)}.` });
  const counts = await sweepTrialCounts(ctx.store.sql, [id]);
  return withCounts(row, counts.get(id)!);
}
