/**
 * How long a real run's page takes to draw, against a tracker that already holds it (the
 * production build, headless chromium): six loads, the median of the last five. For a figure
 * on a run you trained, where the draw bench (bench/chart-draw.ts) seeds its own.
 *
 *   pnpm --filter @trainbook/dashboard exec tsx scripts/page-timing.ts \
 *     --tracker http://127.0.0.1:4000/trpc --run <run id>      (after `pnpm --filter @trainbook/dashboard build`)
 */
import { parseArgs } from 'node:util';
import { launchChromium, startDashboard } from '../e2e/harness';

const { values } = parseArgs({
  options: { tracker: { type: 'string' }, run: { type: 'string' }, loads: { type: 'string' } },
});
if (!values.tracker || !values.run) {
  throw new Error('page-timing: expected --tracker <url of a running tracker> and --run <run id>');
}
const loads = Number(values.loads ?? 6);
const dashboard = await startDashboard({ trackerUrl: values.tracker });
const browser = await launchChromium();
try {
  const rows: Array<{ ttfb: number; dcl: number; drawn: number }> = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/runs/${encodeURIComponent(values.run)}`, {
      waitUntil: 'commit',
    });
    for (const chart of ['accuracy', 'loss']) {
      await page.locator(`[data-chart="${chart}"][data-drawn-at]`).waitFor({ timeout: 60_000 });
    }
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const drawn = Math.max(
        ...[...document.querySelectorAll<HTMLElement>('[data-chart][data-drawn-at]')].map((e) =>
          Number(e.dataset.drawnAt),
        ),
      );
      return { ttfb: nav.responseStart, dcl: nav.domContentLoadedEventEnd, drawn };
    });
    rows.push(timing);
    console.log(`load ${i + 1}: ${JSON.stringify(timing)}`);
    await context.close();
  }
  const later = rows.slice(1);
  const median = (key: 'ttfb' | 'dcl' | 'drawn') => {
    const sorted = later.map((r) => r[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  console.log(
    `run page: median of ${later.length} loads after the first: charts drawn ${median('drawn').toFixed(0)} ms after navigation, HTML parsed ${median('dcl').toFixed(0)} ms, first byte ${median('ttfb').toFixed(0)} ms; first load drawn ${rows[0]!.drawn.toFixed(0)} ms`,
  );
} finally {
  await browser.close();
  await dashboard.stop();
}
