import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { requireQueue, settleSweepIfDone } from '../../services/sweeps/trial-lifecycle.js';
import { mutationProcedure } from '../../trpc.js';
import { sweepId } from './create-sweep.schema.js';
import { findSweepOrThrow } from './sweep-select.js';

const input = z.object({ sweepId });

/** Workers claim no more of its trials; the running ones go on. */
export const pauseSweep = mutationProcedure.input(input).mutation(async ({ ctx, input }) => {
  await moveStatus(ctx, input.sweepId, 'running', 'paused');
  return findSweepOrThrow(ctx, input.sweepId);
});

export const resumeSweep = mutationProcedure.input(input).mutation(async ({ ctx, input }) => {
  await moveStatus(ctx, input.sweepId, 'paused', 'running');
  return findSweepOrThrow(ctx, input.sweepId);
});

/**
 * Queued trials are removed (cancelled); running ones are asked to stop at the end of their
 * epoch: their workers hear it in the next heartbeat answer.
 */
export const cancelSweep = mutationProcedure.input(input).mutation(async ({ ctx, input }) => {
  const queue = requireQueue(ctx);
  const sweep = await findSweepOrThrow(ctx, input.sweepId);
  if (sweep.status === 'finished' || sweep.status === 'cancelled')
    throw new TRPCError({
      code: 'CONFLICT',
      message: `Sweep ${sweep.name} is ${sweep.status} already: nothing to cancel.`,
    });
  await ctx.store.prisma.sweep.update({
    where: { id: input.sweepId },
    data: { status: 'cancelled' },
  });
  // No claim takes a job of a cancelled sweep from here on; drop what is queued.
  await queue.dropQueued(input.sweepId);
  const cancelled = await ctx.store.prisma.sweepTrial.updateMany({
    where: { sweepId: input.sweepId, state: 'queued' },
    data: { state: 'cancelled', reason: 'the sweep was cancelled before it ran' },
  });
  const stopping = await ctx.store.prisma.sweepTrial.updateMany({
    where: { sweepId: input.sweepId, state: 'running', stopRequested: null },
    data: { stopRequested: 'stopped: the sweep was cancelled' },
  });
  ctx.events.publish({ type: 'sweep', sweepId: input.sweepId, change: 'status' });
  await settleSweepIfDone(ctx, input.sweepId);
  return { cancelled: cancelled.count, stopping: stopping.count };
});

async function moveStatus(
  ctx: Parameters<typeof findSweepOrThrow>[0] & Parameters<typeof settleSweepIfDone>[0],
  id: string,
  from: 'running' | 'paused',
  to: 'running' | 'paused',
) {
  const sweep = await findSweepOrThrow(ctx, id);
  if (sweep.status === to) return;
  if (sweep.status !== from)
    throw new TRPCError({
      code: 'CONFLICT',
      message: `Sweep ${sweep.name} is ${sweep.status}: only a ${from} sweep can be ${to === 'paused' ? 'paused' : 'resumed'}.`,
    });
  await ctx.store.prisma.sweep.updateMany({ where: { id, status: from }, data: { status: to } });
  ctx.events.publish({ type: 'sweep', sweepId: id, change: 'status' });
}
