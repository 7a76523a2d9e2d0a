import type { Sql } from '../sql.js';

export interface RunListQuery {
  statuses?: string[] | undefined;
  /** Runs carrying every one of these tags. */
  tags?: string[] | undefined;
  /** Case-insensitive substring of the name or the notes. */
  text?: string | undefined;
  /** Runs whose params contain these values (JSON containment: 0.001 ≠ "0.001"). */
  params?: Record<string, unknown> | undefined;
  /** Runs whose stored diagnosis has this finding kind. */
  insight?: string | undefined;
  /** The runs (every attempt) of one sweep. */
  sweepId?: string | undefined;
  /** Only these runs. */
  ids?: string[] | undefined;
  /** `createdAt`, or a key of the run's summary (e.g. `bestValAccuracy`). */
  sortBy: string;
  direction: 'asc' | 'desc';
  limit: number;
  cursor?: string | undefined;
}

interface Cursor {
  /** The sort value of the page's last run: ±Infinity where that run lacks the summary key. */
  v: number;
  id: string;
}

// JSON has no Infinity (JSON.stringify writes null): those travel as strings.
const infinities = new Set(['Infinity', '-Infinity']);

export function encodeCursor(cursor: Cursor): string {
  const v = Number.isFinite(cursor.v) ? cursor.v : String(cursor.v);
  return Buffer.from(JSON.stringify({ v, id: cursor.id })).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      v: unknown;
      id: unknown;
    };
    const v =
      typeof parsed.v === 'string' && infinities.has(parsed.v) ? Number(parsed.v) : parsed.v;
    if (typeof v === 'number' && typeof parsed.id === 'string') return { v, id: parsed.id };
  } catch {}
  throw new RangeError(
    `cursor: not a cursor returned by run.list (${JSON.stringify(text.slice(0, 40))})`,
  );
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of run ids in the requested order, with the cursor of the next page. Keyset
 * pagination on (sort value, id): pages stay stable while new runs arrive. Runs without
 * the summary metric sort last either way.
 */
export async function listRunIds(
  sql: Sql,
  query: RunListQuery,
): Promise<{ ids: string[]; nextCursor: string | null }> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const missing = query.direction === 'desc' ? "'-Infinity'::float8" : "'Infinity'::float8";
  const sortExpr =
    query.sortBy === 'createdAt'
      ? '(extract(epoch FROM r.created_at) * 1000)::float8'
      : `COALESCE(CASE WHEN jsonb_typeof(r.summary -> ${p(query.sortBy)}) = 'number' THEN (r.summary ->> ${p(query.sortBy)})::float8 END, ${missing})`;
  const where: string[] = [];
  if (query.statuses?.length) where.push(`r.status::text = ANY(${p(query.statuses)}::text[])`);
  if (query.text) {
    const like = p(`%${escapeLike(query.text)}%`);
    where.push(`(r.name ILIKE ${like} OR r.notes ILIKE ${like})`);
  }
  if (query.params && Object.keys(query.params).length > 0) {
    where.push(`r.params @> ${p(JSON.stringify(query.params))}::jsonb`);
  }
  if (query.sweepId) where.push(`r.sweep_id = ${p(query.sweepId)}`);
  if (query.ids) where.push(`r.id = ANY(${p(query.ids)}::text[])`);
  if (query.insight) where.push(`(r.insights -> 'kinds') ? ${p(query.insight)}`);
  if (query.tags?.length) {
    // Tag names match in any case (tags.name_key is the name in lower case).
    const tags = p([...new Set(query.tags.map((tag) => tag.toLowerCase()))]);
    where.push(
      `(SELECT count(DISTINCT t.name_key) FROM run_tags rt JOIN tags t ON t.id = rt.tag_id
        WHERE rt.run_id = r.id AND t.name_key = ANY(${tags}::text[])) = cardinality(${tags}::text[])`,
    );
  }
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    const op = query.direction === 'desc' ? '<' : '>';
    where.push(`(${sortExpr}, r.id) ${op} (${p(cursor.v)}::float8, ${p(cursor.id)})`);
  }
  const dir = query.direction === 'desc' ? 'DESC' : 'ASC';
  const rows = await sql.query<{ id: string; v: number }>(
    `SELECT r.id, ${sortExpr} AS v FROM runs r
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY v ${dir}, r.id ${dir} LIMIT ${p(query.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    ids: page.map((row) => row.id),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ v: Number(last.v), id: last.id }) : null,
  };
}
