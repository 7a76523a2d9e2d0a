import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackerClient } from '@trainbook/api/client';
import { postgresUnavailable } from '@trainbook/db/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchPoints, countColourPixels, epochPoints, startStack } from './harness';

// The README's other pictures come from real runs: scripts/screenshots.ts.
// biome-ignore lint/style/noProcessEnv: opt-in refresh of the README's tracker-down picture
const screenshots = process.env.TRAINBOOK_SCREENSHOTS === '1';
const docsDir = join(import.meta.dirname, '..', '..', '..', 'docs');
const blue = [37, 99, 235];
const orange = [249, 115, 22];

describe.skipIf(postgresUnavailable)(
  'dashboard in chromium, over the real tracker and Postgres',
  () => {
    let stack: Awaited<ReturnType<typeof startStack>>;
    let dashboard: typeof stack.dashboard;
    let page: Page;
    let api: TrackerClient;
    const ids: Record<string, string> = {};

    const pixels = (chart: string, rgb: number[]) =>
      page.evaluate(
        `${countColourPixels}(${JSON.stringify([`[data-chart="${chart}"]`, rgb])})`,
      ) as Promise<number>;
    const shot = async (name: string) => {
      if (!screenshots) return;
      mkdirSync(docsDir, { recursive: true });
      await page.screenshot({ path: join(docsDir, name), fullPage: true });
    };

    beforeAll(async () => {
      stack = await startStack();
      ({ dashboard, page, api } = stack);
      const seed = async (
        name: string,
        options: {
          tags: string[];
          params: Record<string, string | number | boolean>;
          epochs: number;
          ceiling: number;
          finish: boolean;
          notes?: string;
        },
      ) => {
        const { run } = await api.run.create.mutate({
          name,
          tags: options.tags,
          params: options.params,
          env: {
            backend: 'tfjs-wasm',
            tfjs: '4.22.0',
            node: '20.20.0',
            gitCommit: '59e6a47',
            seed: 42,
          },
          notes: options.notes ?? '',
        });
        await api.metric.logBatch.mutate({
          runId: run.id,
          points: epochPoints({
            from: 0,
            to: options.epochs,
            ceiling: options.ceiling,
            seed: name.length,
          }),
        });
        if (options.finish) {
          const best = options.ceiling - 0.03;
          await api.run.finish.mutate({
            runId: run.id,
            status: 'finished',
            summary: {
              bestEpoch: options.epochs - 1,
              bestValAccuracy: best,
              epochs: options.epochs,
            },
          });
        }
        ids[name] = run.id;
        return run.id;
      };
      const base = {
        epochs: 12,
        batchSize: 64,
        optimizer: 'adam',
        lr: 0.0001,
        trainableFrom: 'block5_conv1',
        denseUnits: 256,
        dropout: 0.5,
        augment: true,
      };
      await seed('adam-baseline', {
        tags: ['baseline'],
        params: base,
        epochs: 12,
        ceiling: 0.88,
        finish: true,
        notes: '# Baseline\nFrozen VGG16 up to **block5**; <script>alert(1)</script> no raw HTML.',
      });
      await seed('adam-lr-1e-3', {
        tags: ['baseline', 'lr-sweep'],
        params: { ...base, lr: 0.001 },
        epochs: 12,
        ceiling: 0.84,
        finish: true,
      });
      await seed('sgd-momentum', {
        tags: ['sgd'],
        params: { ...base, optimizer: 'sgd' },
        epochs: 10,
        ceiling: 0.8,
        finish: true,
      });
      // A run stopped with Ctrl-C: the table says so, and why.
      const { run: killed } = await api.run.create.mutate({ name: 'adam-killed', params: base });
      await api.metric.logBatch.mutate({
        runId: killed.id,
        points: epochPoints({ from: 0, to: 4 }),
      });
      await api.run.finish.mutate({
        runId: killed.id,
        status: 'killed',
        reason: 'SIGINT at epoch 4',
      });
      ids['adam-killed'] = killed.id;
      await api.metric.logBatch.mutate({
        runId: ids['adam-baseline']!,
        points: batchPoints({ epochs: 12, batchesPerEpoch: 200 }),
      });
      const matrixClasses = [
        'airplane',
        'automobile',
        'bird',
        'cat',
        'deer',
        'dog',
        'frog',
        'horse',
        'ship',
        'truck',
      ];
      const matrix = matrixClasses.map((_, i) =>
        matrixClasses.map((__, j) => (i === j ? 850 + i * 5 : (i * 7 + j * 3) % 30)),
      );
      await api.artifact.register.mutate({
        runId: ids['adam-baseline']!,
        kind: 'confusion_matrix',
        name: 'confusion-matrix.json',
        contentBase64: Buffer.from(JSON.stringify({ classes: matrixClasses, matrix })).toString(
          'base64',
        ),
      });
      await api.artifact.register.mutate({
        runId: ids['adam-baseline']!,
        kind: 'per_class_accuracy',
        name: 'per-class-accuracy.json',
        contentBase64: Buffer.from(
          JSON.stringify({
            classes: matrixClasses,
            accuracy: matrix.map((row, i) => row[i]! / row.reduce((a, b) => a + b, 0)),
          }),
        ).toString('base64'),
      });
      for (const [name, colour] of [
        ['baseline', '#2563eb'],
        ['lr-sweep', '#9333ea'],
        ['sgd', '#16a34a'],
      ] as const) {
        await api.tag.update.mutate({ name, colour });
      }
    });

    afterAll(() => stack?.stop());

    it('lists the runs and filters them by tag, keeping the filter in the URL', async () => {
      await page.goto(dashboard.url);
      await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
      expect(await page.locator('[data-testid="runs-table"] tbody tr').count()).toBe(4);
      const killedRow = page.locator(`tr[data-run="${ids['adam-killed']}"]`);
      expect(await killedRow.locator('[data-status="killed"]').textContent()).toBe('killed');
      expect(await killedRow.textContent()).toContain('SIGINT at epoch 4');
      expect(
        await page.locator(`tr[data-run="${ids['adam-baseline']}"] td`).nth(6).textContent(),
      ).toBe('adam');
      await page.selectOption('select[name="tag"]', ['baseline']);
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/tag=baseline/);
      await expect.poll(() => page.locator('[data-testid="runs-table"] tbody tr').count()).toBe(2);
      await page.reload();
      const names = await page
        .locator('[data-testid="runs-table"] tbody tr td:nth-child(2)')
        .allTextContents();
      expect(names.sort()).toEqual(['adam-baseline', 'adam-lr-1e-3']);
    });

    it('sorts by a column from its header', async () => {
      await page.goto(`${dashboard.url}/?sort=bestValAccuracy&dir=asc`);
      const names = await page
        .locator('[data-testid="runs-table"] tbody tr td:nth-child(2)')
        .allTextContents();
      // A run without a best val accuracy sorts last either way.
      expect(names).toEqual(['sgd-momentum', 'adam-lr-1e-3', 'adam-baseline', 'adam-killed']);
      await page.getByRole('link', { name: /^Name/ }).click();
      await page.waitForURL(/sort=name/);
      await expect
        .poll(() =>
          page.locator('[data-testid="runs-table"] tbody tr td:nth-child(2)').allTextContents(),
        )
        .toEqual(['sgd-momentum', 'adam-lr-1e-3', 'adam-killed', 'adam-baseline']);
    });

    it('draws both charts on the run page with one point per epoch', async () => {
      await page.goto(`${dashboard.url}/runs/${ids['adam-baseline']}`);
      for (const chart of ['accuracy', 'loss']) {
        await page.locator(`[data-chart="${chart}"][data-drawn-at]`).waitFor();
        expect(await page.getAttribute(`[data-chart="${chart}"]`, 'data-points')).toBe('12');
        expect(await pixels(chart, blue)).toBeGreaterThan(100);
        expect(await pixels(chart, orange)).toBeGreaterThan(100);
      }
      // Hovering an epoch shows its exact values in the legend.
      const over = (await page.locator('[data-chart="accuracy"] .u-over').boundingBox())!;
      await page.mouse.move(over.x + over.width - 1, over.y + over.height / 2);
      const last = (
        await api.metric.series.query({ runIds: [ids['adam-baseline']!], keys: ['val_accuracy'] })
      )[0]!.points.at(-1)!;
      await expect
        .poll(() =>
          page
            .locator('[data-chart="accuracy"] .u-legend .u-series')
            .nth(2)
            .locator('.u-value')
            .textContent(),
        )
        .toBe(String(Number(last.value.toPrecision(6))));
      // Notes are markdown, and raw HTML in them is not rendered.
      expect(await page.locator('section[aria-label="Notes"] h1').textContent()).toBe('Baseline');
      expect(await page.locator('section[aria-label="Notes"] script').count()).toBe(0);
      expect(await page.locator('[data-testid="confusion-matrix"] tbody tr').count()).toBe(10);
      await page.getByLabel('Per-batch curves').check();
      await page.locator('[data-chart="batch-loss"][data-drawn-at]').waitFor();
      // 2,400 batches come back bucketed to 600 points (width 4) for the first paint.
      expect(await page.getAttribute('[data-chart="batch-loss"]', 'data-points')).toBe('600');
    });

    it('zooms by dragging, re-fetching the visible steps at full resolution', async () => {
      await page.goto(`${dashboard.url}/runs/${ids['adam-baseline']}`);
      await page.getByLabel('Per-batch curves').check();
      await page.locator('[data-chart="batch-loss"][data-drawn-at]').waitFor();
      const box = (await page.locator('[data-chart="batch-loss"] .u-over').boundingBox())!;
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * 0.25, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
      await page.mouse.up();
      const reset = page.getByRole('button', { name: /Reset zoom/ });
      await reset.waitFor();
      const [from, to] = (await reset.textContent())!
        .match(/(\d+)–(\d+)/)!
        .slice(1)
        .map(Number);
      // Every logged batch in the range, not the ~150 buckets it had before.
      await expect
        .poll(async () =>
          Number(await page.getAttribute('[data-chart="batch-loss"]', 'data-points')),
        )
        .toBe(to! - from! + 1);
      expect(to! - from!).toBeGreaterThan(400);
      await reset.click();
      await expect
        .poll(() => page.getAttribute('[data-chart="batch-loss"]', 'data-points'))
        .toBe('600');
    });

    it('exports every point as CSV and downloads an inline model file', async () => {
      const runId = ids['adam-baseline']!;
      const csv = await page.request.get(`${dashboard.url}/runs/${runId}/export?format=csv`);
      expect(csv.headers()['content-disposition']).toBe('attachment; filename="adam-baseline.csv"');
      const lines = (await csv.text()).trim().split('\n');
      expect(lines[0]).toBe('key,step,epoch,value,wall_time');
      // 12 epochs × 5 epoch keys, and 2,400 batches × 2 batch keys.
      expect(lines.length - 1).toBe(12 * 5 + 2400 * 2);
      const json = await page.request.get(`${dashboard.url}/runs/${runId}/export?format=json`);
      expect((await json.json()).run.name).toBe('adam-baseline');

      const weights = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
      await api.artifact.register.mutate({
        runId,
        kind: 'model',
        name: 'model.weights.bin',
        contentBase64: weights.toString('base64'),
      });
      await page.goto(`${dashboard.url}/runs/${runId}`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download model.weights.bin' }).click(),
      ]);
      const path = await download.path();
      expect(readFileSync(path)).toEqual(weights);
    });

    it('adds a new coloured tag and removes it, both surviving a reload', async () => {
      await page.goto(`${dashboard.url}/runs/${ids['sgd-momentum']}`);
      await page.getByLabel('Tag name').fill('keeper');
      await page.getByLabel('New tag colour').fill('#16a34a');
      await page.getByRole('button', { name: 'Create tag' }).click();
      await page.locator('[data-testid="run-tags"] [data-tag="keeper"]').waitFor();
      expect((await api.tag.list.query()).find((t) => t.name === 'keeper')?.colour).toBe('#16a34a');
      await page.reload();
      await page.locator('[data-testid="run-tags"] [data-tag="keeper"]').waitFor();
      expect(
        (await api.run.get.query({ runId: ids['sgd-momentum']! })).tags.map((t) => t.name).sort(),
      ).toEqual(['keeper', 'sgd']);
      await page.getByRole('button', { name: 'Remove tag keeper' }).click();
      await page
        .locator('[data-testid="run-tags"] [data-tag="keeper"]')
        .waitFor({ state: 'detached' });
      await page.reload();
      await page.locator('[data-testid="run-tags"] [data-tag="sgd"]').waitFor();
      expect(await page.locator('[data-testid="run-tags"] [data-tag="keeper"]').count()).toBe(0);
    });

    it('shows points logged in the background within 2 s, without a reload', async () => {
      const { run } = await api.run.create.mutate({ name: 'live-run', params: { epochs: 6 } });
      await api.metric.logBatch.mutate({ runId: run.id, points: epochPoints({ from: 0, to: 3 }) });
      await page.goto(`${dashboard.url}/runs/${run.id}`);
      await page.locator('[data-live="connected"]').waitFor();
      expect(await page.getAttribute('[data-chart="accuracy"]', 'data-points')).toBe('3');
      const loggedAt = Date.now();
      await api.metric.logBatch.mutate({ runId: run.id, points: epochPoints({ from: 3, to: 6 }) });
      await page.waitForFunction(
        () =>
          document.querySelector('[data-chart="accuracy"]')?.getAttribute('data-points') === '6',
        undefined,
        { timeout: 2000 },
      );
      expect(Date.now() - loggedAt).toBeLessThan(2000);
      expect(await page.getAttribute('[data-chart="loss"]', 'data-points')).toBe('6');
    });

    it('adds a run started elsewhere to the open runs table, with its live badge', async () => {
      await page.goto(dashboard.url);
      await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
      const before = await page.locator('[data-testid="runs-table"] tbody tr').count();
      const { run } = await api.run.create.mutate({ name: 'started-elsewhere' });
      const row = page.locator(`tr[data-run="${run.id}"]`);
      // Pushed over SSE, no reload; generous, as CI machines are busy.
      await row.waitFor({ timeout: 10_000 });
      expect(await row.locator('[data-status="running"]').textContent()).toContain('live');
      expect(await page.locator('[data-testid="runs-table"] tbody tr').count()).toBe(before + 1);
    });

    it('compares two runs on the same charts and highlights the differing param', async () => {
      const a = ids['adam-baseline']!;
      const b = ids['adam-lr-1e-3']!;
      await page.goto(`${dashboard.url}/compare?runs=${a},${b}`);
      await page.locator('[data-chart="accuracy"][data-drawn-at]').waitFor();
      expect(await page.locator('[aria-label="Legend"] [data-legend]').count()).toBe(2);
      // uPlot's own legend: the x column and each run's validation curve...
      const legendRows = () => page.locator('[data-chart="accuracy"] .u-legend .u-series').count();
      expect(await legendRows()).toBe(3);
      // ...and its training curve, on demand.
      await page.getByLabel('Training curves').check();
      await expect.poll(legendRows).toBe(5);
      expect(await pixels('accuracy', blue)).toBeGreaterThan(100);
      expect(await pixels('accuracy', orange)).toBeGreaterThan(100);
      const differing = await page
        .locator('[data-testid="params-diff"] tr:has(td[data-differs])')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-param')));
      expect(differing).toEqual(['lr']);
      // The runs are read in one call: a run that does not exist is named, not skipped.
      await page.goto(`${dashboard.url}/compare?runs=${b},no-such-run,${a}`);
      const alert = page.getByRole('alert').filter({ hasText: 'No run with id' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('No run with id "no-such-run".');
      // And the compared runs keep the order the address gives.
      await page.goto(`${dashboard.url}/compare?runs=${b},${a}`);
      await page.locator('[data-chart="accuracy"][data-drawn-at]').waitFor();
      expect(
        await page
          .locator('[aria-label="Legend"] [data-legend]')
          .evaluateAll((items) => items.map((i) => i.getAttribute('data-legend'))),
      ).toEqual([b, a]);
    });

    it('explains an overfitting run, marks its onset and accepts the suggested tag in one click', async () => {
      const { run } = await api.run.create.mutate({
        name: 'seed-overfits',
        params: {
          optimizer: 'rmsprop',
          lr: 0.001,
          dropout: 0,
          augment: 'none',
          trainableFrom: 'block5_conv1',
        },
      });
      // The seed's shape: training accuracy 0.6 → 0.99, validation stuck near 0.6, val loss rising from epoch 3.
      const points = [];
      for (let e = 1; e <= 12; e++) {
        points.push(
          { key: 'accuracy', step: e, epoch: e, value: 0.6 + (0.39 * (e - 1)) / 11 },
          { key: 'loss', step: e, epoch: e, value: 1.2 * 0.85 ** e },
          { key: 'val_accuracy', step: e, epoch: e, value: 0.6 + 0.01 * Math.sin(e) },
          {
            key: 'val_loss',
            step: e,
            epoch: e,
            value: e <= 2 ? 1.1 - 0.05 * e : 1 + 0.08 * (e - 2),
          },
        );
      }
      // Two epochs in: too early to tell, and said so.
      await api.metric.logBatch.mutate({ runId: run.id, points: points.slice(0, 8) });
      await page.goto(`${dashboard.url}/runs/${run.id}`);
      const verdict = page.locator('[data-verdict]');
      await verdict.waitFor();
      expect(await verdict.getAttribute('data-verdict')).toBe('too_early');
      expect(await verdict.textContent()).toContain('Too early to tell.');
      expect(await verdict.textContent()).toContain('2 of the 5 epochs');
      expect(await page.locator('[data-finding="overfitting"]').count()).toBe(0);

      await api.metric.logBatch.mutate({ runId: run.id, points });
      await page.reload();
      const finding = page.locator('[data-finding="overfitting"]');
      await finding.waitFor();
      expect(await verdict.getAttribute('data-verdict')).toBe('overfitting');
      // The onset: the last epoch at the bottom of the smoothed validation loss.
      expect(await finding.textContent()).toContain('from epoch 3');
      expect(await finding.textContent()).toContain('pnpm train --dropout 0.5');
      expect(await finding.textContent()).toContain('expect: ');
      await page.waitForFunction(
        () =>
          document.querySelector('[data-chart="accuracy"]')?.getAttribute('data-marker') === '3',
      );
      // The smoothed curve the onset was read from is drawn on the loss chart (its legend).
      await page.waitForFunction(() =>
        document
          .querySelector('[data-chart="loss"]')
          ?.closest('figure')
          ?.textContent?.includes('val_loss smoothed'),
      );
      await finding.getByRole('button', { name: 'Tag “overfitting”' }).click();
      await page.locator('[data-testid="run-tags"] [data-tag="overfitting"]').waitFor();
      await page.reload();
      await page.locator('[data-testid="run-tags"] [data-tag="overfitting"]').waitFor();
      expect(await finding.textContent()).toContain('tagged overfitting');
      expect((await api.run.get.query({ runId: run.id })).tags.map((t) => t.name)).toEqual([
        'overfitting',
      ]);

      // The notebook lists it, with what changed since the run before it; tag notes save.
      await page.goto(`${dashboard.url}/notebook`);
      const entry = page.locator('[data-notebook-run="seed-overfits"]');
      await entry.waitFor();
      expect(await entry.textContent()).toContain('overfitting');
      expect(await entry.locator('[data-testid="change"]').textContent()).toMatch(
        /dropout|optimizer|lr/,
      );
      await page
        .getByLabel('Notes on tag overfitting')
        .fill('train up, val stuck: augment and dropout');
      await page
        .getByLabel('Notes on tag overfitting')
        .locator('xpath=..')
        .getByRole('button', { name: 'Save' })
        .click();
      await expect
        .poll(async () => (await api.tag.list.query()).find((t) => t.name === 'overfitting')?.notes)
        .toBe('train up, val stuck: augment and dropout');
    });

    it('says the tracker is down, and recovers on retry', async () => {
      await stack.tracker.stop();
      await page.goto(dashboard.url);
      const alert = page.locator('[role="alert"]', { hasText: 'Cannot load' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('The tracker is not answering');
      await shot('tracker-down.png');
      await stack.restartTracker();
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
    });

    it('can be used from the keyboard alone', async () => {
      await page.goto(`${dashboard.url}/runs/${ids['sgd-momentum']}`);
      // Tab only once the page is hydrated: the charts have drawn (an effect) and the insights'
      // buttons, disabled until hydration, are enabled. Before that, tab stops appear under
      // the keys and a hydration pass can drop the focus (seen on a busy machine).
      await page.waitForFunction(
        () =>
          document.querySelector('[data-chart="accuracy"][data-drawn-at]') != null &&
          document.querySelector('section[aria-label="Insights"]') != null &&
          ![
            ...document.querySelectorAll<HTMLButtonElement>(
              'section[aria-label="Insights"] button',
            ),
          ].some((b) => b.disabled),
      );
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
        'Skip to content',
      );
      for (let i = 0; i < 100; i++) {
        if (
          (await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) ===
          'Tag name'
        )
          break;
        await page.keyboard.press('Tab');
      }
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
        'Tag name',
      );
      await page.keyboard.type('by-keyboard');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="run-tags"] [data-tag="by-keyboard"]').waitFor();
    });

    it('follows a dark system colour scheme', async () => {
      const context = await stack.browser.newContext({
        viewport: { width: 1280, height: 900 },
        colorScheme: 'dark',
      });
      const dark = await context.newPage();
      await dark.goto(`${dashboard.url}/runs/${ids['adam-baseline']}`);
      await dark.locator('[data-chart="accuracy"][data-drawn-at]').waitFor();
      const background = await dark.evaluate(
        () => getComputedStyle(document.documentElement).backgroundColor,
      );
      expect(background).toBe('rgb(9, 9, 11)');
      await context.close();
    });

    it('is usable at phone width', async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${dashboard.url}/runs/${ids['adam-baseline']}`);
      await page.locator('[data-chart="accuracy"][data-drawn-at]').waitFor();
      const chartWidth = () =>
        page.locator('[data-chart="accuracy"] .uplot').evaluate((e) => e.clientWidth);
      const wide = await chartWidth();
      // A window made narrower redraws the charts at the new width.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(chartWidth).toBeLessThan(390);
      expect(wide).toBeGreaterThan(390);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      if (overflow > 0) {
        const wide = await page.evaluate(() =>
          [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 8)
            .map(
              (e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`,
            ),
        );
        console.log(wide.join('\n'));
      }
      expect(overflow).toBeLessThanOrEqual(0);
    });
  },
);
