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
 * Whether a request failed because the server had closed the kept-alive connection it went
 * out on: undici's "other side closed" (or a reset) with no answer at all. A server closes only idle
 * connections, so it never read the request, and sending it again is safe.
 */
export function closedBeforeAnswer(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  // The same race seen from the other side: the request reached a socket already closed.
  if (cause?.code === 'ECONNRESET') return true;
  return cause?.code === 'UND_ERR_SOCKET' && /other side closed/.test(cause.message ?? '');
}

/** `fetch` that sends a request once more when its kept-alive connection was closed under it. */
export function retryingClosedConnections(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await base(input, init);
    } catch (error) {
      if (!closedBeforeAnswer(error)) throw error;
      return base(input, init);
    }
  };
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
          fetch: retryingClosedConnections(options.fetch ?? globalThis.fetch),
        }),
      }),
    ],
  });
}

export type TrackerClient = ReturnType<typeof createTrackerClient>;
