import { on } from 'node:events';
import type { Context } from '../../context.js';
import type { LiveEvent } from '../../events.js';

/**
 * The tracker's events from now on, until the subscription ends. Each subscription calls it
 * before it sends its first message, so whatever is logged after a client sees that message
 * reaches it.
 */
export function listen(ctx: Pick<Context, 'events'>, signal: AbortSignal | undefined) {
  return on(ctx.events.target, 'event', { signal }) as AsyncIterableIterator<[LiveEvent]>;
}
