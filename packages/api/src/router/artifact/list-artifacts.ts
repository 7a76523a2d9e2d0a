import { publicProcedure } from '../../trpc.js';
import { artifactSelect, toArtifact } from './artifact-select.js';
import { listArtifactsInput } from './register-artifact.schema.js';

export const listArtifacts = publicProcedure
  .input(listArtifactsInput)
  .query(async ({ ctx, input }) =>
    (
      await ctx.store.prisma.artifact.findMany({
        where: { runId: input.runId },
        select: artifactSelect,
        orderBy: { createdAt: 'asc' },
      })
    ).map(toArtifact),
  );
