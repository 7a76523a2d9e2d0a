import type { RouterOutputs } from '@trainbook/api/client';
import { load } from '../lib/load';
import { batchKeys, toPoints } from '../lib/metric-keys';
import { type ChartMarks, RunCharts } from './run-charts';
import { TrackerDown } from './tracker-down';

type Series = RouterOutputs['metric']['series'];
type Keys = RouterOutputs['metric']['keys'];

/**
 * The run page's charts, revealed with the page. They do not wait for the insights: the onset
 * marker and the evidence curves arrive when those do.
 */
export async function RunCurves({
  runId,
  live,
  series,
  keys,
  marks,
}: {
  runId: string;
  live: boolean;
  series: Promise<Series>;
  keys: Promise<Keys>;
  marks: Promise<ChartMarks>;
}) {
  const result = await load(() => Promise.all([series, keys]));
  if (!result.ok) return <TrackerDown message={result.message} />;
  const [loaded, logged] = result.data;
  const initial = Object.fromEntries(loaded.map((s) => [s.key, toPoints(s.points, 6)]));
  const hasBatchMetrics = logged.some((k) => (batchKeys as readonly string[]).includes(k.key));
  return (
    <RunCharts
      runId={runId}
      live={live}
      initial={initial}
      hasBatchMetrics={hasBatchMetrics}
      marks={marks}
    />
  );
}
