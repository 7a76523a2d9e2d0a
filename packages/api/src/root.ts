import { artifactRouter } from './router/artifact/index.js';
import { exportRouter } from './router/export/export-run.js';
import { insightRouter } from './router/insight/index.js';
import { liveRouter } from './router/live/index.js';
import { metricRouter } from './router/metric/index.js';
import { runRouter } from './router/run/index.js';
import { sweepRouter } from './router/sweep/index.js';
import { tagRouter } from './router/tag/index.js';
import { trialRouter } from './router/trial/index.js';
import { createTRPCRouter, publicProcedure } from './trpc.js';

export const appRouter = createTRPCRouter({
  health: publicProcedure.query(({ ctx }) => ({ ok: true, store: ctx.store.kind })),
  run: runRouter,
  metric: metricRouter,
  tag: tagRouter,
  artifact: artifactRouter,
  live: liveRouter,
  export: exportRouter,
  insight: insightRouter,
  sweep: sweepRouter,
  trial: trialRouter,
});

export type AppRouter = typeof appRouter;
