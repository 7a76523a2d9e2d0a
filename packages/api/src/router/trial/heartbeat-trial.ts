import { requireQueue } from '../../services/sweeps/trial-lifecycle.js';
import { mutationProcedure } from '../../trpc.js';
import { heldAttempt } from './trial.schema.js';

/**
 * Renews the worker's lease on its trial. The answer says whether it still holds the trial
 * and whether to stop at the end of the epoch (an early-stopping rule, or the sweep cancelled).
 */
export const heartbeatTrial = mutationProcedure
  .input(heldAttempt)
  .mutation(async ({ ctx, input }) => {
    const queue = requireQueue(ctx);
    const renewed = await queue.renew(input.sweepId, input.jobId, input.attempt);
    const trial = await ctx.store.prisma.sweepTrial.findUnique({
      where: { sweepId_index: { sweepId: input.sweepId, index: input.index } },
      select: { attempts: true, state: true, stopRequested: true },
    });
    const held = renewed && trial?.attempts === input.attempt && trial.state === 'running';
    if (!held)
      return {
        held: false,
        stop: 'its lease on the trial lapsed (no heartbeat in time): the trial is queued for another attempt',
      };
    return { held: true, stop: trial.stopRequested };
  });
