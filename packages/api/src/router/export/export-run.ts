import { runPoints } from '@trainbook/db';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../../trpc.js';
import { findRunOrThrow } from '../run/find-run-or-throw.js';
import { runId } from '../shared.schema.js';

export const exportRunInput = z.object({ runId, format: z.enum(['csv', 'json']).default('csv') });

const csvField = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** All of a run's points, as CSV (key,step,epoch,value,wall_time) or JSON with the run. */
export const exportRouter = {
  run: publicProcedure.input(exportRunInput).query(async ({ ctx, input }) => {
    const run = await findRunOrThrow(ctx, input.runId);
    const points = await runPoints(ctx.store.sql, input.runId);
    const base = run.name.replace(/[^A-Za-z0-9._-]+/g, '_');
    if (input.format === 'json') {
      return {
        filename: `${base}.json`,
        contentType: 'application/json',
        // NaN and ±Infinity have no JSON form: they are written as strings.
        content: JSON.stringify(
          {
            run,
            points: points.map((p) => ({
              key: p.key,
              step: p.step,
              epoch: p.epoch,
              value: Number.isFinite(p.value) ? p.value : String(p.value),
              wallTime: p.wallTime.toISOString(),
            })),
          },
          null,
          1,
        ),
      };
    }
    const lines = ['key,step,epoch,value,wall_time'];
    for (const p of points) {
      lines.push(
        `${csvField(p.key)},${p.step},${p.epoch ?? ''},${p.value},${p.wallTime.toISOString()}`,
      );
    }
    return { filename: `${base}.csv`, contentType: 'text/csv', content: `${lines.join('\n')}\n` };
  }),
} satisfies TRPCRouterRecord;
