import { on } from 'node:events';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import type { LiveEvent } from '../../events.js';
import { publicProcedure } from '../../trpc.js';
import { findRunOrThrow } from '../run/find-run-or-throw.js';
import { liveRunInput, liveRunsInput } from './live.schema.js';

type Snapshot = { type: 'snapshot'; runId: string; status: string; statusReason: string | null };

/**
 * Server-sent events. Each subscription starts listening before it sends its first
 * message, so whatever is logged after a client sees that message reaches it.
 */
export const liveRouter = {
  /** One run: a snapshot of its status, then its new points and status changes. */
  run: publicProcedure.input(liveRunInput).subscription(async function* ({ ctx, input, signal }) {
    const events = on(ctx.events.target, 'event', { signal }) as AsyncIterableIterator<[LiveEvent]>;
    const run = await findRunOrThrow(ctx, input.runId);
    yield { type: 'snapshot', runId: run.id, status: run.status, statusReason: run.statusReason } as
      | Snapshot
      | LiveEvent;
    for await (const [event] of events) {
      if ('runId' in event && event.runId === input.runId) yield event;
    }
  }),
  /** Every run's status changes and arrivals (for the runs table); points are left out. */
  runs: publicProcedure.input(liveRunsInput).subscription(async function* ({ ctx, signal }) {
    const events = on(ctx.events.target, 'event', { signal }) as AsyncIterableIterator<[LiveEvent]>;
    yield { type: 'ready' } as { type: 'ready' } | LiveEvent;
    for await (const [event] of events) {
      if (event.type === 'points' || event.type === 'sweep') continue;
      yield event;
    }
  }),
  /** One sweep ('*': every sweep): 'ready', then trial changes and runs' status changes. */
  sweep: publicProcedure
    .input(z.object({ sweepId: z.string().min(1).max(100) }))
    .subscription(async function* ({ ctx, input, signal }) {
      const events = on(ctx.events.target, 'event', { signal }) as AsyncIterableIterator<
        [LiveEvent]
      >;
      yield { type: 'ready' } as { type: 'ready' } | LiveEvent;
      for await (const [event] of events) {
        if (event.type === 'sweep' && (input.sweepId === '*' || event.sweepId === input.sweepId))
          yield event;
        else if (event.type === 'status' || (event.type === 'run' && event.change === 'created'))
          yield event;
      }
    }),
} satisfies TRPCRouterRecord;
