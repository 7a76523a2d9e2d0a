import { type MetricColumns, RunNotFoundError } from '@trainbook/db';
import { isEpochMetricKey } from '@trainbook/metrics';
import { TRPCError } from '@trpc/server';
import { refreshInsights } from '../../services/refresh-insights.js';
import { judgeTrialEpochs } from '../../services/sweeps/judge-trial-epochs.js';
import { mutationProcedure } from '../../trpc.js';
import { type LogBatch, logBatchParser } from './log-batch.parse.js';

type Input = LogBatch;

function toColumns(input: Input, now: number): MetricColumns {
  if (input.columns) {
    const c = input.columns;
    const n = c.step.length;
    const fill = <T>(column: T | T[] | undefined, fallback: T): T[] =>
      Array.isArray(column)
        ? column
        : new Array<T>(n).fill(column === undefined ? fallback : column);
    return {
      keys: fill(c.key, ''),
      steps: c.step,
      epochs: fill<number | null>(c.epoch, null),
      values: c.value,
      wallTimes: fill(c.wallTime, now),
    };
  }
  const points = input.points!;
  const n = points.length;
  const columns: MetricColumns = {
    keys: new Array(n),
    steps: new Array(n),
    epochs: new Array(n),
    values: new Array(n),
    wallTimes: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    columns.keys[i] = p.key;
    columns.steps[i] = p.step;
    columns.epochs[i] = p.epoch ?? null;
    columns.values[i] = p.value;
    columns.wallTimes[i] = p.wallTime === undefined ? now : +p.wallTime;
  }
  return columns;
}

/**
 * Stores up to 10,000 points (as objects or as columns) in one set-based insert.
 * Idempotent: points whose (run, key, step) is already stored are skipped, so a replayed
 * batch never doubles.
 */
export const logBatch = mutationProcedure.input(logBatchParser).mutation(async ({ ctx, input }) => {
  const columns = toColumns(input, Date.now());
  // No separate existence check: the store refuses points of an unknown run. Batches that
  // arrive while the store is busy with others are written together (see PointWriter).
  const inserted = await ctx.store.points.write(input.runId, columns).catch((error: unknown) => {
    if (error instanceof RunNotFoundError) {
      throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
    }
    throw error;
  });
  // Building 10,000 event objects is only worth it when someone is listening.
  if (inserted > 0 && ctx.events.target.listenerCount('event') > 0) {
    ctx.events.publish({
      type: 'points',
      runId: input.runId,
      points: columns.steps.map((step, i) => ({
        key: columns.keys[i]!,
        step,
        epoch: columns.epochs[i] ?? null,
        value: columns.values[i]!,
      })),
    });
  }
  // Insights follow the epochs: a batch that adds per-epoch metrics refreshes them.
  const addsEpochs =
    inserted > 0 &&
    columns.keys.some((key, i) => columns.epochs[i] !== null && isEpochMetricKey(key));
  if (addsEpochs) {
    const insights = await refreshInsights(ctx, input.runId);
    // A sweep's trial: its best so far, and whether an early-stopping rule stops it.
    await judgeTrialEpochs(ctx, input.runId, insights?.diagnosis ?? null);
  }
  return { accepted: columns.steps.length, inserted };
});
