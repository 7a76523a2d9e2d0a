import type { AddressInfo } from 'node:net';
import { createApiServer, LiveEvents, SweepQueue } from '@trainbook/api';
import { openStore, type Store } from '@trainbook/db';
import type { TrackerEnv } from './env.js';
import { startSweepSupervisor } from './sweep-supervisor.js';
import { startWatchdog } from './watchdog.js';

export interface Tracker {
  url: string;
  store: Store;
  /** Stops taking requests, lets in-flight writes finish (up to `graceMs`), closes the store. */
  close(graceMs?: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function startTracker(env: TrackerEnv, log: (line: string) => void): Promise<Tracker> {
  const store = await openStore({
    databaseUrl: env.DATABASE_URL,
    home: env.TRAINBOOK_HOME,
    poolSize: env.TRACKER_DB_POOL,
    pointTransactions: env.TRACKER_POINT_TRANSACTIONS,
    onIdleError: (error) =>
      log(`database: idle connection dropped (${error.message}); reconnecting on next use`),
    onConnectionError: (error) =>
      log(`database: connection lost (${error.message}); requests get 503 until it is back`),
  });
  if (store.migrated.length) log(`database: applied migrations ${store.migrated.join(', ')}`);
  const events = new LiveEvents();
  // pg-boss starts with the first sweep call (or a sweep left running at the last stop).
  const queue = SweepQueue.lazy(store, {
    superviseSeconds: env.TRACKER_SWEEP_CHECK_SECONDS,
    onError: (error) => log(`sweep queue: ${error.message}`),
  });
  const api = createApiServer({
    store,
    events,
    queue,
    token: env.TRACKER_TOKEN,
    corsOrigins: env.TRACKER_CORS_ORIGINS,
    maxBodyBytes: env.TRACKER_MAX_BODY_MB * 1024 * 1024,
    log,
  });
  await new Promise<void>((resolve, reject) => {
    api.server.once('error', reject);
    api.server.listen(env.PORT, env.HOST, () => resolve());
  }).catch(async (error: Error) => {
    await queue.stop();
    await store.close();
    throw new Error(`Could not listen on ${env.HOST}:${env.PORT}: ${error.message}`, {
      cause: error,
    });
  });
  const stopWatchdog = startWatchdog({
    ctx: { store, events },
    timeoutMs: env.TRACKER_HEARTBEAT_TIMEOUT * 1000,
    log,
  });
  const stopSweepSupervisor = startSweepSupervisor({
    ctx: { store, events, queue },
    intervalMs: env.TRACKER_SWEEP_CHECK_SECONDS * 1000,
    log,
  });
  const address = api.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}/trpc`,
    store,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const closed = new Promise((done) => api.server.close(done));
        api.server.closeIdleConnections();
        await stopWatchdog();
        await stopSweepSupervisor();
        const deadline = Date.now() + graceMs;
        while (api.inFlight() > 0 && Date.now() < deadline) await sleep(20);
        if (api.inFlight() > 0)
          log(
            `shutdown: ${api.inFlight()} request(s) still running after ${graceMs} ms; closing anyway`,
          );
        // Live subscriptions never end by themselves.
        api.server.closeAllConnections();
        await closed;
        await queue.stop();
        await store.close();
      })();
      return closing;
    },
  };
}
