import { metricSeriesMany } from '@trainbook/db';
import { publicProcedure } from '../../trpc.js';
import { getSeriesInput } from './metric-series.schema.js';

/** Series for every run × key (run-major), each downsampled to at most maxPoints. */
export const getSeries = publicProcedure
  .input(getSeriesInput)
  .query(({ ctx, input }) => metricSeriesMany(ctx.store.sql, input));
