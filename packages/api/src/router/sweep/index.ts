import type { TRPCRouterRecord } from '@trpc/server';
import { createSweep } from './create-sweep.js';
import { getSweep } from './get-sweep.js';
import { listSweeps } from './list-sweeps.js';
import { cancelSweep, pauseSweep, resumeSweep } from './set-sweep-status.js';
import { sweepAnalysis } from './sweep-analysis.js';
import { listTrials } from './sweep-trials.js';

export const sweepRouter = {
  create: createSweep,
  get: getSweep,
  list: listSweeps,
  trials: listTrials,
  analysis: sweepAnalysis,
  cancel: cancelSweep,
  pause: pauseSweep,
  resume: resumeSweep,
} satisfies TRPCRouterRecord;
