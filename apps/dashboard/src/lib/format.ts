/** Human-sized durations: 42 s, 3 min 5 s, 2 h 10 min. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

export function runDuration(run: {
  startedAt: Date | null;
  finishedAt: Date | null;
  lastHeartbeatAt: Date | null;
  createdAt: Date;
  status: string;
}): string {
  const start = (run.startedAt ?? run.createdAt).getTime();
  const end =
    run.finishedAt?.getTime() ??
    (run.status === 'running' ? Date.now() : (run.lastHeartbeatAt?.getTime() ?? start));
  return formatDuration(end - start);
}

/** Dates in ISO-like UTC form, the same on server and browser (no hydration mismatch). */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Any JSON value as a short cell. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) < 1e-3 ? value.toExponential(2) : String(Number(value.toPrecision(4)));
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return value.length === 0 ? 'none' : value.map(formatValue).join(', ');
  }
  return JSON.stringify(value);
}

export function formatPercent(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value)
    ? `${(value * 100).toFixed(2)} %`
    : '—';
}
