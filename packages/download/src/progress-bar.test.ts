import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DownloadEvent } from './events.js';
import { createProgressBar } from './progress-bar.js';

function capture(isTTY: boolean) {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  return { stream, output: () => text };
}

const url = 'http://127.0.0.1:9/cifar.tar.gz';
const total = 200_000_000;

/** The event stream of a long download: start, 2,000 progress updates, done. */
function longDownload(): DownloadEvent[] {
  const events: DownloadEvent[] = [
    { type: 'start', url, path: '/c/cifar.tar.gz', attempt: 1, resumeFrom: 0, totalBytes: total },
  ];
  for (let i = 1; i <= 2000; i += 1) {
    events.push({
      type: 'progress',
      url,
      receivedBytes: Math.round((total * i) / 2000),
      totalBytes: total,
    });
  }
  events.push({ type: 'done', url, path: '/c/cifar.tar.gz', bytes: total, seconds: 12.34 });
  return events;
}

describe('createProgressBar', () => {
  it('writes only a few plain lines when the output is not a terminal', () => {
    const { stream, output } = capture(false);
    const onProgress = createProgressBar({ label: 'cifar.tar.gz', stream });
    for (const event of longDownload()) onProgress(event);
    const lines = output().trimEnd().split('\n');
    expect(lines).toEqual([
      `cifar.tar.gz: downloading ${url} (200.0 MB)`,
      'cifar.tar.gz: 25% (50.0 MB of 200.0 MB)',
      'cifar.tar.gz: 50% (100.0 MB of 200.0 MB)',
      'cifar.tar.gz: 75% (150.0 MB of 200.0 MB)',
      'cifar.tar.gz: 200.0 MB in 12.3 s, verified',
    ]);
    expect(output()).not.toContain('\u001b[');
  });

  it('reports retries and resumes in plain lines', () => {
    const { stream, output } = capture(false);
    const onProgress = createProgressBar({ label: 'w.h5', stream });
    onProgress({
      type: 'retry',
      url,
      attempt: 1,
      maxAttempts: 5,
      delayMs: 1000,
      reason: 'stopped after 10 bytes',
      receivedBytes: 10,
    });
    onProgress({
      type: 'start',
      url,
      path: '/w.h5',
      attempt: 2,
      resumeFrom: 60_000_000,
      totalBytes: 100_000_000,
    });
    onProgress({ type: 'progress', url, receivedBytes: 70_000_000, totalBytes: 100_000_000 });
    expect(output().trimEnd().split('\n')).toEqual([
      'w.h5: stopped after 10 bytes; retrying in 1.0 s (attempt 2 of 5)',
      `w.h5: downloading ${url} (100.0 MB, resuming at 60.0 MB)`,
    ]);
  });

  it('draws a live bar on a terminal and ends on the summary line', () => {
    const { stream, output } = capture(true);
    const onProgress = createProgressBar({ label: 'cifar.tar.gz', stream });
    for (const event of longDownload()) onProgress(event);
    const text = output();
    expect(text).toContain('\u001b[');
    expect(text).toContain('cifar.tar.gz [');
    expect(text).toContain('100% | 200.0 MB of 200.0 MB');
    expect(text.trimEnd().endsWith('cifar.tar.gz: 200.0 MB in 12.3 s, verified')).toBe(true);
  });
});
