import type { TRPCRouterRecord } from '@trpc/server';
import { createRun } from './create-run.js';
import { deleteRun } from './delete-run.js';
import { finishRun } from './finish-run.js';
import { getRun } from './get-run.js';
import { heartbeatRun } from './heartbeat-run.js';
import { listRuns } from './list-runs.js';
import { updateRun } from './update-run.js';

export const runRouter = {
  create: createRun,
  get: getRun,
  list: listRuns,
  update: updateRun,
  heartbeat: heartbeatRun,
  finish: finishRun,
  delete: deleteRun,
} satisfies TRPCRouterRecord;
