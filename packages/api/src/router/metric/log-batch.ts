import { insertMetricPoints } from '@trainbook/db';
import { TRPCError } from '@trpc/server';
import { mutationProcedure } from '../../trpc.js';
import { logBatchInput } from './log-batch.schema.js';

/**
 * Stores up to 10,000 points in one set-based insert. Idempotent: points whose
 * (run, key, step) is already stored are skipped, so a replayed batch never doubles.
 */
export const logBatch = mutationProcedure.input(logBatchInput).mutation(async ({ ctx, input }) => {
  const { points } = input;
  const exists = await ctx.store.prisma.run.findUnique({
    where: { id: input.runId },
    select: { id: true },
  });
  if (!exists)
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `No run with id ${JSON.stringify(input.runId)}.`,
    });
  const now = Date.now();
  const n = points.length;
  const keys = new Array<string>(n);
  const steps = new Array<number>(n);
  const epochs = new Array<number | null>(n);
  const values = new Array<number>(n);
  const wallTimes = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    keys[i] = p.key;
    steps[i] = p.step;
    epochs[i] = p.epoch ?? null;
    values[i] = p.value;
    wallTimes[i] = p.wallTime === undefined ? now : +p.wallTime;
  }
  const inserted = await insertMetricPoints(ctx.store.sql, input.runId, {
    keys,
    steps,
    epochs,
    values,
    wallTimes,
  });
  if (inserted > 0) {
    ctx.events.publish({
      type: 'points',
      runId: input.runId,
      points: points.map((p) => ({
        key: p.key,
        step: p.step,
        epoch: p.epoch ?? null,
        value: p.value,
      })),
    });
  }
  return { accepted: n, inserted };
});
