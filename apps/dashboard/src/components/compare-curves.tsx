import type { RouterOutputs } from '@trainbook/api/client';
import { load } from '../lib/load';
import { toPoints } from '../lib/metric-keys';
import { CompareCharts } from './compare-charts';
import { TrackerDown } from './tracker-down';

type Series = RouterOutputs['metric']['series'];

/** The compare page's charts, rendered once the points are in. */
export async function CompareCurves({
  runs,
  series,
}: {
  runs: { id: string; name: string; colour: string; live: boolean }[];
  series: Promise<Series>;
}) {
  const result = await load(() => series);
  if (!result.ok) return <TrackerDown message={result.message} />;
  const points = (runId: string) =>
    Object.fromEntries(
      result.data.filter((s) => s.runId === runId).map((s) => [s.key, toPoints(s.points, 6)]),
    );
  // Keyed by the runs: another set of runs starts from its own points, not these.
  return (
    <CompareCharts
      key={runs.map((r) => r.id).join(',')}
      runs={runs.map((r) => ({ ...r, points: points(r.id) }))}
    />
  );
}
