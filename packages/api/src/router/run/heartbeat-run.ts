import { mutationProcedure } from '../../trpc.js';
import { findRunOrThrow } from './find-run-or-throw.js';
import { heartbeatRunInput } from './heartbeat-run.schema.js';

/**
 * Records that the run's process is alive. A run the watchdog marked `crashed` (say, the
 * trainer was stalled or the network dropped) is revived to `running` by a later heartbeat;
 * finished, failed and killed runs stay as they are.
 */
export const heartbeatRun = mutationProcedure
  .input(heartbeatRunInput)
  .mutation(async ({ ctx, input }) => {
    const run = await findRunOrThrow(ctx, input.runId);
    const revive = run.status === 'crashed';
    const updated = await ctx.store.prisma.run.update({
      where: { id: input.runId },
      data: {
        lastHeartbeatAt: new Date(),
        ...(revive ? { status: 'running', statusReason: null } : {}),
      },
      select: { status: true, lastHeartbeatAt: true },
    });
    if (revive)
      ctx.events.publish({
        type: 'status',
        runId: input.runId,
        status: 'running',
        statusReason: null,
      });
    return { ...updated, revived: revive };
  });
