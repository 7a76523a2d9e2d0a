// Lists the runs tagged `overfitting`, best first, with their best validation accuracy.
//   TRACKER_URL=http://127.0.0.1:4100/trpc pnpm --filter @trainbook/api exec tsx examples/overfitting-runs.ts
import { createTrackerClient } from '@trainbook/api/client';

const tracker = createTrackerClient({
  url: process.env.TRACKER_URL ?? 'http://127.0.0.1:4100/trpc',
});
const { items } = await tracker.run.list.query({
  tags: ['overfitting'],
  sortBy: 'bestValAccuracy',
});
for (const run of items) {
  console.log(
    `${run.name.padEnd(24)} ${run.status.padEnd(9)} best val_accuracy ${run.summary.bestValAccuracy ?? '–'}`,
  );
}
