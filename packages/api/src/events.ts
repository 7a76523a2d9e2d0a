import { EventEmitter } from 'node:events';
import type { RunStatus } from '@trainbook/db';

export interface LivePoint {
  key: string;
  step: number;
  epoch: number | null;
  value: number;
}

/** What live subscribers hear: new points, and runs that appeared or changed. */
export type LiveEvent =
  | { type: 'points'; runId: string; points: LivePoint[] }
  | {
      type: 'status';
      runId: string;
      status: RunStatus;
      statusReason: string | null;
    }
  | { type: 'run'; runId: string; change: 'created' | 'updated' | 'deleted' }
  /** A sweep was created, changed status, or one of its trials changed state. */
  | { type: 'sweep'; sweepId: string; change: 'created' | 'status' | 'trial' };

/**
 * The tracker's in-process bus: procedures publish after their write commits, live.*
 * subscriptions listen. One tracker owns the store, so one process sees every write.
 */
export class LiveEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open dashboard tab is a listener.
    this.emitter.setMaxListeners(0);
  }

  publish(event: LiveEvent): void {
    this.emitter.emit('event', event);
  }

  get target(): EventEmitter {
    return this.emitter;
  }
}
