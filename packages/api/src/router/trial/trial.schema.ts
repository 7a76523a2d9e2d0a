import { z } from 'zod';
import { runId } from '../shared.schema.js';
import { sweepId } from '../sweep/create-sweep.schema.js';

export const workerName = z
  .string()
  .trim()
  .min(1, 'worker: expected a name, e.g. host/pid')
  .max(200, 'worker: at most 200 characters');

export const claimTrialInput = z.object({ worker: workerName });

/** The attempt a worker holds: its trial and the job attempt the queue knows it by. */
export const heldAttempt = z.object({
  sweepId,
  index: z.number().int().min(0),
  jobId: z.uuid('jobId: expected the job id trial.claim gave'),
  attempt: z.number().int().min(1),
});

export const finishTrialInput = heldAttempt.extend({
  runId,
  status: z.enum(['finished', 'failed', 'killed'], {
    error: 'status: expected finished, failed or killed (as the run ended)',
  }),
  reason: z.string().max(20_000).optional(),
});
