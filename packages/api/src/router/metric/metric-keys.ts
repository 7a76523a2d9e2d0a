import { metricKeys } from '@trainbook/db';
import { publicProcedure } from '../../trpc.js';
import { listKeysInput } from './metric-keys.schema.js';

/** The run's metric keys with how many points each has and its last step. */
export const listKeys = publicProcedure
  .input(listKeysInput)
  .query(({ ctx, input }) => metricKeys(ctx.store.sql, input.runId));
