import { publicProcedure } from '../../trpc.js';
import { findRunOrThrow } from './find-run-or-throw.js';
import { getRunInput } from './get-run.schema.js';

export const getRun = publicProcedure
  .input(getRunInput)
  .query(({ ctx, input }) => findRunOrThrow(ctx, input.runId));
