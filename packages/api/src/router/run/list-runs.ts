import { listRunIds } from '@trainbook/db';
import { publicProcedure } from '../../trpc.js';
import { listRunsInput } from './list-runs.schema.js';
import { runSelect, toRun } from './run-select.js';

export const listRuns = publicProcedure.input(listRunsInput).query(async ({ ctx, input }) => {
  const { ids, nextCursor } = await listRunIds(ctx.store.sql, {
    statuses: input.status,
    tags: input.tags,
    text: input.text,
    params: input.params,
    insight: input.insight,
    sweepId: input.sweepId,
    ids: input.ids,
    sortBy: input.sortBy,
    direction: input.direction,
    limit: input.limit,
    cursor: input.cursor ?? undefined,
  });
  const rows = await ctx.store.prisma.run.findMany({
    where: { id: { in: ids } },
    select: runSelect,
  });
  const byId = new Map(rows.map((row) => [row.id, toRun(row)]));
  return {
    items: ids.flatMap((id) => byId.get(id) ?? []),
    nextCursor,
  };
});
