import type { AddressInfo, Socket } from 'node:net';
import { openTestStore, storeKinds } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackerClient } from './client.js';
import { LiveEvents } from './events.js';
import { createApiServer, defaultKeepAliveMs } from './http.js';

describe('a kept-alive connection the server closes just as the client reuses it', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  beforeAll(async () => {
    opened = await openTestStore(storeKinds[0]!);
  });
  afterAll(() => opened.dispose());

  it('keeps idle connections longer than clients do by default', () => {
    const { server } = createApiServer({ store: opened.store, events: new LiveEvents() });
    expect(server.keepAliveTimeout).toBe(defaultKeepAliveMs);
    expect(defaultKeepAliveMs).toBeGreaterThan(5_000); // undici keeps its sockets 4 s
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  });

  it('is sent again on a new connection instead of failing with "other side closed"', async () => {
    const { server } = createApiServer({
      store: opened.store,
      events: new LiveEvents(),
      keepAliveTimeoutMs: 200,
    });
    // The client is told it may keep the socket for a minute, as a trainer whose event loop
    // is busy training keeps one past the server's timeout; the server closes it sooner.
    server.prependListener('request', (_req, res) => res.setHeader('keep-alive', 'timeout=60'));
    const sockets: Socket[] = [];
    let onIdleTimeout: (() => void) | null = null;
    server.on('connection', (socket: Socket) => {
      sockets.push(socket);
      // Runs just before the server closes the idle socket.
      socket.prependListener('timeout', () => onIdleTimeout?.());
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    const client = createTrackerClient({ url });
    try {
      expect(await client.health.query()).toMatchObject({ ok: true });
      // The next call goes out on the kept-alive socket at the moment the server closes it.
      const second = await new Promise<unknown>((resolve, reject) => {
        onIdleTimeout = () => {
          onIdleTimeout = null;
          client.health.query().then(resolve, reject);
        };
      });
      expect(second).toMatchObject({ ok: true });
      expect(sockets.length).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});
