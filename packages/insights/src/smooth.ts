/**
 * The smoother behind the overfitting onset: at each epoch, a straight line fitted by least
 * squares to the epochs around it with Gaussian weights (σ = 1 epoch, reaching 2 epochs either
 * side: weights 0.05, 0.24, 0.40, 0.24, 0.05), read at that epoch. Inside the run this is the
 * weighted moving average; near either end the line keeps the trend instead of averaging
 * towards the inside, so an early minimum is not pulled onto epoch 1 and the last epochs do
 * not lag. It divides the noise of a single epoch by about two while moving a minimum by less
 * than an epoch, so the lowest smoothed val_loss is a stable onset under ±2% noise (see
 * smooth.test.ts).
 */
export const smoother = { sigma: 1, radius: 2 } as const;

/** [epoch, value] pairs smoothed as above; epochs are read as positions, so gaps count as one. */
export function smoothSeries(
  points: [number, number][],
  { sigma, radius }: { sigma: number; radius: number } = smoother,
): [number, number][] {
  return points.map(([epoch], i) => {
    let sw = 0;
    let sx = 0;
    let sy = 0;
    for (let j = Math.max(0, i - radius); j <= Math.min(points.length - 1, i + radius); j++) {
      const w = Math.exp(-((j - i) ** 2) / (2 * sigma ** 2));
      sw += w;
      sx += w * (j - i);
      sy += w * points[j]![1];
    }
    const mx = sx / sw;
    const my = sy / sw;
    let cov = 0;
    let vx = 0;
    for (let j = Math.max(0, i - radius); j <= Math.min(points.length - 1, i + radius); j++) {
      const w = Math.exp(-((j - i) ** 2) / (2 * sigma ** 2));
      cov += w * (j - i - mx) * (points[j]![1] - my);
      vx += w * (j - i - mx) ** 2;
    }
    // The line's value at this epoch (offset 0): the mean, moved along the slope.
    return [epoch, vx > 0 ? my - (cov / vx) * mx : my];
  });
}

export const onsetBand = {
  /** The bottom of a curve: within this many times its own relative wiggle of the lowest point… */
  noiseFactor: 2,
  /** …and never narrower than this share of it. */
  floor: 0.01,
};

/**
 * The overfitting onset of a validation-loss curve: the epoch of its lowest smoothed value.
 * Where the smoothed curve stays at the bottom for several epochs (within `onsetBand` of the
 * lowest value) the lowest point among them is picked by noise, so the onset is the last epoch
 * of that bottom: the last one before the curve leaves it. Returns the onset epoch, the lowest
 * smoothed value and the band's top.
 */
export function smoothedOnset(
  points: [number, number][],
): { epoch: number; lowest: number; band: number; smoothed: [number, number][] } | null {
  if (points.length === 0) return null;
  const smoothed = smoothSeries(points);
  let i = 0;
  smoothed.forEach(([, v], j) => {
    if (v < smoothed[i]![1]) i = j;
  });
  const lowest = smoothed[i]![1];
  const band =
    lowest * (1 + Math.max(onsetBand.floor, onsetBand.noiseFactor * relativeNoise(points)));
  while (i + 1 < smoothed.length && smoothed[i + 1]![1] <= band) i++;
  return { epoch: smoothed[i]![0], lowest, band, smoothed };
}

/** The lowest point of the smoothed series. */
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
