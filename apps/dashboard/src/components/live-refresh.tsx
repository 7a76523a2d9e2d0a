'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { subscribeWhenLoaded } from '../lib/browser-client';

/**
 * Keeps a server-rendered page current: on any run appearing or changing status (live.runs),
 * re-render it on the server. Bursts are folded into one refresh. The subscription's 'ready'
 * (on first connecting and on every reconnect) refreshes too: what changed between the
 * server's render, or a dropped connection, and the subscription taking hold was never sent.
 */
export function LiveRefresh() {
  const router = useRouter();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribeWhenLoaded((tracker) =>
      tracker.live.runs.subscribe(
        {},
        {
          onData() {
            clearTimeout(timer);
            timer = setTimeout(() => router.refresh(), 300);
          },
        },
      ),
    );
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [router]);
  return null;
}
