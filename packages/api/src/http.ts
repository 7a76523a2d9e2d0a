import http from 'node:http';
import type { Store } from '@trainbook/db';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import cors from 'cors';
import { createContextInner } from './context.js';
import type { LiveEvents } from './events.js';
import type { SweepQueue } from './queue/sweep-queue.js';
import { appRouter } from './root.js';

export interface ApiServerOptions {
  store: Store;
  events: LiveEvents;
  /** The sweep queue, when this server hosts sweeps (the tracker does). */
  queue?: SweepQueue | undefined;
  token?: string | undefined;
  /** Browser origins allowed to call the API (the dashboard's). */
  corsOrigins?: string[];
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Reported by GET /health. */
  version?: string;
}

export interface ApiServer {
  server: http.Server;
  /** Requests (not live subscriptions) being answered now. */
  inFlight(): number;
}

/** Default body limit: room for a 10,000-point batch many times over, and no more. */
export const defaultMaxBodyBytes = 32 * 1024 * 1024;

/**
 * The API over HTTP: tRPC at /trpc (queries, mutations, SSE subscriptions) and GET /health.
 * What the tracker serves, and what tests start on 127.0.0.1.
 */
export function createApiServer(options: ApiServerOptions): ApiServer {
  let inFlight = 0;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: options.maxBodyBytes ?? defaultMaxBodyBytes,
    createContext: ({ req }) =>
      createContextInner({
        store: options.store,
        events: options.events,
        queue: options.queue,
        token: options.token,
        authorization: req.headers.authorization,
      }),
  });
  const allowCors = cors({ origin: options.corsOrigins ?? [], maxAge: 600 });
  const server = http.createServer((req, res) => {
    allowCors(req, res, () => {
      const url = req.url ?? '/';
      if (url === '/health' || url === '/health/') {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ ok: true, store: options.store.kind, version: options.version ?? null }),
        );
        return;
      }
      if (!url.startsWith('/trpc/')) {
        res.statusCode = 404;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ error: `Nothing at ${url}: the API is at /trpc, health at /health.` }),
        );
        return;
      }
      const live = url.startsWith('/trpc/live.');
      if (!live) {
        inFlight++;
        res.once('close', () => inFlight--);
      }
      trpc(req, res);
    });
  });
  return { server, inFlight: () => inFlight };
}
