import { z } from 'zod';

export const liveSweepInput = z.object({ sweepId: z.string().min(1).max(100) });
