import { readEpochMetrics, trialMetricAtEpoch } from '@trainbook/db';
import type { Diagnosis } from '@trainbook/insights';
import type { Context } from '../../context.js';
import { diagnosisRule, earlyStoppingSettings, medianRule } from './early-stopping.js';

/**
 * When a sweep run's epoch metrics arrive: keep its trial's best val_accuracy, and apply the
 * sweep's early-stopping rules. A trial to stop gets `stopRequested` (the rule and its numbers);
 * its worker hears it in the next heartbeat answer and stops at the end of the epoch.
 * @returns the reason when this call asked the trial to stop.
 */
export async function judgeTrialEpochs(
  ctx: Pick<Context, 'store' | 'events'>,
  runId: string,
  diagnosis: Diagnosis | null,
): Promise<string | null> {
  const run = await ctx.store.prisma.run.findUnique({
    where: { id: runId },
    select: { sweepId: true, trialIndex: true },
  });
  if (!run?.sweepId || run.trialIndex === null) return null;
  const key = { sweepId: run.sweepId, index: run.trialIndex };
  const trial = await ctx.store.prisma.sweepTrial.findUnique({
    where: { sweepId_index: key },
    select: {
      runId: true,
      state: true,
      stopRequested: true,
      bestValAccuracy: true,
      sweep: { select: { earlyStopping: true } },
    },
  });
  if (!trial || trial.runId !== runId) return null;
  const epochs = await readEpochMetrics(ctx.store.sql, runId);
  const values = epochs
    .map((e) => e.val_accuracy)
    .filter((v) => v !== undefined && Number.isFinite(v));
  const best = values.length ? Math.max(...(values as number[])) : null;
  if (best !== null && best !== trial.bestValAccuracy) {
    await ctx.store.prisma.sweepTrial.update({
      where: { sweepId_index: key },
      data: { bestValAccuracy: best },
    });
    ctx.events.publish({ type: 'sweep', sweepId: run.sweepId, change: 'trial' });
  }
  const last = epochs.at(-1);
  if (trial.state !== 'running' || trial.stopRequested || !last) return null;
  const settings = earlyStoppingSettings.parse(trial.sweep.earlyStopping);
  let reason: string | null = null;
  if (settings.median) {
    const peers = await trialMetricAtEpoch(ctx.store.sql, {
      sweepId: run.sweepId,
      key: 'val_accuracy',
      epoch: last.epoch,
      states: ['finished'],
      except: run.trialIndex,
    });
    reason = medianRule(settings.median, last, peers);
  }
  if (!reason && settings.diagnosis && diagnosis)
    reason = diagnosisRule(settings.diagnosis, diagnosis);
  if (!reason) return null;
  const { count } = await ctx.store.prisma.sweepTrial.updateMany({
    where: { ...key, runId, state: 'running', stopRequested: null },
    data: { stopRequested: reason },
  });
  if (count === 0) return null;
  ctx.events.publish({ type: 'sweep', sweepId: run.sweepId, change: 'trial' });
  return reason;
}
