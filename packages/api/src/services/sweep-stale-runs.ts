import type { Context } from '../context.js';

/**
 * The watchdog's sweep: every `running` run whose last sign of life (heartbeat, else start)
 * is older than `timeoutMs` becomes `crashed`. A later heartbeat revives it.
 * @returns the ids it marked.
 */
export async function sweepStaleRuns(
  ctx: Pick<Context, 'store' | 'events'>,
  timeoutMs: number,
): Promise<string[]> {
  const seconds = Math.round(timeoutMs / 1000);
  const rows = await ctx.store.sql.query<{ id: string; status_reason: string }>(
    `UPDATE runs SET status = 'crashed',
       status_reason = 'No heartbeat for more than ' || $2::text || ' s: the training process died, hung or lost its connection.'
     WHERE status = 'running'
       AND COALESCE(last_heartbeat_at, started_at, created_at) < now() - make_interval(secs => $1::float8 / 1000)
     RETURNING id, status_reason`,
    [timeoutMs, String(seconds)],
  );
  for (const row of rows) {
    ctx.events.publish({
      type: 'status',
      runId: row.id,
      status: 'crashed',
      statusReason: row.status_reason,
    });
  }
  return rows.map((row) => row.id);
}
