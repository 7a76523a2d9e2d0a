import { z } from 'zod';
import { metricKey, runId } from '../shared.schema.js';

export const maxBatchPoints = 10_000;

const step = z
  .number()
  .int('step: expected an integer')
  .min(0, 'step: expected ≥ 0')
  .max(2_147_483_647);
const epoch = z
  .number()
  .int('epoch: expected an integer')
  .min(0, 'epoch: expected ≥ 0')
  .max(2_147_483_647);
/** NaN and ±Infinity are kept as they are: a diverging loss is worth seeing. */
const value = z.custom<number>(
  (v) => typeof v === 'number',
  'value: expected a number (NaN and ±Infinity allowed)',
);
/** The latest instant a JavaScript Date can hold: 8.64e15 ms after 1970 (year 275,760). */
const maxWallTime = 8.64e15;
const wallTimeMs = z
  .number()
  .int('wallTime: expected whole milliseconds since 1970')
  .min(0, 'wallTime: expected milliseconds since 1970, ≥ 0')
  .max(maxWallTime, `wallTime: at most ${maxWallTime} ms since 1970 (the latest JavaScript date)`);
const wallTime = z
  .date()
  .refine((d) => !Number.isNaN(d.getTime()) && d.getTime() >= 0, {
    message: 'wallTime: expected a valid date after 1970',
  })
  .or(wallTimeMs);

export const metricPoint = z.object({
  key: metricKey,
  step,
  epoch: epoch.nullish(),
  value,
  /** When the value was measured (default: when the tracker receives it). */
  wallTime: wallTime.optional(),
});

const tooMany = `at most ${maxBatchPoints} points per call — split the batch`;

/**
 * The same points as parallel arrays: far cheaper to encode, send and check than 10,000
 * objects (what the trainer sends). `key`, `epoch` and `wallTime` may be one value for all.
 */
export const metricColumns = z
  .object({
    key: metricKey.or(z.array(metricKey).max(maxBatchPoints)),
    step: z
      .array(step)
      .min(1, 'columns.step: expected at least one point')
      .max(maxBatchPoints, `columns.step: ${tooMany}`),
    value: z.array(value).max(maxBatchPoints),
    epoch: epoch.nullable().or(z.array(epoch.nullable()).max(maxBatchPoints)).optional(),
    wallTime: wallTimeMs.or(z.array(wallTimeMs).max(maxBatchPoints)).optional(),
  })
  .superRefine((c, ctx) => {
    const n = c.step.length;
    for (const name of ['key', 'value', 'epoch', 'wallTime'] as const) {
      const column = c[name];
      if (Array.isArray(column) && column.length !== n) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `columns.${name}: expected ${n} entries (one per step), got ${column.length}`,
        });
      }
    }
  });

export const logBatchInput = z
  .object({
    runId,
    points: z
      .array(metricPoint)
      .min(1, 'points: expected at least one point')
      .max(maxBatchPoints, `points: ${tooMany}`)
      .optional(),
    columns: metricColumns.optional(),
  })
  .refine((v) => (v.points === undefined) !== (v.columns === undefined), {
    message: 'expected exactly one of points or columns',
  });
