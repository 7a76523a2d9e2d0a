'use client';
import { useEffect, useRef, useState } from 'react';
import { subscribeWhenLoaded } from './browser-client';

export type PointsByKeyEvent = Map<string, { step: number; value: number }[]>;

/**
 * Subscribes to live.run for each of `runIds` (those still running): new points arrive
 * grouped by metric key with the run they belong to, and `onEnded` fires once a run leaves
 * the running state. Returns whether every stream is open.
 */
export function useLiveRuns(options: {
  runIds: string[];
  onPoints: (runId: string, byKey: PointsByKeyEvent) => void;
  onEnded: (runId: string) => void;
}): boolean {
  const handlers = useRef(options);
  handlers.current = options;
  const ids = options.runIds.join(',');
  const [started, setStarted] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!ids) return;
    const unsubscribes = ids.split(',').map((runId) =>
      subscribeWhenLoaded((tracker) =>
        tracker.live.run.subscribe(
          { runId },
          {
            onStarted: () => setStarted((s) => new Set(s).add(runId)),
            onData(event) {
              if (event.type === 'points') {
                const byKey: PointsByKeyEvent = new Map();
                for (const p of event.points) {
                  if (!byKey.has(p.key)) byKey.set(p.key, []);
                  byKey.get(p.key)!.push(p);
                }
                handlers.current.onPoints(runId, byKey);
              } else if (event.type === 'status' && event.status !== 'running') {
                handlers.current.onEnded(runId);
              }
            },
            onError: () =>
              setStarted((s) => {
                const next = new Set(s);
                next.delete(runId);
                return next;
              }),
          },
        ),
      ),
    );
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      setStarted(new Set());
    };
  }, [ids]);
  return ids !== '' && ids.split(',').every((id) => started.has(id));
}
