import type { Store } from '@trainbook/db';
import { fromPglite, PgBoss } from 'pg-boss';

/** What a trial's job carries: which trial, and the config to train. */
export interface TrialJobData {
  sweepId: string;
  index: number;
  config: Record<string, unknown>;
}

/** A claimed job: `attempt` is 1 for the first claim, 2 after one lapsed lease, … */
export interface ClaimedJob {
  jobId: string;
  attempt: number;
  data: TrialJobData;
}

/** A job as the queue holds it now, for reconciling the trials table with it. */
export interface JobState {
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  attempt: number;
  output: Record<string, unknown> | null;
}

export interface SweepQueueOptions {
  /** The least time between two supervisions of one queue (seconds, ≥ 1). */
  superviseSeconds?: number;
  /** Told about pg-boss' own errors (maintenance runs in the background). */
  onError?: (error: Error) => void;
}

/** pg-boss' answer to complete/fail/touch; its type declares no fields, the object has them. */
interface CommandResponse {
  affected: number;
}

/** pg-boss' heartbeats must be ≥ 10 s apart: the shortest lease it can keep. */
export const minLeaseSeconds = 10;
/** A trial may train this long at most (pg-boss' limit), however often it renews its lease. */
const maxTrialSeconds = 24 * 3600;

export const queueName = (sweepId: string) => `sweep-${sweepId}`;

/**
 * The sweep queue: one pg-boss queue a sweep, its jobs the sweep's trials. The job's lease is
 * pg-boss' heartbeat (renewed by `renew`); when it lapses pg-boss fails the job and queues it
 * again (a new attempt) until the sweep's attempt limit. Every settle names the attempt it
 * holds, so a worker whose lease lapsed can no longer complete the trial: each trial is
 * completed exactly once.
 */
export class SweepQueue {
  private started: Promise<PgBoss> | null = null;

  private constructor(private readonly open: () => Promise<PgBoss>) {}

  /** pg-boss, started on first use. */
  private get boss(): Promise<PgBoss> {
    // A start that fails is tried again by the next call, not remembered.
    this.started ??= this.open().catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  /** Whether pg-boss has been started (by a sweep call, or `start`). */
  get running(): boolean {
    return this.started !== null;
  }

  /** Starts pg-boss on the store's database (installing its schema, `pgboss`, if missing). */
  static async start(store: Store, options: SweepQueueOptions = {}): Promise<SweepQueue> {
    const queue = SweepQueue.lazy(store, options);
    await queue.boss;
    return queue;
  }

  /**
   * The queue, started by the first sweep call: a tracker whose users run no sweeps never
   * runs pg-boss (nor gives its embedded store to it).
   */
  static lazy(store: Store, options: SweepQueueOptions = {}): SweepQueue {
    return new SweepQueue(() => SweepQueue.openBoss(store, options));
  }

  private static async openBoss(store: Store, options: SweepQueueOptions): Promise<PgBoss> {
    const seconds = options.superviseSeconds ?? 5;
    const common = {
      // Lapsed leases are found by supervision, which checks each queue at most once a monitor
      // interval. The tracker drives it (supervise()) right before reconciling the trials, so
      // pg-boss keeps no timer of its own and never holds the embedded store at a bad moment.
      supervise: false,
      superviseIntervalSeconds: seconds,
      monitorIntervalSeconds: seconds,
      // Sweeps use no cron, flows or async migrations: their polls would only take the embedded
      // store from requests (every 5 s for flows). The instance registry is for pg-boss' own
      // dashboards.
      schedule: false,
      flowIntervalSeconds: 3600,
      bamIntervalSeconds: 3600,
      registerInstance: false,
    };
    const connection = store.connection;
    const boss =
      connection.kind === 'postgres'
        ? new PgBoss({ ...common, connectionString: connection.url, max: 4 })
        : new PgBoss({ ...common, db: fromPglite(connection.pglite), backend: 'pglite' });
    boss.on('error', (error: Error) => options.onError?.(error));
    await boss.start();
    return boss;
  }

  /** Creates the sweep's queue and one job a trial; `jobIds[i]` names trial `trials[i]`'s job. */
  async enqueue(options: {
    sweepId: string;
    maxAttempts: number;
    leaseSeconds: number;
    jobs: Array<{ id: string; data: TrialJobData }>;
  }): Promise<void> {
    const name = queueName(options.sweepId);
    await (await this.boss).createQueue(name, {
      retryLimit: options.maxAttempts - 1,
      heartbeatSeconds: Math.max(minLeaseSeconds, options.leaseSeconds),
      expireInSeconds: maxTrialSeconds,
      // Finished jobs are kept while their sweep is: the trials table is the record.
      deleteAfterSeconds: 0,
      retentionSeconds: 365 * 24 * 3600,
    });
    for (let i = 0; i < options.jobs.length; i += 1000) {
      await (await this.boss).insert(
        name,
        options.jobs.slice(i, i + 1000).map((job) => ({ id: job.id, data: job.data })),
      );
    }
  }

  /** The next queued trial of the first of `sweepIds` that has one, or null. */
  async claim(sweepIds: string[]): Promise<ClaimedJob | null> {
    for (const sweepId of sweepIds) {
      const [job] = await (await this.boss).fetch<TrialJobData>(queueName(sweepId), {
        includeMetadata: true,
      });
      if (job) return { jobId: job.id, attempt: job.retryCount + 1, data: job.data };
    }
    return null;
  }

  /** Renews the lease; false when this attempt no longer holds the job. */
  async renew(sweepId: string, jobId: string, attempt: number): Promise<boolean> {
    const response = (await (
      await this.boss
    ).touch(queueName(sweepId), {
      id: jobId,
      retryCount: attempt - 1,
    })) as unknown as CommandResponse;
    return response.affected === 1;
  }

  /** Completes the job for good (finished, failed or stopped: no retry); false when not held. */
  async complete(
    sweepId: string,
    jobId: string,
    attempt: number,
    output: Record<string, unknown>,
  ): Promise<boolean> {
    const response = (await (
      await this.boss
    ).complete(
      queueName(sweepId),
      { id: jobId, retryCount: attempt - 1 },
      output,
    )) as unknown as CommandResponse;
    return response.affected === 1;
  }

  /**
   * Gives the job back unfinished (its worker was stopped): pg-boss queues it again as a new
   * attempt while attempts remain. False when this attempt no longer holds it.
   */
  async release(sweepId: string, jobId: string, attempt: number, reason: string): Promise<boolean> {
    const response = (await (
      await this.boss
    ).fail(
      queueName(sweepId),
      { id: jobId, retryCount: attempt - 1 },
      { message: reason },
    )) as unknown as CommandResponse;
    return response.affected === 1;
  }

  /** Removes the sweep's jobs that no worker holds; returns how many. */
  async dropQueued(sweepId: string): Promise<number> {
    return (await this.boss).deleteQueuedJobs(queueName(sweepId));
  }

  async job(sweepId: string, jobId: string): Promise<JobState | null> {
    const job = await (await this.boss).getJobById(queueName(sweepId), jobId);
    if (!job) return null;
    return {
      state: job.state,
      attempt: job.retryCount + 1,
      output: (job.output as Record<string, unknown> | null) ?? null,
    };
  }

  /** Runs pg-boss' supervision (lapsed leases fail and retry; upkeep): one sweep's, or all. */
  async supervise(sweepId?: string): Promise<void> {
    await (sweepId
      ? (await this.boss).supervise(queueName(sweepId))
      : (await this.boss).supervise());
  }

  async deleteQueue(sweepId: string): Promise<void> {
    await (await this.boss).deleteQueue(queueName(sweepId));
  }

  async stop(): Promise<void> {
    if (this.started) await (await this.started).stop({ graceful: false });
  }
}
