'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { subscribeWhenLoaded } from '../lib/browser-client';

/**
 * Keeps a sweep page current while it runs: on any change of its trials or its runs'
 * statuses (live.sweep), and on (re)connecting, re-render on the server. Bursts fold into one.
 */
export function SweepLiveRefresh({ sweepId }: { sweepId: string }) {
  const router = useRouter();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribeWhenLoaded((tracker) =>
      tracker.live.sweep.subscribe(
        { sweepId },
        {
          onData() {
            clearTimeout(timer);
            timer = setTimeout(() => router.refresh(), 500);
          },
        },
      ),
    );
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [router, sweepId]);
  return null;
}
