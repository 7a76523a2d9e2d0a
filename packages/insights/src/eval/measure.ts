import { curveKinds } from '../types.js';
import { verdictRule } from '../verdict.js';
import type { CorpusRun } from './corpus.js';
import { liveReplay } from './replay.js';

/** Kinds that must never be shown, even for one epoch, on a run a person labelled healthy. */
export const alarmKinds = ['overfitting', 'divergence', 'instability'] as const;

export interface RunResult {
  name: string;
  split: CorpusRun['split'];
  label: CorpusRun['label'];
  diagnosed: string;
  confidence: number;
  onset: { labelled: number; diagnosed: number | null } | null;
  /** Epochs where a healthy run showed an alarm kind: [epoch, kind]. */
  falseAlarms: [number, string][];
  /** Epochs before the minimum with a finding at confidence ≥ 0.8. */
  earlyConfident: [number, string, number][];
  /** Epoch-to-epoch verdict changes in the live replay, and how many took back a verdict shown for one epoch only. */
  changes: number;
  flipBacks: number;
  /** The live verdicts, one letter-ish word per epoch. */
  live: string[];
}

export function measureRun(run: CorpusRun): RunResult {
  const replay = liveReplay(run);
  const final = replay.at(-1)!;
  const overfit = final.findings.find((f) => f.kind === 'overfitting');
  const falseAlarms: [number, string][] = [];
  const earlyConfident: [number, string, number][] = [];
  replay.forEach((d, i) => {
    const epoch = run.epochs[i]!.epoch;
    if (run.label === 'healthy') {
      for (const f of d.findings)
        if ((alarmKinds as readonly string[]).includes(f.kind)) falseAlarms.push([epoch, f.kind]);
    }
    if (d.epochs < verdictRule.minEpochs) {
      for (const f of d.findings)
        if (f.confidence >= 0.8) earlyConfident.push([epoch, f.kind, f.confidence]);
      if (d.verdict.confidence >= 0.8)
        earlyConfident.push([epoch, 'verdict', d.verdict.confidence]);
    }
  });
  const live = replay.map((d) => d.verdict.kind);
  let changes = 0;
  let flipBacks = 0;
  for (let i = 1; i < live.length; i++) {
    if (live[i] === live[i - 1]) continue;
    changes++;
    // A, B, A: a verdict shown for a single epoch and taken back.
    if (i >= 2 && live[i] === live[i - 2]) flipBacks++;
  }
  return {
    name: run.name,
    split: run.split,
    label: run.label,
    diagnosed: final.verdict.kind,
    confidence: final.verdict.confidence,
    onset:
      run.label === 'overfitting' && run.onsetEpoch !== undefined
        ? { labelled: run.onsetEpoch, diagnosed: overfit?.onsetEpoch ?? null }
        : null,
    falseAlarms,
    earlyConfident,
    changes,
    flipBacks,
    live,
  };
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);

/** The eval's report, as text tables. */
export function report(results: RunResult[]): string {
  const out: string[] = [];
  const kinds = [...curveKinds, 'too_early', 'none'];
  for (const split of ['all', 'design', 'holdout'] as const) {
    const rs = results.filter((r) => split === 'all' || r.split === split);
    if (rs.length === 0) continue;
    const right = rs.filter((r) => r.diagnosed === r.label).length;
    out.push(`${split}: ${right}/${rs.length} right primary finding`);
  }
  out.push('', '| run | split | labelled | diagnosed | confidence |', '|---|---|---|---|---|');
  for (const r of results)
    out.push(
      `| ${r.name} | ${r.split} | ${r.label} | ${r.diagnosed === r.label ? r.diagnosed : `**${r.diagnosed}**`} | ${r.confidence.toFixed(2)} |`,
    );
  out.push('', 'confusion (rows: labelled kind, columns: diagnosed verdict)');
  const used = kinds.filter((k) => results.some((r) => r.label === k || r.diagnosed === k));
  const short = (k: string) => k;
  out.push(`| labelled \\ diagnosed | ${used.map(short).join(' | ')} |`);
  out.push(`|---|${used.map(() => '---').join('|')}|`);
  for (const label of curveKinds) {
    const rs = results.filter((r) => r.label === label);
    if (rs.length === 0) continue;
    out.push(
      `| ${label} | ${used.map((k) => rs.filter((r) => r.diagnosed === k).length || '·').join(' | ')} |`,
    );
  }
  out.push('', 'overfitting onset (labelled by eye from the smoothed val_loss)');
  out.push('| run | labelled | diagnosed | error |', '|---|---|---|---|');
  for (const r of results.filter((x) => x.onset)) {
    const { labelled, diagnosed } = r.onset!;
    out.push(
      `| ${r.name} | ${labelled} | ${diagnosed ?? '–'} | ${diagnosed === null ? 'missed' : Math.abs(diagnosed - labelled)} |`,
    );
  }
  out.push('', 'live replay (the verdict after each epoch; · = too early)');
  for (const r of results) {
    const word = (k: string) => (k === 'too_early' ? '·' : k.slice(0, 4));
    out.push(`${pad(r.name, 26)} ${pad(r.label, 12)} ${r.live.map(word).join(' ')}`);
  }
  const alarms = results.filter((r) => r.falseAlarms.length);
  out.push(
    '',
    `false alarms (healthy runs ever shown ${alarmKinds.join('/')}): ${alarms.length} of ${results.filter((r) => r.label === 'healthy').length}`,
  );
  for (const r of alarms)
    out.push(`  ${r.name}: ${r.falseAlarms.map(([e, k]) => `${k}@${e}`).join(', ')}`);
  const early = results.filter((r) => r.earlyConfident.length);
  out.push(
    `confidence ≥ 0.8 before epoch ${verdictRule.minEpochs}: ${early.length ? early.map((r) => r.name).join(', ') : 'none'}`,
  );
  const changes = results.reduce((s, r) => s + r.changes, 0);
  const flipBacks = results.reduce((s, r) => s + r.flipBacks, 0);
  out.push(
    `live verdict changes: ${changes}, of which taking back a verdict shown for a single epoch: ${flipBacks}`,
  );
  out.push('', 'calibration (final verdicts: confidence bin, runs, fraction right)');
  out.push('| confidence | runs | right |', '|---|---|---|');
  for (const [lo, hi] of [
    [0, 0.5],
    [0.5, 0.6],
    [0.6, 0.7],
    [0.7, 0.8],
    [0.8, 0.9],
    [0.9, 1.01],
  ] as const) {
    const rs = results.filter((r) => r.confidence >= lo && r.confidence < hi);
    if (rs.length === 0) continue;
    const right = rs.filter((r) => r.diagnosed === r.label).length;
    out.push(
      `| ${lo.toFixed(1)}–${Math.min(1, hi).toFixed(1)} | ${rs.length} | ${(right / rs.length).toFixed(2)} |`,
    );
  }
  return out.join('\n');
}
