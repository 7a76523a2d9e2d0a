import type { AddressInfo } from 'node:net';
import { openTestStore, storeKinds } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveEvents } from './events.js';
import { createApiServer } from './http.js';

describe('a request body over the limit', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    opened = await openTestStore(storeKinds[0]!);
    const { server } = createApiServer({
      store: opened.store,
      events: new LiveEvents(),
      maxBodyBytes: 1024 * 1024,
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    close = () => new Promise((done) => server.close(() => done()));
  });
  afterAll(async () => {
    await close();
    await opened.dispose();
  });

  it('is answered 413 with the reason, however much is still being written', async () => {
    // 3 MB: the client is still sending when the server knows the answer.
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${url}/run.update`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { runId: 'x', notes: 'x'.repeat(3 * 1024 * 1024) } }),
      });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: string }).error).toMatch(
        /request body \(3\.0 MB\) is over the tracker's limit of 1\.0 MB \(TRACKER_MAX_BODY_MB\)/,
      );
    }
  });

  it('leaves bodies within the limit to the API', async () => {
    const response = await fetch(`${url}/run.update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { runId: 'x', notes: 'x'.repeat(512 * 1024) } }),
    });
    expect(response.status).toBe(404); // no such run: the body got through to run.update
  });
});
