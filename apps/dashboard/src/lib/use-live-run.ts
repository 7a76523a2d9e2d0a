'use client';
import { useEffect, useRef, useState } from 'react';
import { browserClient } from './browser-client';

export type PointsByKeyEvent = Map<string, { step: number; value: number }[]>;

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
  const { runId, live } = options;
  const handlers = useRef(options);
  handlers.current = options;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!live) return;
    const sub = browserClient().live.run.subscribe(
      { runId },
      {
        onStarted: () => setConnected(true),
        onData(event) {
          if (event.type === 'points') {
            const byKey: PointsByKeyEvent = new Map();
            for (const p of event.points) {
              if (!byKey.has(p.key)) byKey.set(p.key, []);
              byKey.get(p.key)!.push(p);
            }
            handlers.current.onPoints(byKey);
          } else if (event.type === 'status' && event.status !== 'running') {
            handlers.current.onEnded();
          }
        },
        onError: () => setConnected(false),
      },
    );
    return () => sub.unsubscribe();
  }, [live, runId]);
  return connected;
}
