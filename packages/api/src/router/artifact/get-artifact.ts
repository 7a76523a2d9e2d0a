import { TRPCError } from '@trpc/server';
import { publicProcedure } from '../../trpc.js';
import { artifactSelect } from './artifact-select.js';
import { getArtifactInput } from './register-artifact.schema.js';

/** One artifact with its inline bytes (base64), if it has any. */
export const getArtifact = publicProcedure.input(getArtifactInput).query(async ({ ctx, input }) => {
  const row = await ctx.store.prisma.artifact.findUnique({
    where: { id: input.id },
    select: { ...artifactSelect, bytes: true },
  });
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `No artifact with id ${input.id}.` });
  const { bytes, ...artifact } = row;
  return { ...artifact, contentBase64: bytes ? Buffer.from(bytes).toString('base64') : null };
});
