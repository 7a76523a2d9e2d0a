'use client';
import type { ReactNode } from 'react';

interface Props {
  /** Some run on the charts is still training: say whether its live feed is connected. */
  live: boolean;
  connected: boolean;
  weight: number;
  onWeight: (weight: number) => void;
  logY: boolean;
  onLogY: (logY: boolean) => void;
  /** The view's own controls, after the shared ones. */
  children?: ReactNode;
}

/** The controls above both chart views: the live feed's state, EMA smoothing, log scale. */
export function ChartControls({
  live,
  connected,
  weight,
  onWeight,
  logY,
  onLogY,
  children,
}: Props) {
  return (
    <div className="flex flex-wrap items-center gap-4 text-sm">
      {live && (
        <span
          data-live={connected ? 'connected' : 'connecting'}
          className="text-blue-700 dark:text-blue-300"
        >
          {connected ? '● live' : '○ connecting…'}
        </span>
      )}
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
      {children}
    </div>
  );
}
