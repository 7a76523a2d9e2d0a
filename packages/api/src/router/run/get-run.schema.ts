import { z } from 'zod';
import { runId } from '../shared.schema.js';

export const getRunInput = z.object({ runId });
