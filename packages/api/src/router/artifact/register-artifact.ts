import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { mutationProcedure } from '../../trpc.js';
import { findRunOrThrow } from '../run/find-run-or-throw.js';
import { artifactSelect, toArtifact } from './artifact-select.js';
import { registerArtifactInput } from './register-artifact.schema.js';

/** Registers (or replaces, by run and name) an artifact of a run. */
export const registerArtifact = mutationProcedure
  .input(registerArtifactInput)
  .mutation(async ({ ctx, input }) => {
    await findRunOrThrow(ctx, input.runId);
    const bytes =
      input.contentBase64 === undefined ? undefined : Buffer.from(input.contentBase64, 'base64');
    const sha256 = bytes ? createHash('sha256').update(bytes).digest('hex') : input.sha256!;
    if (bytes && input.sha256 && input.sha256 !== sha256) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `sha256: the content hashes to ${sha256}, not ${input.sha256}`,
      });
    }
    const data = {
      kind: input.kind,
      location: input.location ?? null,
      bytes: bytes ? new Uint8Array(bytes) : null,
      size: BigInt(bytes ? bytes.length : input.size!),
      sha256,
      meta: input.meta,
    };
    const row = await ctx.store.prisma.artifact.upsert({
      where: { runId_name: { runId: input.runId, name: input.name } },
      update: data,
      create: { runId: input.runId, name: input.name, ...data },
      select: artifactSelect,
    });
    return toArtifact(row);
  });
