import type { Sql } from '../sql.js';

export const trialStates = [
  'queued',
  'running',
  'finished',
  'failed',
  'stopped',
  'cancelled',
] as const;
export type TrialStateName = (typeof trialStates)[number];

export interface TrialListQuery {
  sweepId: string;
  states?: TrialStateName[] | undefined;
  /** Trials whose swept params contain these values (JSON containment). */
  params?: Record<string, unknown> | undefined;
  /** `index`, `bestValAccuracy`, `state`, `attempts`, or `param:<name>` (a swept param). */
  sortBy: string;
  direction: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface TrialRow {
  index: number;
  params: Record<string, unknown>;
  config: Record<string, unknown>;
  state: TrialStateName;
  attempts: number;
  runId: string | null;
  worker: string | null;
  reason: string | null;
  bestValAccuracy: number | null;
  updatedAt: Date;
}

/**
 * One page of a sweep's trials, sorted, filtered and counted in the database, so a sweep of
 * 10,000 trials pages as fast as one of ten. Trials without a value sort last either way.
 */
export async function listSweepTrials(
  sql: Sql,
  query: TrialListQuery,
): Promise<{ items: TrialRow[]; total: number }> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [`t.sweep_id = ${p(query.sweepId)}`];
  if (query.states?.length) where.push(`t.state::text = ANY(${p(query.states)}::text[])`);
  if (query.params && Object.keys(query.params).length > 0)
    where.push(`t.params @> ${p(JSON.stringify(query.params))}::jsonb`);
  const filter = where.join(' AND ');
  const [count] = await sql.query<{ total: string }>(
    `SELECT count(*)::text AS total FROM sweep_trials t WHERE ${filter}`,
    [...params],
  );
  const dir = query.direction === 'desc' ? 'DESC' : 'ASC';
  let order: string;
  if (query.sortBy === 'bestValAccuracy') order = `t.best_val_accuracy ${dir} NULLS LAST`;
  else if (query.sortBy === 'state') order = `t.state::text ${dir}`;
  else if (query.sortBy === 'attempts') order = `t.attempts ${dir}`;
  else if (query.sortBy.startsWith('param:')) {
    const key = p(query.sortBy.slice('param:'.length));
    // Numbers in numeric order, everything else by its JSON text.
    order = `CASE WHEN jsonb_typeof(t.params -> ${key}) = 'number' THEN (t.params ->> ${key})::float8 END ${dir} NULLS LAST, t.params ->> ${key} ${dir} NULLS LAST`;
  } else order = `t.index ${dir}`;
  const rows = await sql.query<{
    index: number;
    params: Record<string, unknown>;
    config: Record<string, unknown>;
    state: TrialStateName;
    attempts: number;
    run_id: string | null;
    worker: string | null;
    reason: string | null;
    best_val_accuracy: number | null;
    updated_at: Date;
  }>(
    `SELECT t.index, t.params, t.config, t.state::text AS state, t.attempts, t.run_id, t.worker,
            t.reason, t.best_val_accuracy, t.updated_at
     FROM sweep_trials t WHERE ${filter}
     ORDER BY ${order}, t.index ${dir}
     OFFSET ${p(query.offset)} LIMIT ${p(query.limit)}`,
    params,
  );
  return {
    total: Number(count?.total ?? 0),
    items: rows.map((row) => ({
      index: row.index,
      params: row.params,
      config: row.config,
      state: row.state,
      attempts: row.attempts,
      runId: row.run_id,
      worker: row.worker,
      reason: row.reason,
      bestValAccuracy: row.best_val_accuracy,
      updatedAt: new Date(row.updated_at),
    })),
  };
}

/** Trials by state for each sweep: { sweepId: { queued: n, running: n, … } }. */
export async function sweepTrialCounts(
  sql: Sql,
  sweepIds: string[],
): Promise<Map<string, Record<TrialStateName, number>>> {
  const rows = await sql.query<{ sweep_id: string; state: TrialStateName; n: string }>(
    `SELECT sweep_id, state::text AS state, count(*)::text AS n FROM sweep_trials
     WHERE sweep_id = ANY($1::text[]) GROUP BY sweep_id, state`,
    [sweepIds],
  );
  const out = new Map<string, Record<TrialStateName, number>>();
  for (const id of sweepIds)
    out.set(
      id,
      Object.fromEntries(trialStates.map((s) => [s, 0])) as Record<TrialStateName, number>,
    );
  for (const row of rows) out.get(row.sweep_id)![row.state] = Number(row.n);
  return out;
}

/** Trials by worker and state ("host/pid" → counts), for the sweep's progress by worker. */
export async function sweepWorkerCounts(
  sql: Sql,
  sweepId: string,
): Promise<Array<{ worker: string; state: TrialStateName; trials: number }>> {
  const rows = await sql.query<{ worker: string; state: TrialStateName; n: string }>(
    `SELECT worker, state::text AS state, count(*)::text AS n FROM sweep_trials
     WHERE sweep_id = $1 AND worker IS NOT NULL GROUP BY worker, state ORDER BY worker, state`,
    [sweepId],
  );
  return rows.map((row) => ({ worker: row.worker, state: row.state, trials: Number(row.n) }));
}

/**
 * A per-epoch metric at `epoch` of the current run of each trial of the sweep in `states`
 * (the median rule compares a trial with the finished ones at the same epoch).
 */
export async function trialMetricAtEpoch(
  sql: Sql,
  query: { sweepId: string; key: string; epoch: number; states: TrialStateName[]; except?: number },
): Promise<number[]> {
  const rows = await sql.query<{ value: number }>(
    `SELECT p.value FROM sweep_trials t
     JOIN metric_series s ON s.run_id = t.run_id AND s.key = $2
     JOIN metric_points p ON p.series_id = s.id AND p.epoch = $3
     WHERE t.sweep_id = $1 AND t.state::text = ANY($4::text[]) AND t.index <> $5`,
    [query.sweepId, query.key, query.epoch, query.states, query.except ?? -1],
  );
  return rows.map((row) => row.value).filter((v) => Number.isFinite(v));
}
