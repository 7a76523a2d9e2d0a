import { z } from 'zod';
import { colour, tagName } from '../shared.schema.js';

export const createTagInput = z.object({
  name: tagName,
  colour: colour.optional(),
  notes: z.string().max(100_000, 'notes: at most 100,000 characters').optional(),
});
