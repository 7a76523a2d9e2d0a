import { sweepWorkerCounts } from '@trainbook/db';
import { z } from 'zod';
import { publicProcedure } from '../../trpc.js';
import { sweepId } from './create-sweep.schema.js';
import { findSweepOrThrow } from './sweep-select.js';

/** A sweep: its trials counted by state and by worker, and its best trial so far. */
export const getSweep = publicProcedure
  .input(z.object({ sweepId }))
  .query(async ({ ctx, input }) => {
    const sweep = await findSweepOrThrow(ctx, input.sweepId);
    const workers = await sweepWorkerCounts(ctx.store.sql, input.sweepId);
    const best = await ctx.store.prisma.sweepTrial.findFirst({
      where: { sweepId: input.sweepId, bestValAccuracy: { not: null } },
      orderBy: [{ bestValAccuracy: 'desc' }, { index: 'asc' }],
      select: {
        index: true,
        params: true,
        config: true,
        state: true,
        runId: true,
        bestValAccuracy: true,
      },
    });
    return {
      ...sweep,
      workers,
      best: best
        ? {
            ...best,
            params: best.params as Record<string, unknown>,
            config: best.config as Record<string, unknown>,
          }
        : null,
    };
  });
