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
  /**
   * How long an idle keep-alive connection stays open (default {@link defaultKeepAliveMs}).
   * Longer than clients keep theirs, so that a client never sends on a socket the server
   * is closing at that moment.
   */
  keepAliveTimeoutMs?: number;
  /** Where unexpected failures go, with their stack (answers never carry one). */
  log?: (line: string) => void;
}

export interface ApiServer {
  server: http.Server;
  /** Requests (not live subscriptions) being answered now. */
  inFlight(): number;
}

/**
 * Node's default (5 s) is shorter than a trainer's pauses between reports (saving a model)
 * and close to undici's own 4 s: a request sent just as the server closed the idle socket
 * failed with "other side closed". 65 s is what proxies commonly use.
 */
export const defaultKeepAliveMs = 65_000;

/** Default body limit: room for a 10,000-point batch many times over, and no more. */
export const defaultMaxBodyBytes = 32 * 1024 * 1024;

/**
 * The API over HTTP: tRPC at /trpc (queries, mutations, SSE subscriptions) and GET /health.
 * What the tracker serves, and what tests start on 127.0.0.1.
 */
export function createApiServer(options: ApiServerOptions): ApiServer {
  let inFlight = 0;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: maxBodyBytes,
    // The typed client sends one call per request; a batch would let one request do the
    // work of thousands (and a long GET batch overflows the URL).
    allowBatching: false,
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR' || error.code === 'SERVICE_UNAVAILABLE') {
        const cause = error.cause ?? error;
        options.log?.(`${path ?? '(no procedure)'}: ${cause.stack ?? cause.message}`);
      }
    },
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
      const declared = Number(req.headers['content-length']);
      if (declared > maxBodyBytes) {
        refuseLargeBody(req, res, declared, maxBodyBytes);
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
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? defaultKeepAliveMs;
  // Headers of a request on a kept-alive socket may arrive up to keepAliveTimeout later.
  server.headersTimeout = server.keepAliveTimeout + 1000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Node answers these with a bare status line; say why, as every other refusal does.
    if (!socket.writable) return;
    const [status, reason] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            '431 Request Header Fields Too Large',
            `The request's URL and headers are too large: the tracker takes ${http.maxHeaderSize} bytes at most: send fewer inputs per call (metric.series takes at most 50 runs and 20 keys).`,
          ]
        : ['400 Bad Request', `Malformed HTTP request (${error.code ?? error.message}).`];
    const body = JSON.stringify({ error: reason });
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return { server, inFlight: () => inFlight };
}

/**
 * 413 for a body whose declared length is over the limit. The answer waits until the body has
 * been read and dropped (up to 4× the limit): a client still writing when the server answered
 * and closed would see its connection reset (EPIPE) instead of the reason.
 */
function refuseLargeBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  declared: number,
  maxBodyBytes: number,
): void {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const body = JSON.stringify({
    error: `The request body (${mb(declared)}) is over the tracker's limit of ${mb(maxBodyBytes)} (TRACKER_MAX_BODY_MB): send less per call.`,
  });
  const answer = () => {
    if (res.headersSent) return;
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
    res.end(body);
  };
  if (declared > 4 * maxBodyBytes) {
    answer();
    return;
  }
  req.on('end', answer);
  req.on('error', () => res.destroy());
  req.resume();
}
