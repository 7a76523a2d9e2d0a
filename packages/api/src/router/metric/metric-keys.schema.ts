import { z } from 'zod';
import { runId } from '../shared.schema.js';

export const listKeysInput = z.object({ runId });
