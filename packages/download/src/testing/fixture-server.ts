import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How one path behaves. Counters apply to responses in order: the first `times` misbehave. */
export interface FixtureRoute {
  body: Uint8Array;
  /** Answer Range requests with 206 (default true); false sends the whole file again. */
  ranges?: boolean;
  /** Close the connection after `afterBytes` bytes of the response body. */
  cutOff?: { times: number; afterBytes: number };
  /** Send `afterBytes` bytes of the body, then go silent without closing. */
  stall?: { times: number; afterBytes: number };
  /** Answer with this status and no file. */
  fail?: { times: number; status: number };
  etag?: string;
}

export interface FixtureRequest {
  path: string;
  range: string | undefined;
  ifRange: string | undefined;
  status: number;
}

export interface FixtureServer {
  url(path: string): string;
  /** Every request answered so far, in order. */
  requests: FixtureRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (random port) serving in-memory files for tests. */
export async function startFixtureServer(
  routes: Record<string, FixtureRoute>,
): Promise<FixtureServer> {
  const requests: FixtureRequest[] = [];
  const served = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes[path];
    const index = served.get(path) ?? 0;
    served.set(path, index + 1);
    const status = respond(req, res, route, index);
    requests.push({
      path,
      range: req.headers.range,
      ifRange: req.headers['if-range'] as string | undefined,
      status,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function respond(
  req: IncomingMessage,
  res: ServerResponse,
  route: FixtureRoute | undefined,
  index: number,
): number {
  if (!route) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return 404;
  }
  if (route.fail && index < route.fail.times) {
    res.writeHead(route.fail.status, { 'content-type': 'text/plain' }).end('failing on purpose');
    return route.fail.status;
  }
  const size = route.body.length;
  const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream' };
  if (route.etag) headers.etag = route.etag;
  if (route.ranges !== false) headers['accept-ranges'] = 'bytes';

  let start = 0;
  let status = 200;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRangeOk = !req.headers['if-range'] || req.headers['if-range'] === route.etag;
  if (range && route.ranges !== false && ifRangeOk) {
    start = Number(range[1]);
    if (start >= size) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return 416;
    }
    status = 206;
    headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
  }
  const body = route.body.subarray(start);
  headers['content-length'] = body.length;
  res.writeHead(status, headers);

  const misbehave =
    route.cutOff && index < route.cutOff.times
      ? { kind: 'cut', afterBytes: route.cutOff.afterBytes }
      : route.stall && index < route.stall.times
        ? { kind: 'stall', afterBytes: route.stall.afterBytes }
        : undefined;
  if (!misbehave) {
    res.end(body);
    return status;
  }
  res.write(body.subarray(0, misbehave.afterBytes), () => {
    // Closing after the bytes are flushed makes the client see a body that ends early.
    if (misbehave.kind === 'cut') res.socket?.destroy();
  });
  return status;
}

/** A URL on 127.0.0.1 where nothing listens, for "connection refused". */
export async function refusedUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
