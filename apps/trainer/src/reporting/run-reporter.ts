import { createTrackerClient, type TrackerClient } from '@trainbook/api/client';
import {
  type CreateRunInput,
  type FinishRunInput,
  Journal,
  type MetricPoint,
  type RegisterArtifactInput,
  type UpdateRunInput,
} from './journal.js';
import { Sender, type SenderState } from './sender.js';

export interface RunReporterOptions {
  /** TRAINBOOK_HOME/spool. */
  spoolDir: string;
  run: CreateRunInput;
  /** The tracker's tRPC URL; null with --offline: everything stays in the spool. */
  trackerUrl: string | null;
  token?: string | undefined;
  heartbeatMs: number;
  onState?: (state: SenderState) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface ReporterTotals {
  points: number;
  sentPoints: number;
  pendingPoints: number;
  journal: string;
  state: SenderState['kind'] | 'offline';
}

/**
 * Where a run's reports go: every call appends to the run's journal first (so nothing is lost
 * whatever happens to this process or the tracker) and returns at once; a background sender
 * delivers the journal to the tracker in order. Training never waits for the tracker.
 */
export class RunReporter {
  readonly journal: Journal;
  readonly client: TrackerClient | null;
  private readonly sender: Sender | null;
  private heartbeat: NodeJS.Timeout | null = null;
  private finished = false;
  points = 0;

  constructor(private readonly options: RunReporterOptions) {
    this.journal = Journal.create(options.spoolDir, options.run.id);
    this.client = options.trackerUrl
      ? createTrackerClient({ url: options.trackerUrl, token: options.token })
      : null;
    this.sender = this.client
      ? new Sender({
          client: this.client,
          journal: this.journal,
          onState: options.onState,
          minDelayMs: options.minDelayMs,
          maxDelayMs: options.maxDelayMs,
        })
      : null;
    this.record({ op: 'create', input: options.run });
    if (this.sender) {
      this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  get runId(): string {
    return this.options.run.id;
  }

  log(points: MetricPoint[]): void {
    if (points.length === 0) return;
    this.points += points.length;
    this.record({ op: 'points', points });
  }

  artifact(input: RegisterArtifactInput): void {
    this.record({ op: 'artifact', input });
  }

  update(input: Omit<UpdateRunInput, 'runId'>): void {
    this.record({ op: 'update', input: { ...input, runId: this.runId } as UpdateRunInput });
  }

  /** Forces the journal to disk (cheap enough once an epoch). */
  checkpoint(): void {
    this.journal.sync();
  }

  /**
   * Records the final status, then gives the tracker up to `timeoutMs` to take everything.
   * What it does not take stays in the spool for `pnpm sync`.
   */
  async finish(input: Omit<FinishRunInput, 'runId'>, timeoutMs: number): Promise<ReporterTotals> {
    if (this.finished) throw new Error(`run ${this.runId} already has its final status`);
    this.finished = true;
    this.record({ op: 'finish', input: { ...input, runId: this.runId } });
    this.journal.sync();
    if (this.heartbeat) clearInterval(this.heartbeat);
    let delivered = false;
    if (this.sender) {
      delivered = await this.sender.drain(timeoutMs);
      await this.sender.stop();
    }
    const totals = this.totals();
    if (delivered) this.journal.remove();
    else this.journal.close();
    return totals;
  }

  totals(): ReporterTotals {
    return {
      points: this.points,
      sentPoints: this.sender?.sentPoints ?? 0,
      pendingPoints: this.sender?.pendingPoints() ?? this.points,
      journal: this.journal.path,
      state: this.sender?.state.kind ?? 'offline',
    };
  }

  private record(op: Parameters<Journal['append']>[0]): void {
    const entry = this.journal.append(op);
    this.sender?.enqueue([entry]);
  }

  private beat(): void {
    if (!this.client || !this.sender?.created || this.finished) return;
    // Failures are the sender's to report; a beat that does not arrive is simply missed.
    this.client.run.heartbeat.mutate({ runId: this.runId }).catch(() => {});
  }
}
