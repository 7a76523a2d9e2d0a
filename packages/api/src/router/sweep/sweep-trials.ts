import { listSweepTrials, trialStates } from '@trainbook/db';
import { z } from 'zod';
import { publicProcedure } from '../../trpc.js';
import { sweepId } from './create-sweep.schema.js';

export const listTrialsInput = z.object({
  sweepId,
  state: z.array(z.enum(trialStates)).max(6).optional(),
  /** Trials whose swept params have these values, e.g. { dropout: 0.3 }. */
  params: z.record(z.string().min(1).max(100), z.json()).optional(),
  /** index, bestValAccuracy, state, attempts, or param:<name>. */
  sortBy: z
    .string()
    .regex(
      /^(index|bestValAccuracy|state|attempts|param:[A-Za-z0-9_.-]{1,100})$/,
      'sortBy: index, bestValAccuracy, state, attempts or param:<name>',
    )
    .default('index'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});

/** A page of a sweep's trials: sorted, filtered and counted by the database. */
export const listTrials = publicProcedure.input(listTrialsInput).query(({ ctx, input }) =>
  listSweepTrials(ctx.store.sql, {
    sweepId: input.sweepId,
    states: input.state,
    params: input.params,
    sortBy: input.sortBy,
    direction: input.direction,
    offset: input.offset,
    limit: input.limit,
  }),
);
