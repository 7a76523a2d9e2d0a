import { z } from 'zod';
import { runId, tagName } from '../shared.schema.js';

export const detachTagInput = z.object({ runId, name: tagName });
