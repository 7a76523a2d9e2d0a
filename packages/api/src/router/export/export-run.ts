import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../../trpc.js';
import { findRunOrThrow } from '../run/find-run-or-throw.js';
import { runId } from '../shared.schema.js';

export const exportRunInput = z.object({ runId, format: z.enum(['csv', 'json']).default('csv') });

interface PointRow {
  key: string;
  step: number;
  epoch: number | null;
  value: number;
  /** Milliseconds since 1970, with the stored text for times no JavaScript Date can hold. */
  wall_ms: number;
  wall_text: string;
}

/** ISO 8601; a time beyond a JavaScript Date's range (stored before the API refused them) as PostgreSQL writes it. */
const wallTimeText = (p: PointRow) =>
  Math.abs(p.wall_ms) <= 8.64e15 ? new Date(p.wall_ms).toISOString() : p.wall_text;

const csvField = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** All of a run's points, as CSV (key,step,epoch,value,wall_time) or JSON with the run. */
export const exportRouter = {
  run: publicProcedure.input(exportRunInput).query(async ({ ctx, input }) => {
    const run = await findRunOrThrow(ctx, input.runId);
    const points = await ctx.store.sql.query<PointRow>(
      `SELECT s.key, p.step, p.epoch, p.value, (extract(epoch FROM p.wall_time) * 1000)::float8 AS wall_ms,
         p.wall_time::text AS wall_text
       FROM metric_series s JOIN metric_points p ON p.series_id = s.id
       WHERE s.run_id = $1 ORDER BY s.key, p.step`,
      [input.runId],
    );
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
              wallTime: wallTimeText(p),
            })),
          },
          null,
          1,
        ),
      };
    }
    const lines = ['key,step,epoch,value,wall_time'];
    for (const p of points) {
      lines.push(`${csvField(p.key)},${p.step},${p.epoch ?? ''},${p.value},${wallTimeText(p)}`);
    }
    return { filename: `${base}.csv`, contentType: 'text/csv', content: `${lines.join('\n')}\n` };
  }),
} satisfies TRPCRouterRecord;
