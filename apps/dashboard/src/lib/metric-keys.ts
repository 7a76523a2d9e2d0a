/** The trainer's key convention (@trainbook/metrics): per-epoch Keras log keys, per-batch under batch/. */
export { batchMetricKeys as batchKeys, curveKeys as epochKeys } from '@trainbook/metrics';

/**
 * About a chart's width in pixels: the tracker buckets anything longer (min, max, last, in
 * power-of-two widths, so 300–600 buckets), and the page ships no more than can be drawn.
 */
export const chartPoints = 600;

/** A zoomed range is fetched whole up to this many steps (then bucketed as above). */
export const zoomPoints = 1000;

/** Compare charts hold many lines at half the width: fewer points each, same look. */
export const comparePoints = 500;

export interface Points {
  steps: number[];
  /** The value at each step; for a bucket of steps, its last value. */
  values: number[];
  /** Where the tracker bucketed the series: each bucket's lowest and highest value. */
  min?: number[];
  max?: number[];
}

export type PointsByKey = Record<string, Points>;

interface SeriesPoint {
  step: number;
  value: number;
  min?: number;
  max?: number;
  /** Points a bucket summarises; 1 for a point as logged. */
  count?: number;
}

/**
 * Step and value columns of a series, with min and max columns when any point is a bucket of
 * several (the chart draws them as a band). For the first paint values are cut to 6
 * significant digits (what the legend shows): the page carries them as JSON text, and
 * 17-digit floats triple its size. Zoomed ranges are fetched again at full precision.
 */
export function toPoints(points: SeriesPoint[], digits?: number): Points {
  const round = digits
    ? (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : v)
    : (v: number) => v;
  const columns: Points = {
    steps: points.map((p) => p.step),
    values: points.map((p) => round(p.value)),
  };
  if (!points.some((p) => (p.count ?? 1) > 1)) return columns;
  columns.min = points.map((p) => round(p.min ?? p.value));
  columns.max = points.map((p) => round(p.max ?? p.value));
  return columns;
}

/** Adds live points to a series, replacing a step that is already there. */
export function appendPoints(into: Points, points: { step: number; value: number }[]): Points {
  const steps = [...into.steps];
  const values = [...into.values];
  // A live point on a bucketed series is a bucket of one: its band is the point itself.
  const min = into.min && [...into.min];
  const max = into.max && [...into.max];
  for (const p of points) {
    const last = steps.length - 1;
    if (last >= 0 && steps[last]! >= p.step) {
      const at = steps.lastIndexOf(p.step);
      if (at >= 0) values[at] = p.value;
      continue;
    }
    steps.push(p.step);
    values.push(p.value);
    min?.push(p.value);
    max?.push(p.value);
  }
  return min && max ? { steps, values, min, max } : { steps, values };
}
