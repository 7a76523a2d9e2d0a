import { postgresUnavailable } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from './harness';

describe.skipIf(postgresUnavailable)('tags page in chromium, over the real tracker', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  const runIds: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    for (const [name, tags] of [
      ['tagged-a', ['sweep', 'doomed']],
      ['tagged-b', ['sweep']],
    ] as const) {
      const { run } = await stack.api.run.create.mutate({ name, tags: [...tags] });
      runIds.push(run.id);
    }
    await stack.api.tag.update.mutate({ name: 'sweep', colour: '#2563eb' });
  });
  afterAll(() => stack?.stop());

  const tagsOf = async (runId: string) =>
    (await stack.api.run.get.query({ runId })).tags.map((t) => [t.name, t.colour]);

  it('renames a tag on every run that carries it', async () => {
    const { page, dashboard, api } = stack;
    await page.goto(`${dashboard.url}/tags`);
    const row = page.locator('[data-tag-row="sweep"]');
    expect(await row.getByRole('link').textContent()).toBe('2 runs');
    await page.getByLabel('Name of tag sweep').fill('lr-sweep');
    await row.getByRole('button', { name: 'Rename' }).click();
    await page.locator('[data-tag-row="lr-sweep"]').waitFor();
    expect((await api.tag.list.query()).map((t) => t.name).sort()).toEqual(['doomed', 'lr-sweep']);
    expect(await tagsOf(runIds[1]!)).toEqual([['lr-sweep', '#2563eb']]);
    // A name that is taken is refused, and says so.
    await page.getByLabel('Name of tag lr-sweep').fill('doomed');
    await page.locator('[data-tag-row="lr-sweep"]').getByRole('button', { name: 'Rename' }).click();
    expect(await page.locator('[data-tag-row="lr-sweep"] [role="alert"]').textContent()).toContain(
      'exists already',
    );
  });

  it('recolours a tag, and its chips on a run page follow', async () => {
    const { page, dashboard, api } = stack;
    await page.goto(`${dashboard.url}/tags`);
    await page.getByLabel('Colour of tag lr-sweep').fill('#16a34a');
    await expect
      .poll(async () => (await api.tag.list.query()).find((t) => t.name === 'lr-sweep')?.colour)
      .toBe('#16a34a');
    await page.goto(`${dashboard.url}/runs/${runIds[0]}`);
    const dot = page.locator('[data-testid="run-tags"] [data-tag="lr-sweep"] span').first();
    expect(await dot.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(22, 163, 74)');
  });

  it('deletes a tag after asking, taking it off its runs and keeping the runs', async () => {
    const { page, dashboard, api } = stack;
    await page.goto(`${dashboard.url}/tags`);
    await page.getByRole('button', { name: 'Delete tag doomed' }).click();
    const row = page.locator('[data-tag-row="doomed"]');
    expect(await row.textContent()).toContain('take it off 1 run?');
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await api.tag.list.query()).map((t) => t.name)).toEqual(['lr-sweep']);
    expect(await tagsOf(runIds[0]!)).toEqual([['lr-sweep', '#16a34a']]);
    await page.reload();
    expect(await page.locator('[data-tag-row]').count()).toBe(1);
  });
});
