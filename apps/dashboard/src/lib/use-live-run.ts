'use client';
import { type PointsByKeyEvent, useLiveRuns } from './use-live-runs';

export type { PointsByKeyEvent };

/**
 * Subscribes to live.run while `live` is true: new points arrive grouped by metric key, and
 * `onEnded` fires once the run leaves the running state. Returns whether the stream is open.
 */
export function useLiveRun(options: {
  runId: string;
  live: boolean;
  onPoints: (byKey: PointsByKeyEvent) => void;
  onEnded: () => void;
}): boolean {
  return useLiveRuns({
    runIds: options.live ? [options.runId] : [],
    onPoints: (_runId, byKey) => options.onPoints(byKey),
    onEnded: () => options.onEnded(),
  });
}
