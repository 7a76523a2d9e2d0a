import type { TRPCRouterRecord } from '@trpc/server';
import { liveRun } from './live-run.js';
import { liveRuns } from './live-runs.js';
import { liveSweep } from './live-sweep.js';

/** Server-sent events: each subscription listens before its first message. */
export const liveRouter = {
  run: liveRun,
  runs: liveRuns,
  sweep: liveSweep,
} satisfies TRPCRouterRecord;
