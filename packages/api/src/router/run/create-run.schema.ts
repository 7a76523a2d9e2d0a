import { z } from 'zod';
import { displayName, jsonObject, notes, runId, tagName } from '../shared.schema.js';

export const createRunInput = z.object({
  /** Client-chosen id: creating the same id twice returns the first run. */
  id: runId.optional(),
  name: displayName('name')
    .trim()
    .min(1, 'name: expected a non-empty name')
    .max(200, 'name: at most 200 characters')
    .optional(),
  params: jsonObject('params').default({}),
  env: jsonObject('env').default({}),
  notes: notes.default(''),
  tags: z.array(tagName).max(50, 'tags: at most 50').default([]),
  startedAt: z.date().optional(),
  /** The sweep trial this run is an attempt of (what trial.claim gave the worker). */
  sweep: z
    .object({
      sweepId: z.string().min(1).max(100),
      trialIndex: z.number().int().min(0),
      attempt: z.number().int().min(1),
    })
    .optional(),
});
