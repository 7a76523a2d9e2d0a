/** The trainer's key convention (@trainbook/metrics): per-epoch Keras log keys, per-batch under batch/. */
export { batchMetricKeys as batchKeys, curveKeys as epochKeys } from '@trainbook/metrics';

/** Enough to fill a wide chart; the tracker buckets anything longer (min, max, last). */
export const chartPoints = 1000;

/** Compare charts hold many lines at half the width: fewer points each, same look. */
export const comparePoints = 500;

export interface Points {
  steps: number[];
  values: number[];
}

export type PointsByKey = Record<string, Points>;

/**
 * Step and value columns of a series. For the first paint values are cut to 6 significant
 * digits (what the legend shows): the page carries them as JSON text, and 17-digit floats
 * triple its size. Zoomed ranges are fetched again at full precision.
 */
export function toPoints(points: { step: number; value: number }[], digits?: number): Points {
  const round = digits
    ? (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : v)
    : (v: number) => v;
  return { steps: points.map((p) => p.step), values: points.map((p) => round(p.value)) };
}

/** Adds live points to a series, replacing a step that is already there. */
export function appendPoints(into: Points, points: { step: number; value: number }[]): Points {
  const steps = [...into.steps];
  const values = [...into.values];
  for (const p of points) {
    const last = steps.length - 1;
    if (last >= 0 && steps[last]! >= p.step) {
      const at = steps.lastIndexOf(p.step);
      if (at >= 0) values[at] = p.value;
      continue;
    }
    steps.push(p.step);
    values.push(p.value);
  }
  return { steps, values };
}
