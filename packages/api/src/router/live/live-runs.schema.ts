import { z } from 'zod';

export const liveRunsInput = z.object({}).default({});
