import Link from 'next/link';
import { CompareCurves } from '../../components/compare-curves';
import { ParamsDiffTable } from '../../components/params-diff-table';
import { TrackerDown } from '../../components/tracker-down';
import { formatPercent } from '../../lib/format';
import { load } from '../../lib/load';
import { comparePoints } from '../../lib/metric-keys';
import { runColours } from '../../lib/series';
import { tracker } from '../../lib/trpc';

export const dynamic = 'force-dynamic';

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const ids = [
    ...new Set(
      String(sp.runs ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, 20);
  if (ids.length < 2) {
    return (
      <p>
        Pick two or more runs to compare on the{' '}
        <Link href="/" className="text-blue-600 underline">
          runs page
        </Link>
        .
      </p>
    );
  }
  // Start the points with the runs; the charts are revealed with the page (see the run page).
  const series = tracker.metric.series.query({
    runIds: ids,
    keys: ['val_accuracy', 'val_loss'],
    maxPoints: comparePoints,
  });
  series.catch(() => {});
  // The runs in one call, not one call each.
  const result = await load(() => tracker.run.list.query({ ids, limit: ids.length }));
  if (!result.ok) return <TrackerDown message={result.message} />;
  const byId = new Map(result.data.items.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0)
    return (
      <TrackerDown
        message={`No run with id ${missing.map((id) => JSON.stringify(id)).join(', ')}.`}
      />
    );
  const runs = ids.map((id) => byId.get(id)!);
  const compared = runs.map((r, i) => ({
    id: r.id,
    name: r.name,
    colour: runColours[i % runColours.length]!,
    live: r.status === 'running',
    params: r.params,
    best: r.summary.bestValAccuracy,
  }));
  const baseline =
    typeof sp.baseline === 'string' && ids.includes(sp.baseline) ? sp.baseline : ids[0]!;
  const hrefFor = (id: string) =>
    `/compare?runs=${ids.map(encodeURIComponent).join(',')}&baseline=${encodeURIComponent(id)}`;

  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Compare {runs.length} runs</h1>
      <ul className="flex flex-wrap gap-4 text-sm">
        {compared.map((r) => (
          <li key={r.id}>
            <Link
              href={`/runs/${encodeURIComponent(r.id)}`}
              prefetch={false}
              className="underline"
              style={{ color: r.colour }}
            >
              {r.name}
            </Link>{' '}
            best val acc {formatPercent(r.best)}
          </li>
        ))}
      </ul>
      <CompareCurves
        runs={compared.map(({ id, name, colour, live }) => ({ id, name, colour, live }))}
        series={series}
      />
      <ParamsDiffTable runs={compared} baselineId={baseline} hrefFor={hrefFor} />
    </div>
  );
}
