import { z } from 'zod';
import { jsonObject, runId } from '../shared.schema.js';

export const finishRunInput = z.object({
  runId,
  status: z.enum(['finished', 'failed', 'killed']),
  /** Best epoch, best val_accuracy, final metrics: merged into the summary. */
  summary: jsonObject.optional(),
  /** Why it failed or was killed. */
  reason: z.string().max(20_000, 'reason: at most 20,000 characters').optional(),
});
