'use client';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import { drawBands } from '../lib/draw-bands';
import { drawMarker } from '../lib/draw-marker';
import { alignBands, alignSeries, type SeriesData } from '../lib/series';
import { tickLabels } from '../lib/tick-labels';

interface Props {
  /** Names the chart for tests and the bench (data-chart attribute). */
  id: string;
  title: string;
  xLabel: string;
  series: SeriesData[];
  logY?: boolean;
  /** Called with the step range the user dragged over; the parent re-fetches it. */
  onZoom?: (range: { from: number; to: number }) => void;
  height?: number;
  /** A vertical mark, e.g. where overfitting began. */
  marker?: { x: number; label: string } | undefined;
}

// Steps and epochs are whole numbers: no 2.5 on the x axis.
const wholeSteps = [1, 2, 5]
  .flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6].map((p) => m * p))
  .sort((a, b) => a - b);

function axisColours() {
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  return { stroke: dark ? '#a1a1aa' : '#52525b', grid: dark ? '#27272a' : '#e4e4e7' };
}

/**
 * One uPlot canvas chart. The legend under it shows the exact values at the cursor;
 * dragging across it zooms (via onZoom, so the parent can fetch full resolution). A series
 * the tracker bucketed is drawn as its last values over a shaded min…max band.
 */
export function LineChart({
  id,
  title,
  xLabel,
  series,
  logY = false,
  onZoom,
  height = 260,
  marker,
}: Props) {
  const mark = useRef(marker);
  mark.current = marker;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;
  const { data, bands } = useMemo(() => {
    const aligned = alignSeries(series);
    const [xs, ...ys] = aligned;
    const bands = alignBands(xs, series);
    if (!logY) return { data: aligned as uPlot.AlignedData, bands };
    const positive = (col: (number | null)[]) => col.map((v) => (v !== null && v > 0 ? v : null));
    return {
      data: [xs, ...ys.map(positive)] as uPlot.AlignedData,
      bands: bands.map((b) => b && { min: positive(b.min), max: positive(b.max) }),
    };
  }, [series, logY]);
  const bandsNow = useRef(bands);
  bandsNow.current = bands;
  const shape = `${series.map((s) => `${s.label}|${s.colour}|${s.dash ?? ''}|${s.marks ?? ''}`).join(',')}|${logY}`;

  // Rebuild when the set of lines or the scale changes; otherwise only the data moves.
  // biome-ignore lint/correctness/useExhaustiveDependencies: shape stands for series' looks
  useEffect(() => {
    const el = box.current!;
    const { stroke, grid } = axisColours();
    const axis = { stroke, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      scales: {
        x: { time: false },
        y: {
          ...(logY ? { distr: 3 } : {}),
          // The y range holds the bands too, not only the lines.
          range: (_u, dataMin, dataMax) => {
            let lo = dataMin ?? Number.POSITIVE_INFINITY;
            let hi = dataMax ?? Number.NEGATIVE_INFINITY;
            for (const band of bandsNow.current) {
              for (const v of band?.min ?? []) if (v !== null && v < lo) lo = v;
              for (const v of band?.max ?? []) if (v !== null && v > hi) hi = v;
            }
            if (!(lo <= hi)) return [dataMin, dataMax];
            return logY ? uPlot.rangeLog(lo, hi, 10, false) : uPlot.rangeNum(lo, hi, 0.1, true);
          },
        },
      },
      // Room above the plot for a marker's label.
      padding: [20, null, null, null],
      axes: [
        { ...axis, label: xLabel, incrs: wholeSteps },
        {
          ...axis,
          size: 64,
          // Enough digits for neighbouring ticks to differ (log ticks are uPlot's own).
          ...(logY
            ? {}
            : {
                values: (_: uPlot, splits: number[]) => {
                  const labels = tickLabels(splits);
                  el.dataset.yTicks = labels.join(' ');
                  return labels;
                },
              }),
        },
      ],
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.colour,
          width: 1.5,
          spanGaps: true,
          // The legend under the chart is the hover read-out: full digits, not uPlot's 3.
          value: (_: uPlot, v: number | null) =>
            v == null ? '—' : String(Number(v.toPrecision(6))),
          points: s.marks ? { show: true, size: 9, fill: s.colour } : { show: false },
          ...(s.marks ? { paths: () => null } : {}),
          ...(s.dash ? { dash: s.dash } : {}),
        })),
      ],
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 4) return;
            const from = Math.floor(u.posToVal(u.select.left, 'x'));
            const to = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x'));
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current?.({ from: Math.max(0, from), to: Math.max(0, to) });
          },
        ],
        drawAxes: [
          (u) => {
            const drawn = drawBands(
              u,
              bandsNow.current,
              series.map((s) => s.colour),
            );
            el.dataset.bands = String(drawn);
          },
        ],
        draw: [
          (u) => {
            const m = mark.current;
            if (m) {
              const { label, plotTop } = drawMarker(u, m);
              el.dataset.marker = String(m.x);
              el.dataset.markerLabel = [label.left, label.right, label.bottom, plotTop]
                .map((v) => v.toFixed(1))
                .join(' ');
            } else {
              delete el.dataset.marker;
              delete el.dataset.markerLabel;
            }
            const points = u.data[0]?.length ?? 0;
            el.dataset.points = String(points);
            if (points > 0 && !el.dataset.drawnAt) el.dataset.drawnAt = String(performance.now());
          },
        ],
      },
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    // The observer also calls once on observe(): only a width that changed redraws.
    const resize = new ResizeObserver(() => {
      const width = Math.max(el.clientWidth, 200);
      if (width !== u.width) u.setSize({ width, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape, height, xLabel]);

  useEffect(() => {
    plot.current?.setData(data, true);
  }, [data]);

  // The marker (an insight's onset) may arrive after the data has been drawn: draw again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the draw hook reads the marker
  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [marker?.x, marker?.label]);

  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      <div ref={box} data-chart={id} className="w-full" />
    </figure>
  );
}
