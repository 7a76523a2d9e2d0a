'use client';
import type { SeriesData } from '../lib/series';
import { LineChart } from './line-chart';

/** The two charts every view draws side by side: accuracy, then loss. */
export function ChartPair({
  ids,
  titles,
  xLabel,
  series,
  logY,
  onZoom,
  marker,
}: {
  ids: [accuracy: string, loss: string];
  titles: [accuracy: string, loss: string];
  xLabel: string;
  series: { accuracy: SeriesData[]; loss: SeriesData[] };
  logY: boolean;
  onZoom?: (range: { from: number; to: number }) => void;
  marker?: { x: number; label: string } | undefined;
}) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {(['accuracy', 'loss'] as const).map((metric, i) => (
        <LineChart
          key={ids[i]}
          id={ids[i]!}
          title={titles[i]!}
          xLabel={xLabel}
          series={series[metric]}
          logY={logY}
          onZoom={onZoom}
          marker={marker}
        />
      ))}
    </div>
  );
}
