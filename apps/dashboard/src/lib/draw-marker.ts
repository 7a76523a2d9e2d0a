import type uPlot from 'uplot';

/**
 * A dashed vertical line at x (e.g. where overfitting began), its label above the plot area
 * so that it never covers a tick label or a curve. Returns the label's box in CSS pixels,
 * relative to the canvas, and the plot area's top.
 */
export function drawMarker(u: uPlot, marker: { x: number; label: string }) {
  const dpr = devicePixelRatio;
  const x = u.valToPos(marker.x, 'x', true);
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = '#dc2626';
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(x, bbox.top);
  ctx.lineTo(x, bbox.top + bbox.height);
  ctx.stroke();
  ctx.fillStyle = '#dc2626';
  ctx.font = `${12 * dpr}px sans-serif`;
  ctx.textBaseline = 'bottom';
  const width = ctx.measureText(marker.label).width;
  // Right of the line, or left of it where the label would run past the plot's right edge.
  const fits = x + 4 * dpr + width <= bbox.left + bbox.width;
  const left = fits ? x + 4 * dpr : x - 4 * dpr - width;
  const bottom = bbox.top - 3 * dpr;
  ctx.fillText(marker.label, left, bottom);
  ctx.restore();
  return {
    label: { left: left / dpr, right: (left + width) / dpr, bottom: bottom / dpr },
    plotTop: bbox.top / dpr,
  };
}
