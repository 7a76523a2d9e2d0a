/**
 * The smoother behind the overfitting onset: a centred moving average with Gaussian weights
 * (σ = 1 epoch, reaching 2 epochs either side; weights 0.05, 0.24, 0.40, 0.24, 0.05),
 * renormalised where the window runs past either end of the run. It divides the noise of a
 * single epoch by about two while moving a minimum by less than an epoch, so the lowest
 * smoothed val_loss is a stable onset under ±2% noise (see smooth.test.ts).
 */
export const smoother = { sigma: 1, radius: 2 } as const;

/** [epoch, value] pairs smoothed as above; epochs are read as positions, so gaps count as one. */
export function smoothSeries(points: [number, number][]): [number, number][] {
  const { sigma, radius } = smoother;
  return points.map(([epoch], i) => {
    let sum = 0;
    let weights = 0;
    for (let j = Math.max(0, i - radius); j <= Math.min(points.length - 1, i + radius); j++) {
      const w = Math.exp(-((j - i) ** 2) / (2 * sigma ** 2));
      sum += w * points[j]![1];
      weights += w;
    }
    return [epoch, sum / weights];
  });
}

/** The lowest point of the smoothed series: the overfitting onset when the curve then rises. */
export function smoothedMinimum(points: [number, number][]): [number, number] | null {
  let best: [number, number] | null = null;
  for (const p of smoothSeries(points)) if (!best || p[1] < best[1]) best = p;
  return best;
}

/**
 * The typical size of one epoch's wiggle around the smoothed curve, relative to the curve:
 * the median of |raw − smoothed| / smoothed.
 */
export function relativeNoise(points: [number, number][]): number {
  const smoothed = smoothSeries(points);
  const residuals = points
    .map(([, v], i) => Math.abs(v - smoothed[i]![1]) / Math.abs(smoothed[i]![1] || 1))
    .sort((a, b) => a - b);
  return residuals.length ? residuals[Math.floor(residuals.length / 2)]! : 0;
}
