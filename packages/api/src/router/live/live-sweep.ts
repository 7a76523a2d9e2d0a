import type { LiveEvent } from '../../events.js';
import { publicProcedure } from '../../trpc.js';
import { listen } from './listen.js';
import { liveSweepInput } from './live-sweep.schema.js';

/** One sweep ('*': every sweep): 'ready', then trial changes and runs' status changes. */
export const liveSweep = publicProcedure.input(liveSweepInput).subscription(async function* ({
  ctx,
  input,
  signal,
}) {
  const events = listen(ctx, signal);
  yield { type: 'ready' } as { type: 'ready' } | LiveEvent;
  for await (const [event] of events) {
    if (event.type === 'sweep' && (input.sweepId === '*' || event.sweepId === input.sweepId))
      yield event;
    else if (event.type === 'status' || (event.type === 'run' && event.change === 'created'))
      yield event;
  }
});
