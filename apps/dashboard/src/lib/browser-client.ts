'use client';
import type { TrackerClient } from '@trainbook/api/client';

let client: Promise<TrackerClient> | undefined;

/**
 * The browser's tracker client. It talks to this dashboard's own /trpc route, which proxies
 * to the tracker (queries, mutations and SSE alike): same origin, so no CORS set-up, and the
 * tracker's token is added on the server, never shipped to the page.
 *
 * Loaded on first use, in a chunk of its own: the tRPC client, superjson and the EventSource
 * ponyfill are not among the scripts a page must compile before its charts are drawn.
 */
export function browserClient(): Promise<TrackerClient> {
  client ??= import('@trainbook/api/client').then(
    ({ createTrackerClient }) => createTrackerClient({ url: `${window.location.origin}/trpc` }),
    (error: unknown) => {
      client = undefined; // the next call tries again
      throw error;
    },
  );
  return client;
}

/**
 * Starts a subscription once the client has loaded. The function it returns ends it, also
 * when called before the client has loaded (the subscription then never starts).
 */
export function subscribeWhenLoaded(
  subscribe: (tracker: TrackerClient) => { unsubscribe(): void },
): () => void {
  let subscription: { unsubscribe(): void } | undefined;
  let ended = false;
  browserClient().then(
    (tracker) => {
      if (!ended) subscription = subscribe(tracker);
    },
    (error: unknown) => console.error('trainbook: the tracker client did not load', error),
  );
  return () => {
    ended = true;
    subscription?.unsubscribe();
  };
}
