import { env } from '../../../env';

// Every call is live data; nothing here may be cached or pre-rendered.
export const dynamic = 'force-dynamic';

const forwardedRequestHeaders = ['content-type', 'accept', 'last-event-id', 'trpc-accept'];
const forwardedResponseHeaders = ['content-type', 'content-disposition'];

/**
 * Proxies the browser's tRPC calls to the tracker. The body is streamed through untouched,
 * which is what lets live.* server-sent events reach the page as they happen; the abort
 * signal closes the tracker's side when the tab goes away.
 */
async function proxy(request: Request, context: { params: Promise<{ path: string }> }) {
  const { path } = await context.params;
  const incoming = new URL(request.url);
  const target = `${env.TRACKER_URL}/${encodeURIComponent(path)}${incoming.search}`;
  const headers = new Headers();
  for (const name of forwardedRequestHeaders) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  if (env.TRACKER_TOKEN) headers.set('authorization', `Bearer ${env.TRACKER_TOKEN}`);
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: request.method === 'GET' ? null : await request.arrayBuffer(),
      signal: request.signal,
      cache: 'no-store',
    });
  } catch (error) {
    return Response.json(
      {
        error: {
          json: {
            message: `The tracker at ${env.TRACKER_URL} is not answering (${(error as Error).message}).`,
            code: -32603,
            data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 502 },
          },
        },
      },
      { status: 502 },
    );
  }
  const responseHeaders = new Headers();
  for (const name of forwardedResponseHeaders) {
    const value = upstream.headers.get(name);
    if (value) responseHeaders.set(name, value);
  }
  // no-transform keeps `next start`'s gzip from buffering the event stream.
  responseHeaders.set('cache-control', 'no-cache, no-transform');
  responseHeaders.set('x-accel-buffering', 'no');
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}

export const GET = proxy;
export const POST = proxy;
