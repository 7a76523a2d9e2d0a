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
  /** The bottom of a curve: within this many times its own relative wiggle of its level… */
  noiseFactor: 3,
  /** …and never narrower than this share of it. */
  floor: 0.03,
  /** The bottom's level: the smoothed value this many places above the lowest (0 = lowest). */
  levelRank: 2,
};

/**
 * The overfitting onset of a validation-loss curve: where its smoothed value is lowest. On a
 * curve that falls to a minimum and climbs, that is the minimum. But real curves often lie flat
 * at the bottom for several epochs, and which of those is lowest is decided by noise (±2% moved
 * it by up to six epochs on the corpus). So the bottom is every epoch whose smoothed value lies
 * within `onsetBand` of the bottom's level (the third-lowest smoothed value: the lowest alone is
 * pulled down by noise), and the onset is the last epoch at the bottom, the one after which the
 * curve leaves it for good. Returns the onset, the lowest smoothed value, the band's top and the
 * smoothed curve.
 */
export function smoothedOnset(points: [number, number][]): {
  epoch: number;
  lowest: number;
  band: number;
  smoothed: [number, number][];
} | null {
  if (points.length === 0) return null;
  const smoothed = smoothSeries(points);
  let lowAt = 0;
  smoothed.forEach(([, v], j) => {
    if (v < smoothed[lowAt]![1]) lowAt = j;
  });
  const sorted = smoothed.map(([, v]) => v).sort((x, y) => x - y);
  const level = sorted[Math.min(sorted.length - 1, onsetBand.levelRank)]!;
  const band =
    level * (1 + Math.max(onsetBand.floor, onsetBand.noiseFactor * relativeNoise(points)));
  let last = lowAt;
  for (let j = smoothed.length - 1; j > lowAt; j--) {
    if (smoothed[j]![1] <= band) {
      last = j;
      break;
    }
  }
  return { epoch: smoothed[last]![0], lowest: smoothed[lowAt]![1], band, smoothed };
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
