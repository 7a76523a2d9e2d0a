import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource as EventSourcePonyfill } from 'eventsource';
import superjson from 'superjson';
import type { AppRouter } from './root.js';

export {
  type BatchMetricKey,
  batchMetricKeys,
  type CurveKey,
  curveKeys,
  type EpochMetricKey,
  type EpochMetrics,
  epochMetricKeys,
  type MetricPoint,
} from '@trainbook/metrics';
export type { AppRouter, RouterInputs, RouterOutputs } from './index.js';

export interface TrackerClientOptions {
  /** The tracker's tRPC endpoint, e.g. http://127.0.0.1:4100/trpc. */
  url: string;
  /** TRACKER_TOKEN of the tracker, when it has one (needed for changes). */
  token?: string | undefined;
  /** Extra fetch implementation (tests, proxies). */
  fetch?: typeof fetch;
}

/**
 * The typed client for the tracker, for the trainer, the dashboard and your scripts.
 * Queries and mutations go over plain HTTP (one request each: metric batches are large);
 * `live.*` subscriptions over server-sent events (Node 20 has no EventSource of its own).
 */
export function createTrackerClient(options: TrackerClientOptions) {
  const headers = () => (options.token ? { authorization: `Bearer ${options.token}` } : {});
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: options.url,
          transformer: superjson,
          EventSource: (globalThis.EventSource ?? EventSourcePonyfill) as typeof EventSource,
        }),
        false: httpLink({
          url: options.url,
          transformer: superjson,
          headers,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      }),
    ],
  });
}

export type TrackerClient = ReturnType<typeof createTrackerClient>;
