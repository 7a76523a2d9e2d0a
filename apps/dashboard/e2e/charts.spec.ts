import { postgresUnavailable } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from './harness';

/** Pixels of this colour drawn translucent (alpha 30–80 of 255): the band, not the line. */
const translucentPixels = `(([selector, rgb]) => {
  const canvas = document.querySelector(selector + ' canvas');
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] >= 30 && data[i + 3] <= 80 && Math.abs(data[i] - rgb[0]) < 12 && Math.abs(data[i + 1] - rgb[1]) < 12 && Math.abs(data[i + 2] - rgb[2]) < 12) n++;
  }
  return n;
})`;
const blue = [37, 99, 235];

describe.skipIf(postgresUnavailable)('run page charts and fields in chromium', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let runId: string;

  beforeAll(async () => {
    stack = await startStack();
    // A run that learns nothing, as with random weights: loss flat at ln 10 ≈ 2.3026.
    const { run } = await stack.api.run.create.mutate({
      name: 'flat-loss',
      params: { lr: 0.001, augment: { flip: true, shift: 0.1 }, tag: [] },
      env: {
        git: { commit: 'abc1234', dirty: false },
        versions: { tfjs: '4.22.0', node: '20.20.2' },
        weights: { path: null, source: 'none (random initialisation)' },
      },
    });
    runId = run.id;
    const points = [];
    for (let e = 0; e < 12; e++) {
      const wobble = Math.sin(e * 1.3) * 0.0004;
      points.push(
        { key: 'loss', step: e, epoch: e, value: Math.LN10 + wobble },
        { key: 'val_loss', step: e, epoch: e, value: Math.LN10 + 0.0001 - wobble },
        { key: 'accuracy', step: e, epoch: e, value: 0.1 + wobble },
        { key: 'val_accuracy', step: e, epoch: e, value: 0.1 - wobble },
      );
    }
    // 3,000 noisy batches: more than the chart's first paint takes, so they come bucketed.
    for (let step = 0; step < 3000; step++) {
      points.push({ key: 'batch/loss', step, value: 2.3 + Math.sin(step * 12.9898) * 0.3 });
    }
    await stack.api.metric.logBatch.mutate({ runId, points });
  });
  afterAll(() => stack?.stop());

  it('labels y ticks with enough digits to tell a flat curve’s ticks apart', async () => {
    const { page, dashboard } = stack;
    await page.goto(`${dashboard.url}/runs/${runId}`);
    await page.locator('[data-chart="loss"][data-drawn-at]').waitFor();
    const ticks = (await page.getAttribute('[data-chart="loss"]', 'data-y-ticks'))!.split(' ');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const t of ticks) expect(Number(t)).toBeCloseTo(Math.LN10, 2);
  });

  it('puts the onset label above the plot, clear of the ticks and curves', async () => {
    const { page, dashboard, api } = stack;
    // An overfitting run (val_loss bottoms out at epoch 6, then climbs): its onset is marked.
    const { run } = await api.run.create.mutate({ name: 'overfits', params: { lr: 0.001 } });
    const points = [];
    for (let e = 1; e <= 16; e++) {
      points.push(
        { key: 'loss', step: e, epoch: e, value: 2 * Math.exp(-0.25 * e) },
        { key: 'val_loss', step: e, epoch: e, value: 1.2 + 0.02 * (e - 6) ** 2 },
        { key: 'accuracy', step: e, epoch: e, value: Math.min(0.99, 0.3 + 0.05 * e) },
        { key: 'val_accuracy', step: e, epoch: e, value: 0.55 + 0.01 * Math.min(e, 6) },
      );
    }
    await api.metric.logBatch.mutate({ runId: run.id, points });
    await page.goto(`${dashboard.url}/runs/${run.id}`);
    await page.waitForFunction(
      () => document.querySelector('[data-chart="loss"]')?.getAttribute('data-marker') != null,
    );
    const [left, , bottom, plotTop] = (await page.getAttribute(
      '[data-chart="loss"]',
      'data-marker-label',
    ))!
      .split(' ')
      .map(Number);
    expect(bottom).toBeLessThanOrEqual(plotTop!);
    expect(left).toBeGreaterThanOrEqual(0);
  });

  it('draws a bucketed series as a min–max band behind its line, and a raw one without', async () => {
    const { page, dashboard } = stack;
    await page.goto(`${dashboard.url}/runs/${runId}`);
    await page.getByLabel('Per-batch curves').check();
    await page.locator('[data-chart="batch-loss"][data-drawn-at]').waitFor();
    // 3,000 steps in buckets of 8.
    expect(await page.getAttribute('[data-chart="batch-loss"]', 'data-points')).toBe('375');
    expect(await page.getAttribute('[data-chart="batch-loss"]', 'data-bands')).toBe('1');
    expect(await page.getAttribute('[data-chart="loss"]', 'data-bands')).toBe('0');
    const band = (chart: string) =>
      page.evaluate(
        `${translucentPixels}(${JSON.stringify([`[data-chart="${chart}"]`, blue])})`,
      ) as Promise<number>;
    expect(await band('batch-loss')).toBeGreaterThan(5000);
    expect(await band('loss')).toBeLessThan(500);
  });

  it('shows nested params and env values as dotted fields, not JSON text', async () => {
    const { page, dashboard } = stack;
    await page.goto(`${dashboard.url}/runs/${runId}`);
    const env = page.locator('section[aria-label="Environment"]');
    expect(await env.locator('[data-field="git.commit"] td').textContent()).toBe('abc1234');
    expect(await env.locator('[data-field="versions.tfjs"] td').textContent()).toBe('4.22.0');
    expect(await env.locator('[data-field="weights.source"] td').textContent()).toBe(
      'none (random initialisation)',
    );
    const params = page.locator('section[aria-label="Params"]');
    expect(await params.locator('[data-field="augment.shift"] td').textContent()).toBe('0.1');
    expect(await params.locator('[data-field="tag"] td').textContent()).toBe('none');
    const cells = await page
      .locator('section[aria-label="Params"] td, section[aria-label="Environment"] td')
      .allTextContents();
    expect(cells.filter((c) => c.startsWith('{') || c.startsWith('['))).toEqual([]);
  });
});
