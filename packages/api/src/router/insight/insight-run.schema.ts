import { z } from 'zod';
import { runId } from '../shared.schema.js';

export const getInsightsInput = z.object({
  runId,
  /** Compare with this run instead of the most recent earlier one. */
  baselineRunId: runId.optional(),
});
