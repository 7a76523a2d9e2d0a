import cliProgress from 'cli-progress';
import type { DownloadEvent, DownloadEventHandler } from './events.js';
import { formatBytes } from './format-bytes.js';

export interface ProgressBarOptions {
  /** Shown before the bar; the file name is a good choice. */
  label: string;
  /** Defaults to process.stderr, so progress never mixes with a program's real output. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * A download progress display to pass as `onProgress`. On a terminal it draws a live bar;
 * anywhere else (CI logs, files, pipes) it writes a handful of plain lines instead: start,
 * each quarter, retries and the end.
 */
export function createProgressBar(options: ProgressBarOptions): DownloadEventHandler {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? terminalBar(options.label, stream) : plainLines(options.label, stream);
}

function terminalBar(label: string, stream: NodeJS.WritableStream): DownloadEventHandler {
  let bar: cliProgress.SingleBar | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const line = (text: string) => {
    stop();
    stream.write(`${label}: ${text}\n`);
  };
  return (event: DownloadEvent) => {
    switch (event.type) {
      case 'start': {
        stop();
        const known = event.totalBytes !== undefined;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: known
              ? `${label} [{bar}] {percentage}% | {done} of {size} | ETA {eta_formatted}`
              : `${label} {done}`,
            hideCursor: true,
            clearOnComplete: false,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        const size = event.totalBytes ?? 1;
        bar.start(size, event.resumeFrom, {
          done: formatBytes(event.resumeFrom),
          size: formatBytes(size),
        });
        return;
      }
      case 'progress':
        bar?.update(event.receivedBytes, { done: formatBytes(event.receivedBytes) });
        return;
      case 'retry':
        line(
          `${event.reason}; retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt + 1} of ${event.maxAttempts})`,
        );
        return;
      case 'cache-invalid':
        line(`cached file rejected (${event.reason}); downloading again`);
        return;
      case 'verifying':
        return;
      case 'cache-hit':
        line(`using cached ${event.path}`);
        return;
      case 'done':
        stop();
        stream.write(
          `${label}: ${formatBytes(event.bytes)} in ${event.seconds.toFixed(1)} s, verified\n`,
        );
        return;
      case 'failed':
        stop();
        return;
    }
  };
}

function plainLines(label: string, stream: NodeJS.WritableStream): DownloadEventHandler {
  let nextQuarter = 1;
  const line = (text: string) => stream.write(`${label}: ${text}\n`);
  return (event: DownloadEvent) => {
    switch (event.type) {
      case 'start': {
        const size =
          event.totalBytes === undefined ? 'size unknown' : formatBytes(event.totalBytes);
        const from = event.resumeFrom > 0 ? `, resuming at ${formatBytes(event.resumeFrom)}` : '';
        line(`downloading ${event.url} (${size}${from})`);
        nextQuarter = event.totalBytes
          ? Math.floor((4 * event.resumeFrom) / event.totalBytes) + 1
          : 1;
        return;
      }
      case 'progress': {
        if (!event.totalBytes) return;
        const quarter = Math.floor((4 * event.receivedBytes) / event.totalBytes);
        // Only the quarters in between; 'done' reports the end.
        if (quarter >= nextQuarter && quarter < 4) {
          line(
            `${quarter * 25}% (${formatBytes(event.receivedBytes)} of ${formatBytes(event.totalBytes)})`,
          );
          nextQuarter = quarter + 1;
        }
        return;
      }
      case 'retry':
        line(
          `${event.reason}; retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt + 1} of ${event.maxAttempts})`,
        );
        return;
      case 'cache-invalid':
        line(`cached file rejected (${event.reason}); downloading again`);
        return;
      case 'cache-hit':
        line(`using cached ${event.path}`);
        return;
      case 'done':
        line(`${formatBytes(event.bytes)} in ${event.seconds.toFixed(1)} s, verified`);
        return;
      case 'verifying':
      case 'failed':
        return;
    }
  };
}
