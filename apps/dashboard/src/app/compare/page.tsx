import Link from 'next/link';
import { CompareCharts, type CompareRun } from '../../components/compare-charts';
import { ParamsDiffTable } from '../../components/params-diff-table';
import { TrackerDown } from '../../components/tracker-down';
import { formatPercent } from '../../lib/format';
import { load } from '../../lib/load';
import { comparePoints, toPoints } from '../../lib/metric-keys';
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
  const result = await load(() =>
    Promise.all([
      Promise.all(ids.map((runId) => tracker.run.get.query({ runId }))),
      tracker.metric.series.query({
        runIds: ids,
        keys: ['val_accuracy', 'val_loss'],
        maxPoints: comparePoints,
      }),
    ]),
  );
  if (!result.ok) return <TrackerDown message={result.message} />;
  const [runs, series] = result.data;
  const compared: (CompareRun & { params: Record<string, unknown>; best: unknown })[] = runs.map(
    (r, i) => ({
      id: r.id,
      name: r.name,
      colour: runColours[i % runColours.length]!,
      params: r.params,
      best: r.summary.bestValAccuracy,
      points: Object.fromEntries(
        series.filter((s) => s.runId === r.id).map((s) => [s.key, toPoints(s.points, 6)]),
      ),
    }),
  );
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
              className="underline"
              style={{ color: r.colour }}
            >
              {r.name}
            </Link>{' '}
            best val acc {formatPercent(r.best)}
          </li>
        ))}
      </ul>
      <CompareCharts
        runs={compared.map(({ id, name, colour, points }) => ({ id, name, colour, points }))}
      />
      <ParamsDiffTable runs={compared} baselineId={baseline} hrefFor={hrefFor} />
    </div>
  );
}
