import {
  requireQueue,
  settleSweepIfDone,
  type TrialOutcome,
} from '../../services/sweeps/trial-lifecycle.js';
import { mutationProcedure } from '../../trpc.js';
import { finishTrialInput } from './trial.schema.js';

/**
 * The worker's report that its attempt ended (after the run's own finish). Finished, failed
 * and stopped (asked to stop) settle the trial for good, exactly once: the queue accepts only
 * the attempt that holds it. A run killed without being asked (the worker was stopped) gives
 * the trial back to the queue for another attempt.
 */
export const finishTrial = mutationProcedure
  .input(finishTrialInput)
  .mutation(async ({ ctx, input }) => {
    const queue = requireQueue(ctx);
    const key = { sweepId: input.sweepId, index: input.index };
    const trial = await ctx.store.prisma.sweepTrial.findUnique({
      where: { sweepId_index: key },
      select: { stopRequested: true },
    });
    const attemptWhere = { ...key, attempts: input.attempt, state: 'running' as const };
    if (input.status === 'killed' && !trial?.stopRequested) {
      const reason = `its worker stopped the run: ${input.reason ?? 'no reason given'}`;
      const released = await queue.release(input.sweepId, input.jobId, input.attempt, reason);
      if (released) {
        const job = await queue.job(input.sweepId, input.jobId);
        const retried = job?.state === 'retry' || job?.state === 'created';
        await ctx.store.prisma.sweepTrial.updateMany({
          where: attemptWhere,
          data: retried ? { state: 'queued', reason } : { state: 'failed', reason },
        });
        ctx.events.publish({ type: 'sweep', sweepId: input.sweepId, change: 'trial' });
        await settleSweepIfDone(ctx, input.sweepId);
      }
      return { accepted: released, state: released ? 'released' : 'not held' };
    }
    const outcome: TrialOutcome =
      input.status === 'finished'
        ? { state: 'finished', reason: null }
        : input.status === 'failed'
          ? { state: 'failed', reason: input.reason ?? 'the run failed' }
          : { state: 'stopped', reason: trial!.stopRequested };
    const completed = await queue.complete(input.sweepId, input.jobId, input.attempt, {
      ...outcome,
    });
    if (!completed) return { accepted: false, state: 'not held' };
    await ctx.store.prisma.sweepTrial.updateMany({
      where: attemptWhere,
      data: { state: outcome.state, reason: outcome.reason },
    });
    if (outcome.state === 'stopped') {
      // The run says which rule stopped it, not how the worker stopped it.
      await ctx.store.prisma.run.updateMany({
        where: { id: input.runId, status: 'killed' },
        data: { statusReason: outcome.reason },
      });
      ctx.events.publish({
        type: 'status',
        runId: input.runId,
        status: 'killed',
        statusReason: outcome.reason,
      });
    }
    ctx.events.publish({ type: 'sweep', sweepId: input.sweepId, change: 'trial' });
    await settleSweepIfDone(ctx, input.sweepId);
    return { accepted: true, state: outcome.state };
  });
