import { z } from 'zod';
import { jsonObject, runId, text } from '../shared.schema.js';

export const finishRunInput = z.object({
  runId,
  status: z.enum(['finished', 'failed', 'killed']),
  /** Best epoch, best val_accuracy, final metrics: merged into the summary. */
  summary: jsonObject('summary').optional(),
  /** Why it failed or was killed. */
  reason: text('reason').max(20_000, 'reason: at most 20,000 characters').optional(),
});
