/** One swept param against best val accuracy: a point per trial (SVG, server-rendered). */
export function SweepScatter({
  param,
  points,
}: {
  param: string;
  points: Array<{ x: string | number; y: number; best: boolean }>;
}) {
  const w = 260;
  const h = 160;
  const pad = 28;
  const numeric = points.every((p) => typeof p.x === 'number');
  const categories = numeric ? [] : [...new Set(points.map((p) => String(p.x)))].sort();
  const xs = numeric ? points.map((p) => p.x as number) : [];
  const positive = numeric && xs.every((x) => x > 0);
  const log = positive && Math.max(...xs) / Math.min(...xs) > 50;
  const tx = (x: number) => (log ? Math.log10(x) : x);
  const lo = numeric ? Math.min(...xs.map(tx)) : 0;
  const hi = numeric ? Math.max(...xs.map(tx)) : categories.length - 1;
  const sx = (p: { x: string | number }) => {
    const v = numeric ? tx(p.x as number) : categories.indexOf(String(p.x));
    return pad + (hi === lo ? 0.5 : (v - lo) / (hi - lo)) * (w - 2 * pad);
  };
  const ys = points.map((p) => p.y);
  const ylo = Math.min(...ys, 1);
  const yhi = Math.max(...ys, 0);
  const sy = (y: number) => h - pad - (yhi === ylo ? 0.5 : (y - ylo) / (yhi - ylo)) * (h - 2 * pad);
  return (
    <figure
      className="rounded border border-zinc-200 p-2 dark:border-zinc-800"
      data-scatter={param}
    >
      <svg width={w} height={h} role="img" aria-label={`${param} against best val accuracy`}>
        <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} stroke="currentColor" opacity={0.3} />
        <line x1={pad} y1={pad} x2={pad} y2={h - pad} stroke="currentColor" opacity={0.3} />
        {points.map((p, i) => (
          <circle
            // biome-ignore lint/suspicious/noArrayIndexKey: points have no identity beyond their order
            key={i}
            cx={sx(p)}
            cy={sy(p.y)}
            r={p.best ? 5 : 3}
            className={p.best ? 'fill-green-600' : 'fill-blue-500'}
            opacity={0.7}
          />
        ))}
        <text x={pad} y={h - 8} fontSize={10} fill="currentColor">
          {numeric ? `${String(log ? 10 ** lo : lo).slice(0, 7)}` : categories[0]}
        </text>
        <text x={w - pad} y={h - 8} fontSize={10} fill="currentColor" textAnchor="end">
          {numeric ? `${String(log ? 10 ** hi : hi).slice(0, 7)}` : categories.at(-1)}
        </text>
        <text x={4} y={pad - 8} fontSize={10} fill="currentColor">
          {(yhi * 100).toFixed(1)}%
        </text>
        <text x={4} y={h - pad} fontSize={10} fill="currentColor">
          {(ylo * 100).toFixed(1)}%
        </text>
      </svg>
      <figcaption className="text-xs text-zinc-500">
        {param}
        {log ? ' (log scale)' : ''} → best val accuracy
      </figcaption>
    </figure>
  );
}
