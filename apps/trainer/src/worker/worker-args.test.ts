import { describe, expect, it } from 'vitest';
import { defaultTrackerUrl, UsageError } from '../cli.js';
import { parseWorkerArgs } from './worker-args.js';

describe('pnpm worker flags', () => {
  it('defaults to one slot on the local tracker, waiting for more work', () => {
    expect(parseWorkerArgs([])).toEqual({
      concurrency: 1,
      exitWhenIdle: false,
      tracker: defaultTrackerUrl,
      pollSeconds: 5,
      json: false,
      slot: null,
    });
  });

  it('takes its flags after a leading --, as pnpm passes them', () => {
    expect(
      parseWorkerArgs([
        '--',
        '--concurrency',
        '3',
        '--exit-when-idle',
        '--tracker',
        'http://h:4100/trpc',
      ]),
    ).toMatchObject({ concurrency: 3, exitWhenIdle: true, tracker: 'http://h:4100/trpc' });
  });

  it('answers --help with its help text', () => {
    const result = parseWorkerArgs(['--help']);
    expect(result).toHaveProperty('help');
    expect((result as { help: string }).help).toContain('--concurrency <n>');
  });

  it.each([
    [['--bogus'], "unknown option '--bogus'\nSee pnpm worker --help."],
    [['--concurrency', '0'], '--concurrency: expected a whole number from 1 to 64 (got "0")'],
    [['--tracker', 'tracker-host:4100'], '--tracker: expected an http(s) URL'],
  ])('refuses %j, naming the flag', (argv, message) => {
    expect(() => parseWorkerArgs(argv)).toThrow(UsageError);
    expect(() => parseWorkerArgs(argv)).toThrow(message);
  });
});
