import type { TRPCRouterRecord } from '@trpc/server';
import { claimTrial } from './claim-trial.js';
import { finishTrial } from './finish-trial.js';
import { heartbeatTrial } from './heartbeat-trial.js';

/** What workers call: take a trial, keep its lease, report how it ended. */
export const trialRouter = {
  claim: claimTrial,
  heartbeat: heartbeatTrial,
  finish: finishTrial,
} satisfies TRPCRouterRecord;
