/**
 * The README's pictures, taken from a tracker holding real training runs (not the browser
 * suite's seeded ones): the production dashboard is started against it and each page shot
 * into docs/. `tracker-down.png` stays with the browser suite, which stops its own tracker.
 *
 *   TRACKER_URL=http://127.0.0.1:4100/trpc pnpm --filter @trainbook/dashboard screenshots
 *
 * Needs a production build (`pnpm --filter @trainbook/dashboard build`). The run shown is the
 * newest finished run, or RUN_ID; the compare picture takes the two newest finished runs, the
 * sweep picture the newest sweep (run one with pnpm sweep and pnpm worker first).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { client, launchChromium, startDashboard } from '../e2e/harness';

const trackerUrl = process.env.TRACKER_URL ?? 'http://127.0.0.1:4100/trpc';
const docsDir = join(import.meta.dirname, '..', '..', '..', 'docs');
const api = client(trackerUrl);

let finished: Awaited<ReturnType<typeof api.run.list.query>>['items'];
try {
  ({ items: finished } = await api.run.list.query({ status: ['finished'], limit: 10 }));
} catch (error) {
  console.error(`The tracker at ${trackerUrl} is not answering (${(error as Error).message}).`);
  process.exit(1);
}
const runId = process.env.RUN_ID ?? finished[0]?.id;
if (!runId) {
  console.error(`No finished run at ${trackerUrl}: train one first (pnpm train …), or set RUN_ID.`);
  process.exit(1);
}

mkdirSync(docsDir, { recursive: true });
const dashboard = await startDashboard({ trackerUrl });
const browser = await launchChromium();
const shoot = async (page: Page, name: string, fullPage = true) => {
  await page.screenshot({ path: join(docsDir, name), fullPage });
  console.log(`docs/${name}`);
};
const runPage = async (page: Page) => {
  await page.goto(`${dashboard.url}/runs/${runId}`);
  await page.locator('[data-chart="loss"][data-drawn-at]').waitFor({ timeout: 30_000 });
  await page.locator('section[aria-label="Insights"]').waitFor();
};
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);

  await page.goto(dashboard.url);
  await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
  await shoot(page, 'runs.png');

  await runPage(page);
  const batches = page.getByLabel('Per-batch curves');
  if (await batches.count()) {
    await batches.check();
    await page.locator('[data-chart="batch-loss"][data-drawn-at]').waitFor();
  }
  await shoot(page, 'run.png');
  await page.locator('section[aria-label="Insights"]').screenshot({
    path: join(docsDir, 'insights.png'),
  });
  console.log('docs/insights.png');

  await page.goto(`${dashboard.url}/notebook`);
  await page.locator('[data-notebook-run]').first().waitFor();
  await shoot(page, 'notebook.png');

  if (finished.length >= 2) {
    const [a, b] = finished;
    await page.goto(`${dashboard.url}/compare?runs=${a!.id},${b!.id}`);
    await page.locator('[data-chart="accuracy"][data-drawn-at]').waitFor();
    await shoot(page, 'compare.png');
  } else {
    console.log('docs/compare.png left as it was: the tracker holds one finished run.');
  }

  const [sweep] = (await api.sweep.list.query({ limit: 1 })).items;
  if (sweep) {
    await page.goto(`${dashboard.url}/sweeps/${sweep.id}`);
    await page.locator('[data-testid="sweep-progress"]').waitFor();
    await page.locator('[data-testid="trials-table"] tbody tr').first().waitFor();
    await shoot(page, 'sweep.png');
  } else {
    console.log('docs/sweep.png left as it was: the tracker holds no sweep.');
  }

  const dark = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    colorScheme: 'dark',
  });
  const darkPage = await dark.newPage();
  await runPage(darkPage);
  await shoot(darkPage, 'run-dark.png', false);

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phonePage = await phone.newPage();
  await runPage(phonePage);
  await shoot(phonePage, 'run-phone.png');
} finally {
  await browser.close();
  await dashboard.stop();
}
