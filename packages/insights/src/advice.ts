import { compareDiagnosedRuns, type DiagnosedRun } from './compare-runs.js';
import { type RunParams, readRunParams } from './run-params.js';
import type { Finding } from './types.js';

/** An earlier run of the notebook, diagnosed on its own. */
export interface DiagnosedEarlierRun extends DiagnosedRun {
  id?: string;
  name?: string;
}

/**
 * One learning rate for the whole diagnosis: the first `--lr` step (the verdict's finding comes
 * first) decides; a later one that proposes another value is dropped, so the advice never says
 * both "lower it" and "raise it", nor two different values.
 */
export function reconcileLearningRate(findings: Finding[]): Finding[] {
  let chosen: string | null = null;
  return findings.map((f) => ({
    ...f,
    nextSteps: f.nextSteps.filter((s) => {
      if (!s.flags.startsWith('--lr ')) return true;
      chosen ??= s.flags;
      return s.flags === chosen;
    }),
  }));
}

/** What a flag sets, read back from a run's params, or undefined for a flag not recognised. */
function triedValue(flag: string, value: string, p: RunParams): boolean | undefined {
  switch (flag) {
    case '--lr':
      return p.lr !== null && Math.abs(p.lr - Number(value)) <= 1e-12 + 1e-6 * p.lr;
    case '--augment':
      return p.augmented;
    case '--dropout':
      return p.dropout === Number(value);
    case '--early-stopping':
      return p.earlyStopping !== null;
    case '--batch-size':
      return p.batchSize === Number(value);
    case '--optimizer':
      return p.optimizer === value;
    case '--dense-units':
      return p.denseUnits === Number(value);
    case '--weights':
      return p.weights === value;
    case '--preprocessing':
      return p.preprocessing === value;
    case '--trainable-from':
      return p.trainableFrom === value;
    default:
      return undefined;
  }
}

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 1000) / 10}%`);

/**
 * For each next step, the newest earlier run of the notebook that already had that setting
 * while this run does not: what it reached, against this run.
 */
export function noteTriedSteps(
  findings: Finding[],
  run: DiagnosedRun,
  earlier: DiagnosedEarlierRun[],
): Finding[] {
  if (earlier.length === 0) return findings;
  const current = readRunParams(run.params);
  const readEarlier = earlier.map((e) => ({ run: e, params: readRunParams(e.params) }));
  return findings.map((f) => ({
    ...f,
    nextSteps: f.nextSteps.map((step) => {
      const [flag, value = ''] = step.flags.split(/\s+/, 2) as [string, string?];
      if (triedValue(flag, value, current) !== false) return step;
      const match = readEarlier.find((e) => triedValue(flag, value, e.params) === true);
      if (!match) return step;
      const c = compareDiagnosedRuns(match.run, run);
      const label = match.run.name ?? match.run.id ?? 'an earlier run';
      const best = c.deltas.bestValAccuracyPoints;
      const gap = c.deltas.finalGapPoints;
      const bestValAccuracy = c.run.bestValAccuracy;
      const verdict = c.run.verdict;
      const tried = `tried in ${label}: best val_accuracy ${pct(bestValAccuracy)}${best === null ? '' : ` (${best >= 0 ? '+' : '−'}${Math.abs(best)} points against this run)`}${gap === null ? '' : `, final train–validation gap ${gap >= 0 ? '+' : '−'}${Math.abs(gap)} points`}${verdict === 'too_early' || verdict === 'none' ? '' : `; diagnosed ${verdict.replaceAll('_', ' ')}`}`;
      return { ...step, tried };
    }),
  }));
}
