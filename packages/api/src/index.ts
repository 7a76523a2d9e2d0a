import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root.js';

export { type Context, type ContextInner, createContextInner } from './context.js';
export { type LiveEvent, LiveEvents, type LivePoint } from './events.js';
export {
  type ApiServer,
  type ApiServerOptions,
  createApiServer,
  defaultMaxBodyBytes,
} from './http.js';
export { minLeaseSeconds, SweepQueue } from './queue/sweep-queue.js';
export { type AppRouter, appRouter } from './root.js';
export { maxBatchPoints } from './router/metric/log-batch.schema.js';
export { maxTrials } from './router/sweep/create-sweep.schema.js';
export { sweepStaleRuns } from './services/sweep-stale-runs.js';
export { earlyStoppingSettings } from './services/sweeps/early-stopping.js';
export { reconcileTrials } from './services/sweeps/trial-lifecycle.js';
export { createCallerFactory } from './trpc.js';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
