import type { LiveEvent } from '../../events.js';
import { publicProcedure } from '../../trpc.js';
import { listen } from './listen.js';
import { liveRunsInput } from './live-runs.schema.js';

/** Every run's status changes and arrivals (for the runs table); points are left out. */
export const liveRuns = publicProcedure.input(liveRunsInput).subscription(async function* ({
  ctx,
  signal,
}) {
  const events = listen(ctx, signal);
  yield { type: 'ready' } as { type: 'ready' } | LiveEvent;
  for await (const [event] of events) {
    if (event.type === 'points' || event.type === 'sweep') continue;
    yield event;
  }
});
