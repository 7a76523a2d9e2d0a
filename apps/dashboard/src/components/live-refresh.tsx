'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { browserClient } from '../lib/browser-client';

/**
 * Keeps a server-rendered page current: on any run appearing or changing status (live.runs),
 * re-render it on the server. Bursts are folded into one refresh.
 */
export function LiveRefresh() {
  const router = useRouter();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sub = browserClient().live.runs.subscribe(
      {},
      {
        onData(event) {
          if (event.type === 'ready') return;
          clearTimeout(timer);
          timer = setTimeout(() => router.refresh(), 300);
        },
      },
    );
    return () => {
      clearTimeout(timer);
      sub.unsubscribe();
    };
  }, [router]);
  return null;
}
