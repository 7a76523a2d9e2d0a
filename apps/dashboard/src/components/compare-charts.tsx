'use client';
import { useMemo, useState } from 'react';
import { browserClient } from '../lib/browser-client';
import { comparePoints, type PointsByKey, toPoints } from '../lib/metric-keys';
import { type SeriesData, smooth } from '../lib/series';
import { LineChart } from './line-chart';
import { SmoothingAndScale } from './smoothing-and-scale';

export interface CompareRun {
  id: string;
  name: string;
  colour: string;
  points: PointsByKey;
}

const trainKeys = ['accuracy', 'loss'];

/**
 * Every run on the same two charts, one colour per run: validation solid; training dashed, on
 * demand (fetched then — with many runs it halves the first paint's work and clutter).
 */
export function CompareCharts({ runs }: { runs: CompareRun[] }) {
  const [weight, setWeight] = useState(0);
  const [logY, setLogY] = useState(false);
  const [showTrain, setShowTrain] = useState(false);
  const [train, setTrain] = useState<Record<string, PointsByKey> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const toggleTrain = async (on: boolean) => {
    setShowTrain(on);
    if (!on || train) return;
    try {
      const series = await browserClient().metric.series.query({
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
  const build = (trainKey: string, valKey: string): SeriesData[] =>
    runs.flatMap((r) => {
      const line = (key: string, label: string, dash?: number[]): SeriesData => {
        const p = r.points[key] ?? train?.[r.id]?.[key] ?? { steps: [], values: [] };
        return {
          label: `${r.name} ${label}`,
          colour: r.colour,
          steps: p.steps,
          values: smooth(p.values, weight),
          ...(dash ? { dash } : {}),
        };
      };
      return showTrain && train
        ? [line(valKey, 'val'), line(trainKey, 'train', [6, 4])]
        : [line(valKey, 'val')];
    });
  // biome-ignore lint/correctness/useExhaustiveDependencies: build reads runs, weight and showTrain
  const accuracy = useMemo(
    () => build('accuracy', 'val_accuracy'),
    [runs, weight, showTrain, train],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above
  const loss = useMemo(() => build('loss', 'val_loss'), [runs, weight, showTrain, train]);
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
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <SmoothingAndScale weight={weight} onWeight={setWeight} logY={logY} onLogY={setLogY} />
        <label className="flex items-center gap-1">
          <input
            type="checkbox"
            checked={showTrain}
            onChange={(e) => toggleTrain(e.target.checked)}
          />{' '}
          Training curves
        </label>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <LineChart id="accuracy" title="Accuracy" xLabel="epoch" series={accuracy} logY={logY} />
        <LineChart id="loss" title="Loss" xLabel="epoch" series={loss} logY={logY} />
      </div>
    </section>
  );
}
