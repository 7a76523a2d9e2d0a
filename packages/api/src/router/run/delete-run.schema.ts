import { z } from 'zod';
import { runId } from '../shared.schema.js';

export const deleteRunInput = z.object({ runId });
