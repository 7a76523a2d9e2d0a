'use client';
import { createTrackerClient, type TrackerClient } from '@trainbook/api/client';

let client: TrackerClient | undefined;

/**
 * The browser's tracker client. It talks to this dashboard's own /trpc route, which proxies
 * to the tracker (queries, mutations and SSE alike): same origin, so no CORS set-up, and the
 * tracker's token is added on the server, never shipped to the page.
 */
export function browserClient(): TrackerClient {
  client ??= createTrackerClient({ url: `${window.location.origin}/trpc` });
  return client;
}
