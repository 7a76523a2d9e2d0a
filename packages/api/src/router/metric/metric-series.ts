import { metricSeries } from '@trainbook/db';
import { publicProcedure } from '../../trpc.js';
import { getSeriesInput } from './metric-series.schema.js';

/** Series for every run × key, each downsampled to at most maxPoints. */
export const getSeries = publicProcedure.input(getSeriesInput).query(async ({ ctx, input }) => {
  const pairs = input.runIds.flatMap((runId) => input.keys.map((key) => ({ runId, key })));
  return Promise.all(
    pairs.map(({ runId, key }) =>
      metricSeries(ctx.store.sql, {
        runId,
        key,
        maxPoints: input.maxPoints,
        fromStep: input.fromStep,
        toStep: input.toStep,
      }),
    ),
  );
});
