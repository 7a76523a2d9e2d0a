import type { TRPCRouterRecord } from '@trpc/server';
import { getArtifact } from './get-artifact.js';
import { listArtifacts } from './list-artifacts.js';
import { registerArtifact } from './register-artifact.js';

export const artifactRouter = {
  register: registerArtifact,
  list: listArtifacts,
  get: getArtifact,
} satisfies TRPCRouterRecord;
