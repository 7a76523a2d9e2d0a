import type uPlot from 'uplot';
import type { BandColumns } from './series';

/**
 * Shades each bucketed series' min…max behind its line (call it from uPlot's drawAxes hook,
 * which runs before the lines are drawn), in the series' colour at 20% opacity — 8% when
 * more than two bands overlap (a compare chart), so that they stay readable. Steps where a
 * series has no bucket are skipped, as the line spans them. Returns how many bands it drew.
 */
export function drawBands(u: uPlot, bands: BandColumns[], colours: string[]): number {
  const xs = u.data[0] as number[];
  const alpha = bands.filter(Boolean).length > 2 ? '14' : '33';
  const { ctx, bbox } = u;
  let drawn = 0;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  bands.forEach((band, i) => {
    if (!band || !u.series[i + 1]?.show) return;
    const at: number[] = [];
    for (let k = 0; k < xs.length; k++) {
      if (band.min[k] != null && band.max[k] != null) at.push(k);
    }
    if (at.length === 0) return;
    const x = (k: number) => u.valToPos(xs[k]!, 'x', true);
    const y = (v: number | null) => u.valToPos(v!, 'y', true);
    ctx.beginPath();
    for (const k of at) ctx.lineTo(x(k), y(band.max[k]!));
    for (let j = at.length - 1; j >= 0; j--) ctx.lineTo(x(at[j]!), y(band.min[at[j]!]!));
    ctx.closePath();
    ctx.fillStyle = `${colours[i]}${alpha}`;
    ctx.fill();
    drawn++;
  });
  ctx.restore();
  return drawn;
}
