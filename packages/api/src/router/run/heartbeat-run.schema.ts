import { z } from 'zod';
import { runId } from '../shared.schema.js';

export const heartbeatRunInput = z.object({ runId });
