import type { EpochMetrics } from './types.js';

export type MetricName = Exclude<keyof EpochMetrics, 'epoch'>;

/** The epochs that have a finite value for `name`, as [epoch, value] pairs. */
export function column(epochs: EpochMetrics[], name: MetricName): [number, number][] {
  return epochs.flatMap((e) => {
    const v = e[name];
    return typeof v === 'number' && Number.isFinite(v) ? [[e.epoch, v] as [number, number]] : [];
  });
}

/** Least-squares slope of y over x. */
export function slope(points: [number, number][]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

export function argBest(
  points: [number, number][],
  better: 'max' | 'min',
): [number, number] | null {
  let best: [number, number] | null = null;
  for (const p of points) {
    if (!best || (better === 'max' ? p[1] > best[1] : p[1] < best[1])) best = p;
  }
  return best;
}

export const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
