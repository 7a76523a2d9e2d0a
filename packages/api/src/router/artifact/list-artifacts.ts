import { publicProcedure } from '../../trpc.js';
import { artifactSelect } from './artifact-select.js';
import { listArtifactsInput } from './register-artifact.schema.js';

export const listArtifacts = publicProcedure.input(listArtifactsInput).query(({ ctx, input }) =>
  ctx.store.prisma.artifact.findMany({
    where: { runId: input.runId },
    select: artifactSelect,
    orderBy: { createdAt: 'asc' },
  }),
);
