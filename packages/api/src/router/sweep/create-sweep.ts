import { randomUUID } from 'node:crypto';
import type { Prisma } from '@trainbook/db';
import { requireQueue } from '../../services/sweeps/trial-lifecycle.js';
import { mutationProcedure } from '../../trpc.js';
import { createSweepInput } from './create-sweep.schema.js';

/**
 * A sweep and its trials, queued one job a trial. All or nothing: when queuing fails, the
 * sweep's rows and queue are removed again before the error is answered.
 */
export const createSweep = mutationProcedure
  .input(createSweepInput)
  .mutation(async ({ ctx, input }) => {
    const queue = requireQueue(ctx);
    const id = randomUUID();
    const jobs = input.trials.map((trial) => ({ id: randomUUID(), config: trial.config }));
    await ctx.store.prisma.$transaction([
      ctx.store.prisma.sweep.create({
        data: {
          id,
          name: input.name,
          search: input.search,
          spec: input.spec as Prisma.InputJsonObject,
          maxAttempts: input.maxAttempts,
          leaseSeconds: input.leaseSeconds,
          earlyStopping: input.earlyStopping as Prisma.InputJsonObject,
        },
      }),
      ctx.store.prisma.sweepTrial.createMany({
        data: input.trials.map((trial, index) => ({
          sweepId: id,
          index,
          params: trial.params as Prisma.InputJsonObject,
          config: trial.config as Prisma.InputJsonObject,
          jobId: jobs[index]!.id,
        })),
      }),
    ]);
    try {
      await queue.enqueue({
        sweepId: id,
        maxAttempts: input.maxAttempts,
        leaseSeconds: input.leaseSeconds,
        jobs: jobs.map((job, index) => ({
          id: job.id,
          data: { sweepId: id, index, config: job.config },
        })),
      });
    } catch (error) {
      await queue.deleteQueue(id).catch(() => {});
      await ctx.store.prisma.sweep.delete({ where: { id } });
      throw error;
    }
    ctx.events.publish({ type: 'sweep', sweepId: id, change: 'created' });
    return { id, name: input.name, trials: input.trials.length };
  });
