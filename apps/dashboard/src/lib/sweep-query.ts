/** The sweep page's table state, kept in its URL: sort, direction, state filter, page. */
export interface SweepQuery {
  sort: string;
  dir: 'asc' | 'desc';
  state: string | null;
  page: number;
}

export const trialsPerPage = 50;

const sorts = /^(index|bestValAccuracy|state|attempts|param:[A-Za-z0-9_.-]{1,100})$/;
const states = ['queued', 'running', 'finished', 'failed', 'stopped', 'cancelled'];

export function parseSweepQuery(params: Record<string, string | string[] | undefined>): SweepQuery {
  const one = (k: string) => (Array.isArray(params[k]) ? params[k][0] : params[k]);
  const sort = one('sort') ?? 'bestValAccuracy';
  const state = one('state') ?? null;
  const page = Number(one('page') ?? 1);
  return {
    sort: sorts.test(sort) ? sort : 'bestValAccuracy',
    dir: one('dir') === 'asc' ? 'asc' : 'desc',
    state: state && states.includes(state) ? state : null,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

export function sweepHref(id: string, q: SweepQuery, change: Partial<SweepQuery>): string {
  const next = { ...q, ...change };
  const search = new URLSearchParams({ sort: next.sort, dir: next.dir, page: String(next.page) });
  if (next.state) search.set('state', next.state);
  return `/sweeps/${encodeURIComponent(id)}?${search}`;
}

/**
 * A config as the command that trains it again: `pnpm train --dropout 0.3 …`, flags in
 * alphabetical order (the store's JSON keeps no key order of its own).
 */
export function trainCommand(config: Record<string, unknown>): string {
  const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const quote = (v: string) => (/^[\w.,:+=/@-]+$/.test(v) ? v : JSON.stringify(v));
  return [
    'pnpm train',
    ...Object.entries(config)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map((item) => `${flag(k)} ${quote(String(item))}`),
      ),
  ].join(' ');
}
