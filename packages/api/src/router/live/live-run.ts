import type { LiveEvent } from '../../events.js';
import { publicProcedure } from '../../trpc.js';
import { findRunOrThrow } from '../run/find-run-or-throw.js';
import { listen } from './listen.js';
import { liveRunInput } from './live-run.schema.js';

type Snapshot = { type: 'snapshot'; runId: string; status: string; statusReason: string | null };

/** One run (server-sent events): a snapshot of its status, then its new points and status changes. */
export const liveRun = publicProcedure.input(liveRunInput).subscription(async function* ({
  ctx,
  input,
  signal,
}) {
  const events = listen(ctx, signal);
  const run = await findRunOrThrow(ctx, input.runId);
  yield { type: 'snapshot', runId: run.id, status: run.status, statusReason: run.statusReason } as
    | Snapshot
    | LiveEvent;
  for await (const [event] of events) {
    if ('runId' in event && event.runId === input.runId) yield event;
  }
});
