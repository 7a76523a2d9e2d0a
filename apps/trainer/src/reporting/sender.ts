import type { TrackerClient } from '@trainbook/api/client';
import { TRPCClientError } from '@trpc/client';
import type { CreateRunInput, Journal, JournalEntry, MetricPoint } from './journal.js';

/** Points in one metric.logBatch call (the API takes at most 10,000). */
export const maxPointsPerCall = 5_000;

export type SenderState =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'unreachable'; error: string; retryInMs: number; attempt: number }
  | { kind: 'rejected'; error: string };

export interface SenderOptions {
  client: TrackerClient;
  journal: Journal;
  /** Told when the tracker stops or starts answering, or refuses an op. */
  onState?: (state: SenderState) => void;
  /** First retry delay; doubles each failure up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * The tracker's answer to a failed call, if it answered. Checked by shape, not `instanceof`:
 * the trainer and the api package may load two copies of @trpc/client (pnpm resolves one per
 * set of peer versions), and an `instanceof` across them is false, which made every refusal
 * look like a network failure to be retried for ever.
 */
function trackerAnswer(error: unknown): { httpStatus?: number; code?: string } | undefined {
  if (error instanceof TRPCClientError || (error as Error | undefined)?.name === 'TRPCClientError')
    return (error as { data?: { httpStatus?: number; code?: string } }).data;
  return undefined;
}

/** Network down, tracker restarting or overloaded: worth trying again. */
export function isRetryable(error: unknown): boolean {
  const data = trackerAnswer(error);
  if (!data?.httpStatus) return true;
  return data.httpStatus >= 500 || data.httpStatus === 429 || data.code === 'TIMEOUT';
}

const isRunMissing = (error: unknown) => trackerAnswer(error)?.code === 'NOT_FOUND';

/**
 * Sends a run's journal entries to the tracker in order, one call at a time, consecutive point
 * entries merged into batches. A failure is retried with backoff, never skipped: training goes
 * on and entries wait in memory and in the journal. Everything sent is idempotent (the run's
 * id is chosen here, points are unique by run, key and step, artifacts by run and name), so
 * sending an entry again after an unanswered call does no harm.
 */
export class Sender {
  private readonly queue: JournalEntry[] = [];
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private stopped = false;
  private create: CreateRunInput | null = null;
  state: SenderState = { kind: 'idle' };
  /** True once the tracker has the run. */
  created = false;
  sentEntries = 0;
  sentPoints = 0;

  constructor(private readonly options: SenderOptions) {}

  enqueue(entries: JournalEntry[]): void {
    for (const entry of entries) {
      if (entry.op === 'create') this.create = entry.input;
      this.queue.push(entry);
    }
    if (this.stopped || this.state.kind === 'rejected') return;
    this.running ??= this.loop()
      .catch((error: unknown) => this.setState({ kind: 'rejected', error: describe(error) }))
      .finally(() => {
        this.running = null;
      });
    this.wake?.();
  }

  pending(): number {
    return this.queue.length;
  }

  pendingPoints(): number {
    return this.queue.reduce((n, e) => n + (e.op === 'points' ? e.points.length : 0), 0);
  }

  /** Resolves when everything queued is sent, or after `timeoutMs` (what is left stays spooled). */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 && this.state.kind !== 'rejected' && Date.now() < deadline) {
      this.wake?.();
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
    return this.queue.length === 0;
  }

  /** Stops sending after the call in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private setState(state: SenderState) {
    const changed = state.kind !== this.state.kind;
    this.state = state;
    if (!(changed || state.kind === 'unreachable')) return;
    try {
      this.options.onState?.(state);
    } catch {
      // A display problem must not stop delivery.
    }
  }

  private async loop(): Promise<void> {
    // Start on a later turn: callers finish constructing before the first state change.
    await Promise.resolve();
    let failures = 0;
    const min = this.options.minDelayMs ?? 200;
    const max = this.options.maxDelayMs ?? 10_000;
    while (this.queue.length > 0 && !this.stopped) {
      const { count, points } = this.takeBatch();
      const head = this.queue[0]!;
      try {
        if (this.state.kind !== 'unreachable') this.setState({ kind: 'sending' });
        await this.send(head, points);
        const last = this.queue[count - 1]!;
        this.queue.splice(0, count);
        this.options.journal.markSent(last.seq);
        this.sentEntries += count;
        this.sentPoints += points?.length ?? 0;
        failures = 0;
        this.setState({ kind: 'sending' });
      } catch (error) {
        const message = describe(error);
        if (!isRetryable(error)) {
          this.setState({ kind: 'rejected', error: message });
          return;
        }
        failures++;
        const delay = Math.min(max, min * 2 ** (failures - 1)) * (0.75 + Math.random() * 0.5);
        this.setState({ kind: 'unreachable', error: message, retryInMs: delay, attempt: failures });
        await new Promise<void>((done) => {
          const timer = setTimeout(done, delay);
          this.wake = () => {
            // A new entry does not cut a backoff short; stopping does.
            if (this.stopped) {
              clearTimeout(timer);
              done();
            }
          };
        });
        this.wake = null;
      }
    }
    if (this.queue.length === 0) this.setState({ kind: 'idle' });
  }

  /** The head entry, or the run of point entries at the head up to maxPointsPerCall points. */
  private takeBatch(): { count: number; points: MetricPoint[] | null } {
    const head = this.queue[0]!;
    if (head.op !== 'points') return { count: 1, points: null };
    const points: MetricPoint[] = [...head.points];
    let count = 1;
    for (const next of this.queue.slice(1)) {
      if (next.op !== 'points' || points.length + next.points.length > maxPointsPerCall) break;
      points.push(...next.points);
      count++;
    }
    return { count, points };
  }

  private async send(entry: JournalEntry, points: MetricPoint[] | null): Promise<void> {
    const { client } = this.options;
    const call = async () => {
      switch (entry.op) {
        case 'create':
          await client.run.create.mutate(entry.input);
          this.created = true;
          return;
        case 'points':
          for (let at = 0; at < points!.length; at += maxPointsPerCall) {
            await client.metric.logBatch.mutate({
              runId: this.runId(),
              columns: toColumns(points!.slice(at, at + maxPointsPerCall)),
            });
          }
          return;
        case 'artifact':
          await client.artifact.register.mutate(entry.input);
          return;
        case 'update':
          await client.run.update.mutate(entry.input);
          return;
        case 'finish':
          await client.run.finish.mutate(entry.input);
          return;
      }
    };
    try {
      await call();
    } catch (error) {
      // The tracker lost the run (a fresh database): create it again, then carry on.
      if (entry.op !== 'create' && isRunMissing(error) && this.create) {
        await client.run.create.mutate(this.create);
        await call();
        return;
      }
      throw error;
    }
  }

  private runId(): string {
    return this.options.journal.runId;
  }
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const inner =
    cause instanceof Error
      ? (cause as { cause?: unknown }).cause instanceof Error
        ? ((cause as { cause: Error }).cause.message ?? cause.message)
        : cause.message
      : '';
  return inner && !error.message.includes(inner) ? `${error.message} (${inner})` : error.message;
}

/** Points as the API's parallel arrays: much cheaper to encode and check than objects. */
export function toColumns(points: MetricPoint[]) {
  return {
    key: points.map((p) => p.key),
    step: points.map((p) => p.step),
    value: points.map((p) => p.value),
    epoch: points.map((p) => p.epoch ?? null),
    wallTime: points.map((p) => p.wallTime),
  };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
