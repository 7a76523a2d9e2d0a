import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleOutput, formatSeconds } from './console-output.js';

function capture(tty: boolean) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: tty },
  );
  return { stream, text: () => text };
}

const epoch = {
  epoch: 1,
  epochs: 2,
  seconds: 12.3,
  cpuSeconds: 20.1,
  imagesPerSecond: 406.2,
  loss: 1.23456,
  accuracy: 0.5,
  val_loss: 1.1,
  val_accuracy: 0.6,
};

describe('ConsoleOutput', () => {
  it('console on a terminal: a bar redrawn in place with batch n/N, ETA, running loss and accuracy, then the epoch line', () => {
    const out = capture(true);
    const err = capture(true);
    const c = new ConsoleOutput('console', out.stream, err.stream);
    c.epochStart(1, 2);
    c.batch({ batch: 4, batches: 4, loss: 1.5, accuracy: 0.25 });
    c.epochEnd(epoch);
    const text = out.text();
    expect(text).toContain('Epoch 1/2\n');
    expect(text).toMatch(/\r4\/4 \[=+\] - \d+\.\ds - loss: 1\.5000 - accuracy: 0\.2500/);
    expect(text).toContain('accuracy: 0.2500\u001b[K\n'); // line cleared after the bar, then closed
    expect(text).toContain(
      '12s 406 img/s - loss: 1.2346 - accuracy: 0.5000 - val_loss: 1.1000 - val_accuracy: 0.6000\n',
    );
  });

  it('quiet: only warnings, errors and the summary', () => {
    const out = capture(false);
    const err = capture(false);
    const c = new ConsoleOutput('quiet', out.stream, err.stream);
    c.info('backend: wasm');
    c.epochStart(1, 2);
    c.batch({ batch: 1, batches: 4, loss: 1, accuracy: 0 });
    c.epochEnd(epoch);
    c.warn('tracker unreachable');
    c.summary(['run x: finished'], {});
    expect(out.text()).toBe('run x: finished\n');
    expect(err.text()).toBe('warning: tracker unreachable\n');
  });

  it('json: one parseable object a line, non-finite numbers as strings', () => {
    const out = capture(false);
    const c = new ConsoleOutput('json', out.stream, capture(false).stream);
    c.info('run 1', { runId: '1' });
    c.epochEnd({ ...epoch, loss: Number.NaN });
    c.summary(['ignored'], { status: 'finished' });
    const events = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.event)).toEqual(['info', 'epoch', 'summary']);
    expect(events[1]).toMatchObject({ epoch: 1, loss: 'NaN', val_accuracy: 0.6 });
    expect(events[2]).toMatchObject({ status: 'finished' });
  });

  it('formats durations as Keras does, roughly', () => {
    expect(formatSeconds(3.21)).toBe('3.2s');
    expect(formatSeconds(75)).toBe('1m15s');
    expect(formatSeconds(7300)).toBe('2h01m');
  });
});
