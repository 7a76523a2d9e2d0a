import { z } from 'zod';
import { runId } from '../shared.schema.js';

export const liveRunInput = z.object({ runId });
