import type { Sql } from '../sql.js';

/**
 * Every `running` run whose last sign of life (heartbeat, else start) is older than
 * `timeoutMs` becomes `crashed`, with a reason that says so.
 * @returns the runs it marked, with their new reason.
 */
export async function markStaleRunsCrashed(
  sql: Sql,
  timeoutMs: number,
): Promise<{ id: string; statusReason: string }[]> {
  const seconds = Math.round(timeoutMs / 1000);
  return sql.query<{ id: string; statusReason: string }>(
    `UPDATE runs SET status = 'crashed',
       status_reason = 'No heartbeat for more than ' || $2::text || ' s: the training process died, hung or lost its connection.'
     WHERE status = 'running'
       AND COALESCE(last_heartbeat_at, started_at, created_at) < now() - make_interval(secs => $1::float8 / 1000)
     RETURNING id, status_reason AS "statusReason"`,
    [timeoutMs, String(seconds)],
  );
}
