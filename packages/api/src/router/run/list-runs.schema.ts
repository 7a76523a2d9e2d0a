import { findingKinds } from '@trainbook/insights';
import { z } from 'zod';
import { jsonObject, runId, runStatus, tagName, text } from '../shared.schema.js';

export const listRunsInput = z
  .object({
    status: z.array(runStatus).max(5).optional(),
    /** Runs that carry every one of these tags. */
    tags: z.array(tagName).max(20).optional(),
    /** Substring of the name or notes, any case. */
    text: text('text').max(200, 'text: at most 200 characters').optional(),
    /** Param values that must match exactly, e.g. { optimizer: 'adam', dropout: 0.5 }. */
    params: jsonObject('params')
      .refine((params) => Object.keys(params).every((key) => key.length <= 100), {
        message: 'params: keys of at most 100 characters',
      })
      .optional(),
    /** Runs whose latest diagnosis has this finding, e.g. `overfitting`. */
    insight: z.enum(findingKinds).optional(),
    /** The runs (every attempt of every trial) of this sweep. */
    sweepId: z.string().min(1).max(100).optional(),
    /** Only these runs (the compare page's, say); ids that match no run are left out. */
    ids: z.array(runId).min(1).max(500, 'ids: at most 500 runs').optional(),
    /** `createdAt` or a summary key such as `bestValAccuracy`. */
    sortBy: z
      .string()
      .regex(
        /^[A-Za-z0-9_.-]{1,100}$/,
        'sortBy: createdAt or a summary key (letters, digits, _ . -)',
      )
      .default('createdAt'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().max(1000).nullish(),
  })
  .default({ sortBy: 'createdAt', direction: 'desc', limit: 50 });
