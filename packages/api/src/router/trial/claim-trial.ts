import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import { crashAttemptRun, requireQueue } from '../../services/sweeps/trial-lifecycle.js';
import { mutationProcedure } from '../../trpc.js';
import { claimTrialInput } from './trial.schema.js';

/**
 * The next queued trial of the oldest running sweep that has one, or null when there is
 * none. The claim is a lease (the sweep's leaseSeconds) that the worker's heartbeat renews.
 * A trial whose previous attempt's lease lapsed comes back here as attempt n + 1; that
 * attempt's run, if still running, is marked crashed with the reason.
 */
export const claimTrial = mutationProcedure
  .input(claimTrialInput)
  .mutation(async ({ ctx, input }) => {
    const queue = requireQueue(ctx);
    const sweeps = await ctx.store.prisma.sweep.findMany({
      where: { status: 'running' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, name: true, leaseSeconds: true, maxAttempts: true },
    });
    if (sweeps.length === 0) return null;
    // A job claimed while its sweep was being cancelled is settled and the next one taken.
    for (let tries = 0; tries < 100; tries++) {
      const job = await queue.claim(sweeps.map((s) => s.id));
      if (!job) return null;
      const sweep = sweeps.find((s) => s.id === job.data.sweepId)!;
      const runId = randomUUID();
      const taken = await takeTrial(ctx, {
        sweepId: sweep.id,
        index: job.data.index,
        attempt: job.attempt,
        runId,
        worker: input.worker,
        leaseSeconds: sweep.leaseSeconds,
        maxAttempts: sweep.maxAttempts,
      });
      if (!taken) {
        await queue.complete(sweep.id, job.jobId, job.attempt, {
          state: 'cancelled',
          reason: null,
        });
        continue;
      }
      ctx.events.publish({ type: 'sweep', sweepId: sweep.id, change: 'trial' });
      return {
        sweepId: sweep.id,
        sweepName: sweep.name,
        index: job.data.index,
        jobId: job.jobId,
        attempt: job.attempt,
        maxAttempts: sweep.maxAttempts,
        runId,
        config: job.data.config,
        leaseSeconds: sweep.leaseSeconds,
      };
    }
    return null;
  });

async function takeTrial(
  ctx: Pick<Context, 'store' | 'events' | 'queue'>,
  claim: {
    sweepId: string;
    index: number;
    attempt: number;
    runId: string;
    worker: string;
    leaseSeconds: number;
    maxAttempts: number;
  },
): Promise<boolean> {
  const key = { sweepId: claim.sweepId, index: claim.index };
  const previous = await ctx.store.prisma.sweepTrial.findUnique({
    where: { sweepId_index: key },
    select: { runId: true, worker: true, attempts: true },
  });
  if (previous?.runId && previous.attempts < claim.attempt) {
    await crashAttemptRun(
      ctx,
      previous.runId,
      `crashed: its worker (${previous.worker ?? 'unknown'}) stopped renewing its lease on the trial (no heartbeat within ${claim.leaseSeconds} s); the trial went to attempt ${claim.attempt} of ${claim.maxAttempts}`,
    );
  }
  const { count } = await ctx.store.prisma.sweepTrial.updateMany({
    where: { ...key, state: { in: ['queued', 'running'] } },
    data: {
      state: 'running',
      attempts: claim.attempt,
      runId: claim.runId,
      worker: claim.worker,
      stopRequested: null,
      reason: null,
    },
  });
  return count === 1;
}
