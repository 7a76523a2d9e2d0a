import type { TrackerClient } from '@trainbook/api/client';
import { finishedClaim } from '@trainbook/api/testing';
import { postgresUnavailable } from '@trainbook/db/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochPoints, startStack } from './harness';

const dropouts = [0, 0.3, 0.5];
const augments = ['none', 'flip', 'flip+shift=4'];

describe.skipIf(postgresUnavailable)('sweep pages in chromium, over the real tracker', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let dashboard: typeof stack.dashboard;
  let page: Page;
  let api: TrackerClient;
  let sweepId: string;

  /** One worker's turn, over the real API: claim, report epochs, finish. */
  async function trainOne(ceiling: number) {
    const c = (await api.trial.claim.mutate({ worker: 'e2e-host/1' }))!;
    await api.run.create.mutate({
      id: c.runId,
      params: c.config as Record<string, string | number>,
      sweep: { sweepId: c.sweepId, trialIndex: c.index, attempt: c.attempt },
    });
    await api.metric.logBatch.mutate({
      runId: c.runId,
      points: epochPoints({ from: 1, to: 6, ceiling: ceiling, seed: c.index }),
    });
    await api.run.finish.mutate({ runId: c.runId, status: 'finished' });
    await api.trial.finish.mutate(finishedClaim(c));
    return c;
  }

  beforeAll(async () => {
    stack = await startStack();
    ({ dashboard, page, api } = stack);
    const trials = augments.flatMap((augment) =>
      dropouts.map((dropout) => ({
        params: { augment, dropout },
        config: { augment, dropout, epochs: 5, weights: 'none' },
      })),
    );
    ({ id: sweepId } = await api.sweep.create.mutate({
      name: 'aug-vs-dropout',
      search: 'grid',
      spec: { params: { augment: {}, dropout: {} } },
      trials,
    }));
    // Trial i's ceiling rises with its index: the last one trained is the best.
    for (let i = 0; i < 5; i++) await trainOne(0.6 + i * 0.05);
  }, 300_000);

  afterAll(() => stack?.stop());

  it('lists the sweep with its progress', async () => {
    await page.goto(`${dashboard.url}/sweeps`);
    const row = page.locator('tr[data-sweep="aug-vs-dropout"]');
    await row.waitFor();
    expect(await row.locator('[data-testid="progress"]').textContent()).toContain('5/9 done');
  });

  it('shows progress, the best config and its command, what mattered, and pages trials', async () => {
    await page.goto(`${dashboard.url}/sweeps/${sweepId}`);
    const progress = page.locator('[data-testid="sweep-progress"]');
    await progress.waitFor();
    expect(await progress.textContent()).toContain('4 queued · 0 running · 5 done · 0 failed');
    const best = await page.locator('[data-testid="best-command"]').textContent();
    // Trial 4 (flip, dropout 0.3) had the highest ceiling.
    expect(best).toContain('pnpm train --augment flip --dropout 0.3 --epochs 5 --weights none');
    expect(await page.locator('[data-effects="dropout"] tr').count()).toBe(3);
    expect(await page.locator('[data-scatter="augment"] circle').count()).toBe(5);
    const rows = page.locator('[data-testid="trials-table"] tbody tr');
    expect(await rows.first().getAttribute('data-trial')).toBe('4');
    await page.getByRole('link', { name: /^augment/ }).click();
    await page.waitForURL(/sort=param%3Aaugment/);
    expect(await rows.first().locator('td').nth(2).textContent()).toMatch(/^(none|flip\+shift=4)$/);
    await page.goto(`${dashboard.url}/sweeps/${sweepId}?state=queued`);
    expect(await page.locator('[data-testid="trials-page"]').textContent()).toContain('(4 trials)');
  });

  it('updates live while the sweep runs', async () => {
    await page.goto(`${dashboard.url}/sweeps/${sweepId}`);
    const progress = page.locator('[data-testid="sweep-progress"]');
    await progress.waitFor();
    await trainOne(0.95);
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="sweep-progress"]')?.textContent?.includes('6 done'),
      undefined,
      { timeout: 20_000 },
    );
    expect(await progress.textContent()).toContain('3 queued');
  });
});
