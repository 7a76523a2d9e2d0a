'use client';

interface Props {
  weight: number;
  onWeight: (weight: number) => void;
  logY: boolean;
  onLogY: (logY: boolean) => void;
}

/** The EMA smoothing slider and the log-scale switch both chart views share. */
export function SmoothingAndScale({ weight, onWeight, logY, onLogY }: Props) {
  return (
    <>
      <label className="flex items-center gap-2">
        Smoothing
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={weight}
          onChange={(e) => onWeight(Number(e.target.value))}
          aria-valuetext={weight.toFixed(2)}
        />
        <span className="w-8 tabular-nums">{weight.toFixed(2)}</span>
      </label>
      <label className="flex items-center gap-1">
        <input type="checkbox" checked={logY} onChange={(e) => onLogY(e.target.checked)} /> Log
        scale
      </label>
    </>
  );
}
