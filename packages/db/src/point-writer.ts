import {
  insertMetricPoints,
  insertPointBatches,
  type MetricColumns,
  type PointBatch,
} from './queries/insert-metric-points.js';
import type { Sql } from './sql.js';
import { isStoreUnavailable } from './store-unavailable.js';

export interface PointWriterOptions {
  /**
   * Transactions writing points at once. Batches that arrive while all are busy wait and
   * then go in together, as one transaction.
   */
  transactions: number;
  /**
   * The most points one transaction takes (default 20,000; a waiting batch is never split):
   * everyone in a group waits for all of it, so groups stay small enough to commit fast.
   */
  maxPoints?: number;
}

export interface PointWriterStats {
  /** Batches written (or refused). */
  batches: number;
  /** Transactions that wrote them together. */
  groups: number;
}

interface Waiting {
  batch: PointBatch;
  resolve(inserted: number): void;
  reject(error: unknown): void;
}

/**
 * Writes batches of points the way a database's group commit does: a batch that finds a
 * transaction free goes in at once, alone; batches that arrive while every transaction is
 * busy wait and go in together, with one COPY, one rollup merge and one commit. With many
 * trainers writing at once, that turns many small transactions, which contend for the same
 * table and pay a commit each, into a few larger ones; a lone writer waits for nothing.
 *
 * Each caller gets its own answer. When a group fails as a whole (a re-sent batch whose
 * points are stored already, a run deleted meanwhile), its batches are written again one
 * by one, so that a re-send still keeps the first values and only the batch of the unknown
 * run is refused. A store outage fails them all at once, unchanged.
 */
export class PointWriter {
  readonly #sql: Sql;
  readonly #transactions: number;
  readonly #maxPoints: number;
  #waiting: Waiting[] = [];
  #busy = 0;
  #stats: PointWriterStats = { batches: 0, groups: 0 };

  constructor(sql: Sql, options: PointWriterOptions) {
    if (!Number.isInteger(options.transactions) || options.transactions < 1)
      throw new RangeError(
        `PointWriter: transactions must be a whole number ≥ 1, not ${options.transactions}`,
      );
    this.#sql = sql;
    this.#transactions = options.transactions;
    this.#maxPoints = options.maxPoints ?? 20_000;
  }

  /**
   * Stores a batch of one run's points (see {@link insertMetricPoints}).
   * @returns how many points were new.
   * @throws RunNotFoundError when the run does not exist.
   */
  write(runId: string, columns: MetricColumns): Promise<number> {
    if (columns.steps.length === 0) return Promise.resolve(0);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ batch: { runId, columns }, resolve, reject });
      this.#start();
    });
  }

  /** How many batches were written and in how many transactions, since the start. */
  stats(): PointWriterStats {
    return { ...this.#stats };
  }

  #start(): void {
    while (this.#busy < this.#transactions && this.#waiting.length > 0) {
      const group = this.#take();
      this.#busy++;
      this.#stats.groups++;
      this.#stats.batches += group.length;
      void this.#write(group).then((answer) => {
        // Free before answering: a caller that writes again at once finds it free.
        this.#busy--;
        this.#start();
        answer();
      });
    }
  }

  /** The batches waiting longest, as many as fit in one transaction (at least one). */
  #take(): Waiting[] {
    let points = this.#waiting[0]!.batch.columns.steps.length;
    let n = 1;
    while (n < this.#waiting.length) {
      const next = this.#waiting[n]!.batch.columns.steps.length;
      if (points + next > this.#maxPoints) break;
      points += next;
      n++;
    }
    return this.#waiting.splice(0, n);
  }

  /** Writes a group; resolves to what answers its callers (never rejects). */
  async #write(group: Waiting[]): Promise<() => void> {
    if (group.length > 1) {
      try {
        await insertPointBatches(
          this.#sql,
          group.map((w) => w.batch),
        );
        return () => {
          for (const w of group) w.resolve(w.batch.columns.steps.length);
        };
      } catch (error) {
        if (isStoreUnavailable(error))
          return () => {
            for (const w of group) w.reject(error);
          };
        // A batch of the group was re-sent or its run is gone: each alone says which.
      }
    }
    const answers: (() => void)[] = [];
    for (const { batch, resolve, reject } of group) {
      await insertMetricPoints(this.#sql, batch.runId, batch.columns).then(
        (inserted) => answers.push(() => resolve(inserted)),
        (error: unknown) => answers.push(() => reject(error)),
      );
    }
    return () => {
      for (const answer of answers) answer();
    };
  }
}
