import { z } from 'zod';
import { earlyStoppingSettings } from '../../services/sweeps/early-stopping.js';
import { displayName, jsonObject } from '../shared.schema.js';

/** The most trials one sweep may hold. */
export const maxTrials = 10_000;

export const sweepId = z
  .string()
  .min(1, 'sweepId: expected a sweep id')
  .max(100, 'sweepId: at most 100 characters');

export const createSweepInput = z.object({
  name: displayName('name')
    .trim()
    .min(1, 'name: expected a non-empty name')
    .max(200, 'name: at most 200 characters'),
  search: z.enum(['grid', 'random'], { error: 'search: expected grid or random' }),
  /** What was asked (lists, ranges, fixed flags, seed), kept for the record. */
  spec: jsonObject('spec'),
  /** Every config, expanded and checked by the caller (`pnpm sweep` uses the trainer's schema). */
  trials: z
    .array(z.object({ params: jsonObject('trials.params'), config: jsonObject('trials.config') }))
    .min(1, 'trials: expected at least one config')
    .max(maxTrials, `trials: at most ${maxTrials.toLocaleString('en-US')} configs a sweep`),
  maxAttempts: z
    .number()
    .int('maxAttempts: expected a whole number')
    .min(1, 'maxAttempts: expected 1 … 10')
    .max(10, 'maxAttempts: expected 1 … 10')
    .default(3),
  leaseSeconds: z
    .number()
    .int('leaseSeconds: expected a whole number of seconds')
    .min(10, 'leaseSeconds: expected 10 … 3600 (the queue renews leases at most every 10 s)')
    .max(3600, 'leaseSeconds: expected 10 … 3600')
    .default(60),
  earlyStopping: earlyStoppingSettings,
});
