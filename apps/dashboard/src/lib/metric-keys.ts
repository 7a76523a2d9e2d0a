/** The trainer's key convention: per-epoch Keras log keys, per-batch under batch/. */
export const epochKeys = ['accuracy', 'val_accuracy', 'loss', 'val_loss'] as const;
export const batchKeys = ['batch/accuracy', 'batch/loss'] as const;

/** Enough to fill a wide chart; the tracker buckets anything longer (min, max, last). */
export const chartPoints = 1000;

export interface Points {
  steps: number[];
  values: number[];
}

export type PointsByKey = Record<string, Points>;

export function toPoints(points: { step: number; value: number }[]): Points {
  return { steps: points.map((p) => p.step), values: points.map((p) => p.value) };
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
