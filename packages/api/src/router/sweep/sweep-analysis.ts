import { sweepAnalysis as analyse } from '@trainbook/db';
import { z } from 'zod';
import { publicProcedure } from '../../trpc.js';
import { sweepId } from './create-sweep.schema.js';

/**
 * What mattered in a sweep: per swept param and value, the marginal mean of best val_accuracy
 * with its spread (sample sd, min, max over the value's trials), and diagnosis findings per value.
 */
export const sweepAnalysis = publicProcedure
  .input(z.object({ sweepId }))
  .query(({ ctx, input }) => analyse(ctx.store.sql, input.sweepId));
