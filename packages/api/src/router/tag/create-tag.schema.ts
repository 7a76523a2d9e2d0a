import { z } from 'zod';
import { colour, tagName, text } from '../shared.schema.js';

export const createTagInput = z.object({
  name: tagName,
  colour: colour.optional(),
  notes: text('notes').max(100_000, 'notes: at most 100,000 characters').optional(),
});
