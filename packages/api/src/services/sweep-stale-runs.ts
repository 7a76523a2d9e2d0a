import { markStaleRunsCrashed } from '@trainbook/db';
import type { Context } from '../context.js';

/**
 * The watchdog's sweep: every `running` run whose last sign of life (heartbeat, else start)
 * is older than `timeoutMs` becomes `crashed`, and subscribers hear of it. A later heartbeat
 * revives it.
 * @returns the ids it marked.
 */
export async function sweepStaleRuns(
  ctx: Pick<Context, 'store' | 'events'>,
  timeoutMs: number,
): Promise<string[]> {
  const runs = await markStaleRunsCrashed(ctx.store.sql, timeoutMs);
  for (const run of runs) {
    ctx.events.publish({
      type: 'status',
      runId: run.id,
      status: 'crashed',
      statusReason: run.statusReason,
    });
  }
  return runs.map((run) => run.id);
}
