import { z } from 'zod';
import { tagName } from '../shared.schema.js';

export const renameTagInput = z.object({ name: tagName, newName: tagName });
