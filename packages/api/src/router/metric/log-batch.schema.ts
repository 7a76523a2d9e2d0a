import { z } from 'zod';
import { metricKey, runId } from '../shared.schema.js';

export const maxBatchPoints = 10_000;

export const metricPoint = z.object({
  key: metricKey,
  step: z.number().int('step: expected an integer').min(0, 'step: expected ≥ 0').max(2_147_483_647),
  epoch: z
    .number()
    .int('epoch: expected an integer')
    .min(0, 'epoch: expected ≥ 0')
    .max(2_147_483_647)
    .nullish(),
  /** NaN and ±Infinity are kept as they are: a diverging loss is worth seeing. */
  value: z.custom<number>(
    (v) => typeof v === 'number',
    'value: expected a number (NaN and ±Infinity allowed)',
  ),
  /** When the value was measured (default: when the tracker receives it). */
  wallTime: z.date().or(z.number().int().min(0)).optional(),
});

export const logBatchInput = z.object({
  runId,
  points: z
    .array(metricPoint)
    .min(1, 'points: expected at least one point')
    .max(maxBatchPoints, `points: at most ${maxBatchPoints} per call — split the batch`),
});
