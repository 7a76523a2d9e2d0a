import { z } from 'zod';
import { displayName, jsonObject, notes, runId } from '../shared.schema.js';

export const updateRunInput = z
  .object({
    runId,
    name: displayName('name')
      .trim()
      .min(1, 'name: expected a non-empty name')
      .max(200, 'name: at most 200 characters')
      .optional(),
    notes: notes.optional(),
    /** Merged into the run's summary (keys given replace those keys). */
    summary: jsonObject('summary').optional(),
  })
  .refine((v) => v.name !== undefined || v.notes !== undefined || v.summary !== undefined, {
    message: 'expected at least one of name, notes, summary',
  });
