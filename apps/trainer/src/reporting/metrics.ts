import type { EpochMetrics } from '@trainbook/api/client';

export type { EpochMetrics };

/**
 * The run's summary: best epoch by val_accuracy (1-based; by loss without validation), its
 * val_accuracy and the lowest val_loss, epochs completed, and the last epoch's metrics.
 */
export function runSummary(
  history: EpochMetrics[],
  extra: { stopped: string | null; restoredBestWeights: boolean },
): Record<string, unknown> {
  const last = history.at(-1);
  let best: EpochMetrics | undefined;
  for (const e of history) {
    if (!best) best = e;
    else if (e.val_accuracy !== undefined && best.val_accuracy !== undefined) {
      if (e.val_accuracy > best.val_accuracy) best = e;
    } else if ((e.loss ?? Number.POSITIVE_INFINITY) < (best.loss ?? Number.POSITIVE_INFINITY))
      best = e;
  }
  const valLosses = history.map((e) => e.val_loss).filter((v): v is number => v !== undefined);
  return jsonSafe({
    bestEpoch: best?.epoch ?? null,
    bestValAccuracy: best?.val_accuracy ?? null,
    bestValLoss: valLosses.length ? Math.min(...valLosses) : null,
    epochs: history.length,
    final: last
      ? {
          loss: last.loss,
          accuracy: last.accuracy,
          val_loss: last.val_loss ?? null,
          val_accuracy: last.val_accuracy ?? null,
        }
      : null,
    stopped: extra.stopped,
    restoredBestWeights: extra.restoredBestWeights,
  });
}

/**
 * JSON (and so the run's summary) has no NaN or ±Infinity: a diverged loss becomes its name
 * as a string ("NaN"), so the summary still goes through and still says what happened.
 * (Metric points keep their real values.)
 */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_key, v) =>
      typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
    ),
  ) as T;
}
