'use client';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { browserClient } from '../lib/browser-client';
import { appendPoints, comparePoints, type PointsByKey, toPoints } from '../lib/metric-keys';
import { chartLine, type SeriesData } from '../lib/series';
import { type PointsByKeyEvent, useLiveRuns } from '../lib/use-live-runs';
import { ChartControls } from './chart-controls';
import { ChartPair } from './chart-pair';

export interface CompareRun {
  id: string;
  name: string;
  colour: string;
  /** Still training: its new points are drawn as they are logged. */
  live: boolean;
  points: PointsByKey;
}

const trainKeys = ['accuracy', 'loss'];

/** Adds a live event's points to the keys a run already has on the charts. */
function merge(into: PointsByKey | undefined, byKey: PointsByKeyEvent, keys: string[]) {
  const next = { ...into };
  for (const key of keys) {
    const points = byKey.get(key);
    if (points) next[key] = appendPoints(next[key] ?? { steps: [], values: [] }, points);
  }
  return next;
}

/**
 * Every run on the same two charts, one colour per run: validation solid; training dashed, on
 * demand (fetched then — with many runs it halves the first paint's work and clutter). Runs
 * still training update live.
 */
export function CompareCharts({ runs }: { runs: CompareRun[] }) {
  const router = useRouter();
  const [val, setVal] = useState(() => Object.fromEntries(runs.map((r) => [r.id, r.points])));
  const [weight, setWeight] = useState(0);
  const [logY, setLogY] = useState(false);
  const [showTrain, setShowTrain] = useState(false);
  const [train, setTrain] = useState<Record<string, PointsByKey> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const toggleTrain = async (on: boolean) => {
    setShowTrain(on);
    if (!on || train) return;
    try {
      const series = await (await browserClient()).metric.series.query({
        runIds: runs.map((r) => r.id),
        keys: trainKeys,
        maxPoints: comparePoints,
      });
      const byRun: Record<string, PointsByKey> = {};
      for (const s of series) {
        byRun[s.runId] = { ...byRun[s.runId], [s.key]: toPoints(s.points) };
      }
      setTrain(byRun);
      setError(null);
    } catch (e) {
      setError(`Could not load the training curves: ${(e as Error).message}`);
    }
  };
  const connected = useLiveRuns({
    runIds: runs.filter((r) => r.live).map((r) => r.id),
    onPoints(runId, byKey) {
      setVal((prev) => ({
        ...prev,
        [runId]: merge(prev[runId], byKey, ['val_accuracy', 'val_loss']),
      }));
      setTrain((prev) =>
        prev ? { ...prev, [runId]: merge(prev[runId], byKey, trainKeys) } : prev,
      );
    },
    // Best val accuracy and the like are server-rendered: fetch them again.
    onEnded: () => router.refresh(),
  });
  // Each run's validation line, and its dashed training line when asked for.
  const charts = useMemo(() => {
    const lines = (trainKey: string, valKey: string): SeriesData[] =>
      runs.flatMap((r) => {
        const line = (key: string, label: string, dash?: number[]) =>
          chartLine(val[r.id]?.[key] ?? train?.[r.id]?.[key], {
            label: `${r.name} ${label}`,
            colour: r.colour,
            weight,
            ...(dash ? { dash } : {}),
          });
        return showTrain && train
          ? [line(valKey, 'val'), line(trainKey, 'train', [6, 4])]
          : [line(valKey, 'val')];
      });
    return { accuracy: lines('accuracy', 'val_accuracy'), loss: lines('loss', 'val_loss') };
  }, [runs, val, weight, showTrain, train]);
  const anyLive = runs.some((r) => r.live);
  return (
    <section aria-label="Curves" className="space-y-3">
      <ul className="flex flex-wrap gap-4 text-sm" aria-label="Legend">
        {runs.map((r) => (
          <li key={r.id} className="flex items-center gap-2" data-legend={r.id}>
            <span aria-hidden className="h-1 w-6 rounded" style={{ background: r.colour }} />
            {r.name}
          </li>
        ))}
        <li className="text-zinc-500">solid: validation · dashed: training</li>
      </ul>
      <ChartControls
        live={anyLive}
        connected={connected}
        weight={weight}
        onWeight={setWeight}
        logY={logY}
        onLogY={setLogY}
      >
        <label className="flex items-center gap-1">
          <input
            type="checkbox"
            checked={showTrain}
            onChange={(e) => toggleTrain(e.target.checked)}
          />{' '}
          Training curves
        </label>
      </ChartControls>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      <ChartPair
        ids={['accuracy', 'loss']}
        titles={['Accuracy', 'Loss']}
        xLabel="epoch"
        series={charts}
        logY={logY}
      />
    </section>
  );
}
