import { diagnose } from './diagnose.js';
import { round } from './series.js';
import type { Diagnosis, RunForDiagnosis } from './types.js';

export interface ParamChange {
  key: string;
  from: unknown;
  to: unknown;
}

export interface RunComparison {
  paramChanges: ParamChange[];
  /** Differences run − baseline. Accuracy figures are in percentage points. */
  deltas: {
    bestValAccuracyPoints: number | null;
    finalGapPoints: number | null;
    bestValLoss: number | null;
    epochs: number;
  };
  /** Each run's best validation accuracy and verdict, as diagnosed on its own. */
  run: { bestValAccuracy: number | null; verdict: string };
  baseline: { bestValAccuracy: number | null; verdict: string };
  /** One sentence, e.g. "dropout 0 → 0.5: best val_accuracy +3.1 points, final gap −12 points". */
  summary: string;
}

const show = (v: unknown) =>
  v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v);
const signed = (x: number, unit: string) =>
  `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x)}${unit}`;

/** A run's params with its diagnosis (e.g. the one the tracker keeps on the run). */
export interface DiagnosedRun {
  params: Record<string, unknown>;
  diagnosis: Diagnosis;
}

/** What changed from `baseline` to `run`, in params and in results. */
export function compareRuns(run: RunForDiagnosis, baseline: RunForDiagnosis): RunComparison {
  return compareDiagnosedRuns(
    { params: run.params, diagnosis: diagnose(run) },
    { params: baseline.params, diagnosis: diagnose(baseline) },
  );
}

/** compareRuns for runs already diagnosed: no curve is read again. */
export function compareDiagnosedRuns(run: DiagnosedRun, baseline: DiagnosedRun): RunComparison {
  const keys = [...new Set([...Object.keys(baseline.params), ...Object.keys(run.params)])].sort();
  const paramChanges = keys
    .filter((key) => JSON.stringify(run.params[key]) !== JSON.stringify(baseline.params[key]))
    .map((key) => ({ key, from: baseline.params[key], to: run.params[key] }));
  const a = run.diagnosis;
  const b = baseline.diagnosis;
  const diff = (x: number | null, y: number | null, scale: number) =>
    x === null || y === null ? null : round((x - y) * scale, 1);
  const deltas = {
    bestValAccuracyPoints: diff(a.bestValAccuracy, b.bestValAccuracy, 100),
    finalGapPoints: diff(a.gap.final, b.gap.final, 100),
    bestValLoss: diff(a.bestValLoss, b.bestValLoss, 1),
    epochs: a.epochs - b.epochs,
  };
  const changes = paramChanges.length
    ? paramChanges.map((c) => `${c.key} ${show(c.from)} → ${show(c.to)}`).join(', ')
    : 'same params';
  const effects = [
    deltas.bestValAccuracyPoints !== null
      ? `best val_accuracy ${signed(deltas.bestValAccuracyPoints, ' points')}`
      : null,
    deltas.finalGapPoints !== null ? `final gap ${signed(deltas.finalGapPoints, ' points')}` : null,
  ].filter(Boolean);
  return {
    paramChanges,
    deltas,
    run: { bestValAccuracy: a.bestValAccuracy, verdict: a.verdict.kind },
    baseline: { bestValAccuracy: b.bestValAccuracy, verdict: b.verdict.kind },
    summary: effects.length ? `${changes}: ${effects.join(', ')}` : changes,
  };
}
