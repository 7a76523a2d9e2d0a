import { LiveRefresh } from '../components/live-refresh';
import { RunsFilter } from '../components/runs-filter';
import { type Column, type RunRow, RunsTable } from '../components/runs-table';
import { TrackerDown } from '../components/tracker-down';
import { formatDate, formatPercent, formatValue, runDuration } from '../lib/format';
import { load } from '../lib/load';
import { parseRunsQuery, type RunsQuery, runsHref, toListInput } from '../lib/runs-query';
import { epochsLabel, sortRuns } from '../lib/sort-runs';
import { tracker } from '../lib/trpc';

export const dynamic = 'force-dynamic';

function columnsFor(q: RunsQuery): Column[] {
  const col = (key: string, label: string): Column => ({
    key,
    label,
    sorted: q.sort === key ? q.dir : null,
    href: runsHref(q, { sort: key, dir: q.sort === key && q.dir === 'desc' ? 'asc' : 'desc' }),
  });
  return [
    col('name', 'Name'),
    col('status', 'Status'),
    col('createdAt', 'Created'),
    col('duration', 'Duration'),
    ...q.cols.map((p) => col(`param.${p}`, p)),
    col('bestValAccuracy', 'Best val acc'),
    col('epochs', 'Epochs'),
    col('tags', 'Tags'),
  ];
}

export default async function RunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = parseRunsQuery(await searchParams);
  const result = await load(() =>
    Promise.all([tracker.run.list.query(toListInput(query)), tracker.tag.list.query()]),
  );
  if (!result.ok) return <TrackerDown message={result.message} />;
  const [list, tags] = result.data;
  const runs = sortRuns(list.items, query.sort, query.dir);
  const filtered =
    query.tags.length + query.status.length + query.params.length > 0 || query.text !== '';
  const rows: RunRow[] = runs.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    statusReason: r.statusReason,
    created: formatDate(r.createdAt),
    duration: runDuration(r),
    params: query.cols.map((c) => formatValue(r.params[c])),
    bestValAccuracy: formatPercent(r.summary.bestValAccuracy),
    epochs: epochsLabel(r),
    tags: r.tags,
  }));
  return (
    <div className="space-y-4">
      <LiveRefresh />
      <div className="flex items-baseline justify-between">
        <h1 className="text-xl font-semibold">Runs</h1>
        <span className="text-sm text-zinc-500">
          {runs.length}
          {list.nextCursor ? '+' : ''} shown
        </span>
      </div>
      <RunsFilter query={query} tags={tags} />
      {rows.length === 0 ? (
        <div className="rounded border border-dashed border-zinc-300 p-8 text-center dark:border-zinc-700">
          {filtered ? (
            <p>No runs match this filter.</p>
          ) : (
            <p>
              No runs yet. Train one with <code className="font-mono">pnpm train</code>, or log one
              from a script with the client in{' '}
              <code className="font-mono">@trainbook/api/client</code>.
            </p>
          )}
        </div>
      ) : (
        <RunsTable rows={rows} columns={columnsFor(query)} />
      )}
    </div>
  );
}
