import { z } from 'zod';
import { metricKey, runId } from '../shared.schema.js';

const step = z.number().int('expected an integer step').min(0, 'expected a step ≥ 0');

export const getSeriesInput = z
  .object({
    runIds: z.array(runId).min(1).max(50, 'runIds: at most 50 runs'),
    keys: z.array(metricKey).min(1).max(20, 'keys: at most 20 metrics'),
    /** Above this many points in range, the series comes back bucketed (min, max, last). */
    maxPoints: z.number().int().min(2).max(100_000).default(1000),
    fromStep: step.optional(),
    toStep: step.optional(),
  })
  .refine((v) => v.fromStep === undefined || v.toStep === undefined || v.fromStep <= v.toStep, {
    message: 'fromStep: expected fromStep ≤ toStep',
  });
