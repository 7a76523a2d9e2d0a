import { z } from 'zod';
import { logBatchInput, maxBatchPoints } from './log-batch.schema.js';

export type LogBatchInput = z.input<typeof logBatchInput>;
export type LogBatch = z.output<typeof logBatchInput>;

// The same rules as log-batch.schema.ts, written as plain checks over whole columns: zod
// runs a schema per element, which over 1,000-point columns is most of a call's checking.
const maxInt4 = 2_147_483_647;
const maxWallTime = 8.64e15;
const runIdPattern = /^[A-Za-z0-9._:-]+$/;
const keyPattern = /^[A-Za-z0-9_./ -]+$/;

const isRunId = (v: unknown) =>
  typeof v === 'string' && v.length >= 1 && v.length <= 128 && runIdPattern.test(v);
const isKey = (v: unknown) =>
  typeof v === 'string' && v.length >= 1 && v.length <= 250 && keyPattern.test(v);
const isStep = (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= maxInt4;
const isEpoch = isStep;
const isWallTime = (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= maxWallTime;

const isColumn = (v: unknown, n: number, each: (v: unknown) => boolean) => {
  if (!Array.isArray(v) || v.length !== n) return false;
  for (let i = 0; i < n; i++) if (!each(v[i])) return false;
  return true;
};
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The columns form, when every rule of the schema holds; else undefined. */
function fastColumns(input: unknown): LogBatch | undefined {
  if (!isPlainObject(input) || input.points !== undefined || !isRunId(input.runId)) return;
  const c = input.columns;
  if (!isPlainObject(c) || !Array.isArray(c.step)) return;
  const n = c.step.length;
  if (n < 1 || n > maxBatchPoints || !isColumn(c.step, n, isStep)) return;
  if (!isColumn(c.value, n, (v) => typeof v === 'number')) return;
  if (!(isKey(c.key) || isColumn(c.key, n, isKey))) return;
  const epochOk =
    c.epoch === undefined ||
    c.epoch === null ||
    isEpoch(c.epoch) ||
    isColumn(c.epoch, n, (v) => v === null || isEpoch(v));
  if (!epochOk) return;
  if (!(c.wallTime === undefined || isWallTime(c.wallTime) || isColumn(c.wallTime, n, isWallTime)))
    return;
  // As zod's objects do, keys the schema does not name are left out.
  const columns = { key: c.key, step: c.step, value: c.value } as NonNullable<LogBatch['columns']>;
  if ('epoch' in c) columns.epoch = c.epoch as typeof columns.epoch;
  if ('wallTime' in c) columns.wallTime = c.wallTime as typeof columns.wallTime;
  return { runId: input.runId as string, columns };
}

/**
 * Checks logBatch's input: valid columns in one plain pass over each column; anything else
 * (objects, or input that breaks a rule) through the zod schema, so that every error names
 * the field exactly as the schema does.
 */
export function parseLogBatch(input: LogBatchInput): LogBatch {
  return fastColumns(input) ?? logBatchInput.parse(input);
}

/**
 * parseLogBatch as the procedure's input: typed as the schema is for callers; a refusal is
 * the schema's own ZodError, so it is answered as before.
 */
export const logBatchParser = z
  .custom<LogBatchInput>(() => true)
  .transform((input) => parseLogBatch(input));
