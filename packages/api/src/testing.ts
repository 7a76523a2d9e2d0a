import type { AddressInfo } from 'node:net';
import type { Store } from '@trainbook/db';
import { openTestStore, type StoreKind } from '@trainbook/db/testing';
import { createTrackerClient, type TrackerClient } from './client.js';
import { createContextInner } from './context.js';
import { LiveEvents } from './events.js';
import { createApiServer } from './http.js';
import { SweepQueue } from './queue/sweep-queue.js';
import { appRouter } from './root.js';
import { createCallerFactory } from './trpc.js';

const createCaller = createCallerFactory(appRouter);
export type Api = ReturnType<typeof createCaller>;
export type Transport = 'caller' | 'http';

type Procedures = Record<string, { _def: { type: 'query' | 'mutation' | 'subscription' } }>;

/**
 * The real client shaped like a caller (`api.run.create(input)`), so one suite runs over
 * both transports: each call goes out as the HTTP query or mutation its procedure is.
 */
function callerShaped(client: TrackerClient): Api {
  const procedures = appRouter._def.procedures as unknown as Procedures;
  const at = (path: string[]): unknown =>
    new Proxy(() => {}, {
      get: (_target, key) => at([...path, String(key)]),
      apply: (_target, _this, args) => {
        const name = path.join('.');
        const type = procedures[name]?._def.type;
        // biome-ignore lint/suspicious/noExplicitAny: walking the client proxy by path
        let node: any = client;
        for (const part of path) node = node[part];
        return type === 'query' ? node.query(args[0]) : node.mutate(args[0]);
      },
    });
  return at([]) as Api;
}

export interface Harness {
  store: Store;
  events: LiveEvents;
  queue: SweepQueue;
  api: Api;
  url: string;
  client: TrackerClient;
  close(): Promise<void>;
}

/** A real store of `kind` with the API on 127.0.0.1 in front of it. */
export async function startHarness(
  kind: StoreKind,
  transport: Transport,
  token?: string,
): Promise<Harness> {
  const opened = await openTestStore(kind);
  const events = new LiveEvents();
  const queue = await SweepQueue.start(opened.store, { superviseSeconds: 1 });
  const { server } = createApiServer({ store: opened.store, events, queue, token });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
  const client = createTrackerClient({ url, token });
  const api =
    transport === 'caller'
      ? createCaller(
          createContextInner({
            store: opened.store,
            events,
            queue,
            token,
            authorization: token ? `Bearer ${token}` : undefined,
          }),
        )
      : callerShaped(client);
  return {
    store: opened.store,
    events,
    queue,
    api,
    url,
    client,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await queue.stop();
      await opened.dispose();
    },
  };
}

/** The tRPC error code of a failure, from a caller (TRPCError) or the client (TRPCClientError). */
export function errorCode(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { code?: string } };
  return e.data?.code ?? e.code;
}

/**
 * trial.finish's input for a claimed trial (what trial.claim gave: the attempt held, its run),
 * ended as `status`: a worker's last call, for the tests and benches that play workers.
 */
export function finishedClaim(
  claim: { sweepId: string; index: number; jobId: string; attempt: number; runId: string },
  status: 'finished' | 'failed' | 'killed' = 'finished',
) {
  const { sweepId, index, jobId, attempt, runId } = claim;
  return { sweepId, index, jobId, attempt, runId, status };
}
