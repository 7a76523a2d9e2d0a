import type { Prisma } from '@trainbook/db';
import type { Diagnosis } from '@trainbook/insights';

/** The fields every run answer carries; queries select them explicitly. */
export const runSelect = {
  id: true,
  name: true,
  status: true,
  statusReason: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  lastHeartbeatAt: true,
  params: true,
  env: true,
  summary: true,
  notes: true,
  insights: true,
  sweepId: true,
  trialIndex: true,
  attempt: true,
  tags: {
    select: { tag: { select: { id: true, name: true, colour: true } } },
    orderBy: { createdAt: 'asc' },
  },
} as const satisfies Prisma.RunSelect;

type RunRow = Prisma.RunGetPayload<{ select: typeof runSelect }>;

export function toRun(row: RunRow) {
  const { tags, ...run } = row;
  return {
    ...run,
    params: run.params as Record<string, unknown>,
    env: run.env as Record<string, unknown>,
    summary: run.summary as Record<string, unknown>,
    insights: run.insights as {
      kinds?: string[];
      diagnosis?: Diagnosis;
      computedAt?: string;
      version?: number;
    },
    tags: tags.map((t) => t.tag),
  };
}

export type Run = ReturnType<typeof toRun>;
