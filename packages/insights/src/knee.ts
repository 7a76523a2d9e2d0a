/**
 * A continuous two-segment least-squares line through [epoch, value] points: flat or falling,
 * then rising from the knee. Every point weighs in, so ±2% noise on single epochs moves the
 * knee by at most an epoch where the lowest point of a flat bottom would wander.
 */
export interface Knee {
  epoch: number;
  /** Slopes per epoch before and after the knee. */
  before: number;
  after: number;
  /** The fitted line, one value per input epoch. */
  fitted: [number, number][];
}

/** Solves the 3×3 normal equations by Gauss–Jordan elimination; null when singular. */
function solve3(rows: number[][], ys: number[]): [number, number, number] | null {
  const m = [0, 1, 2].map((p) => [
    ...[0, 1, 2].map((q) => rows.reduce((s, r) => s + r[p]! * r[q]!, 0)),
    rows.reduce((s, r, i) => s + r[p]! * ys[i]!, 0),
  ]);
  for (let c = 0; c < 3; c++) {
    let pivot = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    if (Math.abs(m[c]![c]!) < 1e-12) return null;
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < 4; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return [m[0]![3]! / m[0]![0]!, m[1]![3]! / m[1]![1]!, m[2]![3]! / m[2]![2]!];
}

/**
 * The best knee among the inner epochs that `allowed` accepts, or null for fewer than four
 * points.
 */
export function fitKnee(
  points: [number, number][],
  allowed: (epoch: number) => boolean = () => true,
): Knee | null {
  if (points.length < 4) return null;
  const ys = points.map(([, y]) => y);
  let best: (Knee & { sse: number }) | null = null;
  for (let i = 1; i < points.length - 1; i++) {
    const knee = points[i]![0];
    if (!allowed(knee)) continue;
    const rows = points.map(([x]) => [1, Math.min(0, x - knee), Math.max(0, x - knee)]);
    const fit = solve3(rows, ys);
    if (!fit) continue;
    const fitted = rows.map((r, j) => [points[j]![0], fit[0] + fit[1] * r[1]! + fit[2] * r[2]!]);
    const sse = fitted.reduce((s, [, f], j) => s + (ys[j]! - f!) ** 2, 0);
    if (!best || sse < best.sse)
      best = {
        epoch: knee,
        before: fit[1],
        after: fit[2],
        fitted: fitted as [number, number][],
        sse,
      };
  }
  if (!best) return null;
  const { sse: _, ...knee } = best;
  return knee;
}
