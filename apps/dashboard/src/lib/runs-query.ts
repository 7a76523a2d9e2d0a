import type { RouterInputs } from '@trainbook/api/client';

type SearchParams = Record<string, string | string[] | undefined>;

const statuses = ['running', 'finished', 'failed', 'crashed', 'killed'] as const;
export type RunStatus = (typeof statuses)[number];
export const allStatuses: readonly RunStatus[] = statuses;

/** Columns sorted by the tracker; the rest are sorted here, within the loaded page. */
export const serverSorts = new Set(['createdAt', 'bestValAccuracy', 'bestEpoch']);

export const defaultParamColumns = ['batchSize', 'optimizer', 'lr', 'trainableFrom', 'dropout'];

export interface RunsQuery {
  tags: string[];
  status: RunStatus[];
  text: string;
  /** "key=value" filters, value read as JSON when it parses (0.5, true), else as text. */
  params: string[];
  sort: string;
  dir: 'asc' | 'desc';
  cols: string[];
}

const list = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** What the runs page's URL says: filter, sort and shown param columns (shareable). */
export function parseRunsQuery(sp: SearchParams): RunsQuery {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
  const cols = list(sp.cols);
  return {
    tags: list(sp.tag),
    status: list(sp.status).filter((s): s is RunStatus =>
      (statuses as readonly string[]).includes(s),
    ),
    text: first(sp.q).slice(0, 200),
    params: (Array.isArray(sp.param) ? sp.param : sp.param ? [sp.param] : []).filter((p) =>
      p.includes('='),
    ),
    sort: /^[A-Za-z0-9_.-]{1,100}$/.test(first(sp.sort)) ? first(sp.sort) : 'createdAt',
    dir: first(sp.dir) === 'asc' ? 'asc' : 'desc',
    cols: 'cols' in sp ? cols : defaultParamColumns,
  };
}

export function parseParamValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toListInput(q: RunsQuery): RouterInputs['run']['list'] {
  const params = Object.fromEntries(
    q.params.map((p) => {
      const at = p.indexOf('=');
      return [p.slice(0, at).trim(), parseParamValue(p.slice(at + 1).trim())];
    }),
  );
  return {
    ...(q.status.length ? { status: q.status } : {}),
    ...(q.tags.length ? { tags: q.tags } : {}),
    ...(q.text ? { text: q.text } : {}),
    ...(q.params.length ? { params: params as Record<string, never> } : {}),
    sortBy: serverSorts.has(q.sort) ? q.sort : 'createdAt',
    direction: q.dir,
    limit: 500,
  };
}

/** The runs page URL for a query (used by sort headers and filter chips). */
export function runsHref(q: RunsQuery, change: Partial<RunsQuery> = {}): string {
  const next = { ...q, ...change };
  const sp = new URLSearchParams();
  for (const t of next.tags) sp.append('tag', t);
  for (const s of next.status) sp.append('status', s);
  if (next.text) sp.set('q', next.text);
  for (const p of next.params) sp.append('param', p);
  if (next.sort !== 'createdAt') sp.set('sort', next.sort);
  if (next.dir !== 'desc') sp.set('dir', next.dir);
  if (next.cols.join(',') !== defaultParamColumns.join(',')) sp.set('cols', next.cols.join(','));
  const s = sp.toString();
  return s ? `/?${s}` : '/';
}
