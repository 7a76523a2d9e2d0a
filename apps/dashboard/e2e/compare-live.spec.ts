import { postgresUnavailable } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochPoints, startStack } from './harness';

describe.skipIf(postgresUnavailable)('compare page, live, in chromium', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it('draws points a compared run logs in the background, without a reload', async () => {
    const { page, dashboard, api } = stack;
    const { run: done } = await api.run.create.mutate({ name: 'done' });
    await api.metric.logBatch.mutate({ runId: done.id, points: epochPoints({ from: 0, to: 3 }) });
    await api.run.finish.mutate({ runId: done.id, status: 'finished' });
    const { run: training } = await api.run.create.mutate({ name: 'training' });
    await api.metric.logBatch.mutate({
      runId: training.id,
      points: epochPoints({ from: 0, to: 3 }),
    });

    await page.goto(`${dashboard.url}/compare?runs=${done.id},${training.id}`);
    await page.locator('[data-live="connected"]').waitFor();
    expect(await page.getAttribute('[data-chart="accuracy"]', 'data-points')).toBe('3');
    await api.metric.logBatch.mutate({
      runId: training.id,
      points: epochPoints({ from: 3, to: 6 }),
    });
    for (const chart of ['accuracy', 'loss']) {
      await page.waitForFunction(
        (id) => document.querySelector(`[data-chart="${id}"]`)?.getAttribute('data-points') === '6',
        chart,
      );
    }
    // The training curves, once shown, follow too.
    await page.getByLabel('Training curves').check();
    await expect
      .poll(() => page.locator('[data-chart="accuracy"] .u-legend .u-series').count())
      .toBe(5);
    await api.metric.logBatch.mutate({
      runId: training.id,
      points: epochPoints({ from: 6, to: 7 }),
    });
    await page.waitForFunction(
      () => document.querySelector('[data-chart="accuracy"]')?.getAttribute('data-points') === '7',
    );
    // Finishing the run ends its stream; the page says so by dropping the live badge.
    await api.run.finish.mutate({ runId: training.id, status: 'finished' });
    await page.locator('[data-live]').waitFor({ state: 'detached' });
  });
});
