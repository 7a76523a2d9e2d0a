import type { Sql } from '../sql.js';

/** One value of one swept param: its trials' best val_accuracy, summarised. */
export interface ParamValueEffect {
  param: string;
  /** The value as JSON text ("0.3", "\"flip\""). */
  value: string;
  trials: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
}

/** How many of a param value's trials (latest runs) have a diagnosis finding. */
export interface ParamValueFinding {
  param: string;
  value: string;
  finding: string;
  runs: number;
  /** Trials of this value that have a run with a diagnosis. */
  of: number;
}

/**
 * "What mattered": for every swept param and value, the marginal mean of the trials' best
 * val_accuracy with its spread (sample standard deviation, min, max), and the diagnosis
 * findings counted per value. Set-based in the database, so 10,000 trials cost one scan.
 */
export async function sweepAnalysis(
  sql: Sql,
  sweepId: string,
): Promise<{ effects: ParamValueEffect[]; findings: ParamValueFinding[] }> {
  const effects = await sql.query<{
    param: string;
    value: string;
    trials: string;
    mean: number | null;
    sd: number | null;
    min: number | null;
    max: number | null;
  }>(
    `SELECT p.key AS param, p.value::text AS value, count(t.best_val_accuracy)::text AS trials,
            avg(t.best_val_accuracy) AS mean, stddev_samp(t.best_val_accuracy) AS sd,
            min(t.best_val_accuracy) AS min, max(t.best_val_accuracy) AS max
     FROM sweep_trials t CROSS JOIN LATERAL jsonb_each(t.params) p
     WHERE t.sweep_id = $1
     GROUP BY p.key, p.value::text
     ORDER BY p.key, min(CASE WHEN jsonb_typeof(p.value) = 'number' THEN (p.value #>> '{}')::float8 END), p.value::text`,
    [sweepId],
  );
  const findings = await sql.query<{
    param: string;
    value: string;
    finding: string | null;
    runs: string;
    of: string;
  }>(
    `WITH diagnosed AS (
       SELECT t.params, r.insights -> 'kinds' AS kinds FROM sweep_trials t
       JOIN runs r ON r.id = t.run_id
       WHERE t.sweep_id = $1 AND jsonb_typeof(r.insights -> 'kinds') = 'array'
     ), totals AS (
       SELECT p.key, p.value::text AS value, count(*) AS n
       FROM diagnosed d CROSS JOIN LATERAL jsonb_each(d.params) p GROUP BY 1, 2
     )
     SELECT p.key AS param, p.value::text AS value, k.kind AS finding, count(*)::text AS runs,
            max(totals.n)::text AS of
     FROM diagnosed d CROSS JOIN LATERAL jsonb_each(d.params) p
     CROSS JOIN LATERAL jsonb_array_elements_text(d.kinds) AS k(kind)
     JOIN totals ON totals.key = p.key AND totals.value = p.value::text
     GROUP BY p.key, p.value::text, k.kind
     ORDER BY p.key, k.kind, p.value::text`,
    [sweepId],
  );
  return {
    effects: effects.map((e) => ({ ...e, trials: Number(e.trials) })),
    findings: findings.map((f) => ({
      param: f.param,
      value: f.value,
      finding: f.finding ?? '',
      runs: Number(f.runs),
      of: Number(f.of),
    })),
  };
}
