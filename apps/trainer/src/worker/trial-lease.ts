import { Worker } from 'node:worker_threads';

export interface HeldTrial {
  sweepId: string;
  index: number;
  jobId: string;
  attempt: number;
}

interface LeaseCallbacks {
  onStop: (reason: string) => void;
  onLost: (reason: string) => void;
  onUnreachable: (reason: string) => void;
}

type ThreadMessage =
  | { type: 'ready' }
  | { type: 'stop' | 'lost' | 'unreachable'; jobId: string; reason: string };

/**
 * Keeps a worker's leases: a heartbeat every third of the lease, from a thread of its own
 * (lease-thread.ts). Its answer may ask the trial to stop (early stopping, sweep cancelled: at
 * the end of the epoch), or say the lease is lost (the tracker gave the trial to another
 * attempt: stop now). A heartbeat that does not arrive is tried again a second later.
 */
export class LeaseKeeper {
  private current: { jobId: string; callbacks: LeaseCallbacks } | null = null;

  private constructor(private readonly thread: Worker) {
    thread.on('message', (message: ThreadMessage) => {
      if (message.type === 'ready' || message.jobId !== this.current?.jobId) return;
      const { callbacks } = this.current;
      if (message.type === 'stop') callbacks.onStop(message.reason);
      else if (message.type === 'lost') callbacks.onLost(message.reason);
      else callbacks.onUnreachable(message.reason);
    });
  }

  /** Starts the thread and waits until it can beat. */
  static start(options: { url: string; token: string | undefined }): Promise<LeaseKeeper> {
    const thread = new Worker(new URL('./lease-thread-entry.mjs', import.meta.url), {
      workerData: options,
    });
    thread.unref();
    return new Promise((resolve, reject) => {
      thread.once('error', reject);
      thread.once('message', () => resolve(new LeaseKeeper(thread)));
    });
  }

  hold(held: HeldTrial, leaseSeconds: number, callbacks: LeaseCallbacks): void {
    this.current = { jobId: held.jobId, callbacks };
    this.thread.postMessage({ type: 'hold', held, leaseSeconds });
  }

  release(): void {
    this.current = null;
    this.thread.postMessage({ type: 'release' });
  }

  async close(): Promise<void> {
    await this.thread.terminate();
  }
}
