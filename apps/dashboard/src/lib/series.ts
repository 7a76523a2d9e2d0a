import type { Points } from './metric-keys';

/** A series as the charts take it: steps and values of one metric of one run. */
export interface SeriesData {
  label: string;
  colour: string;
  steps: number[];
  values: number[];
  dash?: number[];
  /** Drawn as a shaded band behind the line: each bucket's min and max (bucketed series). */
  band?: { min: number[]; max: number[] } | undefined;
  /** Dots at each point and no line (an insight's marked epochs). */
  marks?: boolean;
}

export type BandColumns = { min: (number | null)[]; max: (number | null)[] } | null;

/**
 * uPlot wants one shared x array: the union of every series' steps, each series padded with
 * nulls where it has no point (train and val metrics share epochs; runs may not).
 */
export function alignSeries(series: SeriesData[]): [number[], ...(number | null)[][]] {
  const all = new Set<number>();
  for (const s of series) for (const step of s.steps) all.add(step);
  const xs = [...all].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = series.map((s) => {
    const column: (number | null)[] = new Array(xs.length).fill(null);
    s.steps.forEach((step, i) => {
      const v = s.values[i]!;
      column[index.get(step)!] = Number.isFinite(v) ? v : null;
    });
    return column;
  });
  return [xs, ...columns];
}

/** Each series' band (or null) on the x array alignSeries made; non-finite values are gaps. */
export function alignBands(xs: number[], series: SeriesData[]): BandColumns[] {
  const index = new Map(xs.map((x, i) => [x, i]));
  return series.map((s) => {
    if (!s.band) return null;
    const min: (number | null)[] = new Array(xs.length).fill(null);
    const max: (number | null)[] = new Array(xs.length).fill(null);
    s.steps.forEach((step, i) => {
      const lo = s.band!.min[i]!;
      const hi = s.band!.max[i]!;
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) return;
      const at = index.get(step)!;
      min[at] = lo;
      max[at] = hi;
    });
    return { min, max };
  });
}

/**
 * Exponential moving average with bias correction (as TensorBoard smooths), so the first
 * points are not dragged towards zero. weight 0 = raw, 0.99 = very smooth.
 */
export function smooth(values: number[], weight: number): number[] {
  if (weight <= 0) return values;
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}

/** Ten distinct colours that read on dark and light backgrounds. */
export const runColours = [
  '#2563eb',
  '#f97316',
  '#16a34a',
  '#dc2626',
  '#9333ea',
  '#0891b2',
  '#ca8a04',
  '#db2777',
  '#4b5563',
  '#65a30d',
];

/**
 * One line of a chart from a series' columns (none yet: an empty line), smoothed by `weight`,
 * with its min…max band where the tracker bucketed it.
 */
export function chartLine(
  points: Points | undefined,
  look: { label: string; colour: string; weight: number; dash?: number[] },
): SeriesData {
  const p = points ?? { steps: [], values: [] };
  return {
    label: look.label,
    colour: look.colour,
    steps: p.steps,
    values: smooth(p.values, look.weight),
    ...(look.dash ? { dash: look.dash } : {}),
    ...(p.min && p.max ? { band: { min: p.min, max: p.max } } : {}),
  };
}
