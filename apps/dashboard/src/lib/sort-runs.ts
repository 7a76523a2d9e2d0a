import type { RouterOutputs } from '@trainbook/api/client';

export type Run = RouterOutputs['run']['list']['items'][number];

/** What a column sorts by, for the columns the tracker cannot sort itself. */
export function sortValue(run: Run, column: string): unknown {
  if (column === 'name') return run.name.toLowerCase();
  if (column === 'status') return run.status;
  if (column === 'createdAt') return run.createdAt.getTime();
  if (column === 'duration') {
    const start = (run.startedAt ?? run.createdAt).getTime();
    return (run.finishedAt ?? run.lastHeartbeatAt ?? new Date()).getTime() - start;
  }
  if (column === 'epochs') return runEpochs(run) ?? run.params.epochs;
  if (column === 'tags') return run.tags.map((t) => t.name).join(',');
  if (column.startsWith('param.')) return run.params[column.slice(6)];
  return run.summary[column];
}

/** Epochs the run has done, when the trainer's summary says (summary.epochs or final.epoch). */
export function runEpochs(run: Run): unknown {
  const final = run.summary.final as Record<string, unknown> | undefined;
  return run.summary.epochs ?? final?.epoch;
}

/** The epochs cell: done, or else the planned number, marked as such. */
export function epochsLabel(run: Run): string {
  const done = runEpochs(run);
  if (done !== undefined && done !== null) return String(done);
  return run.params.epochs === undefined ? '—' : `${String(run.params.epochs)} planned`;
}

function compare(a: unknown, b: unknown): number {
  // Missing values go last in either direction.
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function sortRuns(runs: Run[], column: string, dir: 'asc' | 'desc'): Run[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...runs].sort((x, y) => {
    const a = sortValue(x, column);
    const b = sortValue(y, column);
    if (a === undefined || a === null || b === undefined || b === null) return compare(a, b);
    return sign * compare(a, b);
  });
}
