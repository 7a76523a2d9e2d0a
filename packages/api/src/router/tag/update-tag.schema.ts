import { z } from 'zod';
import { colour, tagName, text } from '../shared.schema.js';

export const updateTagInput = z
  .object({
    name: tagName,
    colour: colour.optional(),
    /** What the tag means to you, what fixed it. */
    notes: text('notes').max(100_000, 'notes: at most 100,000 characters').optional(),
  })
  .refine((v) => v.colour !== undefined || v.notes !== undefined, {
    message: 'expected colour or notes',
  });
