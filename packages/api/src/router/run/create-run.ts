import { randomUUID } from 'node:crypto';
import { adjectives, animals, uniqueNamesGenerator } from 'unique-names-generator';
import { mutationProcedure } from '../../trpc.js';
import { tagKey } from '../tag/tag-key.js';
import { createRunInput } from './create-run.schema.js';
import { runSelect, toRun } from './run-select.js';

const readableName = () =>
  `${uniqueNamesGenerator({ dictionaries: [adjectives, animals], separator: '-', length: 2 })}-${Math.floor(Math.random() * 100)}`;

export const createRun = mutationProcedure
  .input(createRunInput)
  .mutation(async ({ ctx, input }) => {
    const id = input.id ?? randomUUID();
    const existing = await ctx.store.prisma.run.findUnique({ where: { id }, select: runSelect });
    if (existing) return { run: toRun(existing), created: false };
    const now = new Date();
    const row = await ctx.store.prisma.run.upsert({
      where: { id },
      update: {},
      create: {
        id,
        name: input.name ?? readableName(),
        params: input.params,
        env: input.env,
        notes: input.notes,
        startedAt: input.startedAt ?? now,
        lastHeartbeatAt: now,
        ...(input.sweep ?? {}),
        tags: {
          // One link per tag, whatever the case it is given in; an existing tag keeps its spelling.
          create: [...new Map(input.tags.map((name) => [tagKey(name), name]))].map(
            ([nameKey, name]) => ({
              tag: { connectOrCreate: { where: { nameKey }, create: { name, nameKey } } },
            }),
          ),
        },
      },
      select: runSelect,
    });
    ctx.events.publish({ type: 'run', runId: id, change: 'created' });
    return { run: toRun(row), created: true };
  });
