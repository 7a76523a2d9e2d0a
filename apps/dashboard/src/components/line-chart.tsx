'use client';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import { alignSeries, type SeriesData } from '../lib/series';

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
 * dragging across it zooms (via onZoom, so the parent can fetch full resolution).
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
  const data = useMemo(() => {
    const aligned = alignSeries(series);
    if (!logY) return aligned;
    const [xs, ...ys] = aligned;
    return [xs, ...ys.map((col) => col.map((v) => (v !== null && v > 0 ? v : null)))];
  }, [series, logY]) as uPlot.AlignedData;
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
      scales: { x: { time: false }, y: logY ? { distr: 3 } : {} },
      axes: [
        { ...axis, label: xLabel, incrs: wholeSteps },
        { ...axis, size: 60 },
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
        draw: [
          (u) => {
            const m = mark.current;
            if (m) {
              const x = u.valToPos(m.x, 'x', true);
              const ctx = u.ctx;
              ctx.save();
              ctx.strokeStyle = '#dc2626';
              ctx.setLineDash([4, 4]);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillStyle = '#dc2626';
              ctx.font = `${12 * devicePixelRatio}px sans-serif`;
              ctx.fillText(m.label, x + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
              ctx.restore();
              el.dataset.marker = String(m.x);
            } else {
              delete el.dataset.marker;
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
    const resize = new ResizeObserver(() =>
      u.setSize({ width: Math.max(el.clientWidth, 200), height }),
    );
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
