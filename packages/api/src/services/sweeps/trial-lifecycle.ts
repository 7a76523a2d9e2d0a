import { TRPCError } from '@trpc/server';
import type { Context } from '../../context.js';
import type { SweepQueue } from '../../queue/sweep-queue.js';

type Ctx = Pick<Context, 'store' | 'events' | 'queue'>;

export function requireQueue(ctx: Ctx): SweepQueue {
  if (!ctx.queue)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'This server runs no sweep queue: sweeps are hosted by the tracker (pnpm tracker).',
    });
  return ctx.queue;
}

/** Marks an attempt's run crashed (if it is still running), saying why. */
export async function crashAttemptRun(ctx: Ctx, runId: string, reason: string): Promise<boolean> {
  const { count } = await ctx.store.prisma.run.updateMany({
    where: { id: runId, status: 'running' },
    data: { status: 'crashed', statusReason: reason, finishedAt: new Date() },
  });
  if (count > 0)
    ctx.events.publish({ type: 'status', runId, status: 'crashed', statusReason: reason });
  return count > 0;
}

/** A sweep whose trials are all settled is finished (a cancelled one stays cancelled). */
export async function settleSweepIfDone(ctx: Ctx, sweepId: string): Promise<void> {
  const open = await ctx.store.prisma.sweepTrial.count({
    where: { sweepId, state: { in: ['queued', 'running'] } },
  });
  if (open > 0) return;
  const { count } = await ctx.store.prisma.sweep.updateMany({
    where: { id: sweepId, status: { in: ['running', 'paused'] } },
    data: { status: 'finished', finishedAt: new Date() },
  });
  await ctx.store.prisma.sweep.updateMany({
    where: { id: sweepId, status: 'cancelled', finishedAt: null },
    data: { finishedAt: new Date() },
  });
  if (count > 0) ctx.events.publish({ type: 'sweep', sweepId, change: 'status' });
}

/** What a settled attempt leaves on its job (pg-boss output), so a restart can finish the record. */
export interface TrialOutcome {
  state: 'finished' | 'failed' | 'stopped';
  reason: string | null;
}

const lapsedReason = (worker: string | null, detail: string) =>
  `crashed: its worker (${worker ?? 'unknown'}) stopped renewing its lease on the trial (${detail})`;

/**
 * Brings the trials table in line with the queue, which is the truth about who holds a trial.
 * An attempt whose lease lapsed (pg-boss failed its job) gets its run marked crashed with the
 * reason, and its trial goes back to queued (pg-boss retries it as a new attempt) or, out of
 * attempts, to failed. An attempt that settled just before a tracker stop gets its outcome
 * recorded from the job. Runs every few seconds in the tracker, and at start.
 * @returns the trials it changed, as "sweepId#index".
 */
export async function reconcileTrials(ctx: Ctx): Promise<string[]> {
  const queue = requireQueue(ctx);
  const running = await ctx.store.prisma.sweepTrial.findMany({
    where: { state: 'running' },
    select: {
      sweepId: true,
      index: true,
      jobId: true,
      attempts: true,
      runId: true,
      worker: true,
      sweep: { select: { maxAttempts: true, leaseSeconds: true } },
    },
    take: 10_000,
  });
  const changed: string[] = [];
  const sweeps = new Set<string>();
  for (const trial of running) {
    if (!trial.jobId) continue;
    const job = await queue.job(trial.sweepId, trial.jobId);
    if (job?.state === 'active' && job.attempt === trial.attempts) continue;
    // Only the attempt read above: a claim in between has moved the trial on.
    const where = {
      sweepId: trial.sweepId,
      index: trial.index,
      state: 'running' as const,
      attempts: trial.attempts,
    };
    if (job?.state === 'completed') {
      const outcome = (job.output ?? {}) as Partial<TrialOutcome>;
      await ctx.store.prisma.sweepTrial.updateMany({
        where,
        data: { state: outcome.state ?? 'finished', reason: outcome.reason ?? null },
      });
    } else {
      const detail =
        job === null
          ? 'its job is gone'
          : `no heartbeat within ${trial.sweep.leaseSeconds} s, attempt ${trial.attempts} of ${trial.sweep.maxAttempts}`;
      const reason = lapsedReason(trial.worker, detail);
      if (trial.runId) await crashAttemptRun(ctx, trial.runId, reason);
      const outOfAttempts = job === null || job.state === 'failed' || job.state === 'cancelled';
      await ctx.store.prisma.sweepTrial.updateMany({
        where,
        data: outOfAttempts
          ? {
              state: 'failed',
              reason: `every attempt crashed (${trial.attempts} of ${trial.sweep.maxAttempts}); last: ${reason}`,
            }
          : { state: 'queued', reason },
      });
    }
    changed.push(`${trial.sweepId}#${trial.index}`);
    sweeps.add(trial.sweepId);
  }
  for (const sweepId of sweeps) {
    ctx.events.publish({ type: 'sweep', sweepId, change: 'trial' });
    await settleSweepIfDone(ctx, sweepId);
  }
  return changed;
}
