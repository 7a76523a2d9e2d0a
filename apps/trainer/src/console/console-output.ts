export type OutputMode = 'console' | 'quiet' | 'json';

export interface EpochLine {
  epoch: number;
  epochs: number;
  seconds: number;
  /** CPU time the process spent in the epoch, all threads (on a shared machine: the work). */
  cpuSeconds: number;
  imagesPerSecond: number;
  loss: number;
  accuracy: number;
  val_loss?: number | undefined;
  val_accuracy?: number | undefined;
}

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * What the trainer prints. 'console': Keras-like — a progress bar per epoch (batch n/N, ETA,
 * running loss and accuracy; on a terminal redrawn in place, elsewhere a line every 10 s) and
 * an epoch line with the validation metrics. 'quiet': warnings, errors and the final summary.
 * 'json': one JSON object a line on stdout (`{"event": …}`), nothing else there.
 */
export class ConsoleOutput {
  private epochStarted = 0;
  private lastDraw = 0;
  private barOpen = false;

  constructor(
    readonly mode: OutputMode,
    private readonly out: Stream = process.stdout,
    private readonly err: Stream = process.stderr,
  ) {}

  /** A piece of information (backend, cache, the run's URL). */
  info(message: string, data: Record<string, unknown> = {}): void {
    if (this.mode === 'json') {
      this.json('info', { message, ...data });
      return;
    }
    if (this.mode === 'console') this.line(this.out, message);
  }

  warn(message: string): void {
    if (this.mode === 'json') {
      this.json('warning', { message });
      return;
    }
    this.line(this.err, `warning: ${message}`);
  }

  error(message: string): void {
    if (this.mode === 'json') {
      this.json('error', { message });
      return;
    }
    this.line(this.err, `error: ${message}`);
  }

  /** Machine-readable events; only JSON mode prints them. */
  event(name: string, data: Record<string, unknown>): void {
    if (this.mode === 'json') this.json(name, data);
  }

  epochStart(epoch: number, epochs: number): void {
    this.epochStarted = Date.now();
    this.lastDraw = Date.now();
    if (this.mode === 'console') this.line(this.out, `Epoch ${epoch}/${epochs}`);
  }

  batch(info: { batch: number; batches: number; loss: number; accuracy: number }): void {
    if (this.mode !== 'console') return;
    const now = Date.now();
    const last = info.batch === info.batches;
    const tty = this.out.isTTY === true;
    if (!last && now - this.lastDraw < (tty ? 100 : 10_000)) return;
    this.lastDraw = now;
    const elapsed = (now - this.epochStarted) / 1000;
    const eta = (elapsed / info.batch) * (info.batches - info.batch);
    const width = 30;
    const filled = Math.round((info.batch / info.batches) * width);
    const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (last ? '=' : '>') : ''}${'.'.repeat(width - filled)}]`;
    const n = String(info.batches).length;
    const text = `${String(info.batch).padStart(n)}/${info.batches} ${bar} - ${last ? `${formatSeconds(elapsed)}` : `ETA: ${formatSeconds(eta)}`} - loss: ${f4(info.loss)} - accuracy: ${f4(info.accuracy)}`;
    if (tty) {
      this.out.write(`\r${text}\x1b[K`);
      this.barOpen = !last;
      if (last) this.out.write('\n');
    } else if (!last) {
      this.line(this.out, text);
    }
  }

  epochEnd(line: EpochLine): void {
    if (this.mode === 'json') {
      this.json('epoch', { ...line });
      return;
    }
    if (this.mode !== 'console') return;
    const val =
      line.val_loss === undefined
        ? ''
        : ` - val_loss: ${f4(line.val_loss)} - val_accuracy: ${f4(line.val_accuracy!)}`;
    this.line(
      this.out,
      `${formatSeconds(line.seconds)} ${Math.round(line.imagesPerSecond)} img/s - loss: ${f4(line.loss)} - accuracy: ${f4(line.accuracy)}${val}`,
    );
  }

  /** The end of a run: printed in every mode (as JSON in json mode). */
  summary(lines: string[], data: Record<string, unknown>): void {
    if (this.mode === 'json') {
      this.json('summary', data);
      return;
    }
    this.line(this.out, lines.join('\n'));
  }

  private line(stream: Stream, text: string): void {
    if (this.barOpen && stream === this.out) {
      this.out.write('\n');
      this.barOpen = false;
    }
    stream.write(`${text}\n`);
  }

  private json(event: string, data: Record<string, unknown>): void {
    this.out.write(
      `${JSON.stringify({ event, time: new Date().toISOString(), ...data }, finite)}\n`,
    );
  }
}

/** JSON has no NaN or Infinity: write them as strings rather than null. */
function finite(_key: string, value: unknown) {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : String(v));

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
