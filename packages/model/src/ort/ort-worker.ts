import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** A worker thread that holds onnxruntime-node sessions and answers requests one at a time. */
export interface OrtWorker {
  /** onnxruntime-node's version. */
  version: string;
  /**
   * Sends `message` (with `transfer` moved, not copied) and resolves with the worker's answer.
   * While a request is out the worker keeps the process alive.
   */
  request<Reply>(message: object, transfer?: ArrayBuffer[]): Promise<Reply>;
  close(): Promise<void>;
}

/**
 * Starts `source` (plain CommonJS, run with `eval`: no file to ship or resolve) in a worker
 * thread, with `workerData.ortPath` set to onnxruntime-node's entry. ORT's Node binding runs
 * synchronously on the calling thread, so its sessions live in a worker and the caller's
 * thread stays free.
 *
 * The worker's protocol: once its sessions are made it posts `{ ready: true, version }` (or
 * `{ ready: false, error }`); then for each `{ id, ...request }` it posts `{ id, ...answer }`
 * or `{ id, error }`. Rejects with ORT's own message when the package is missing or a model
 * does not load. The worker does not keep the process alive when idle; `close()` ends it.
 */
export async function startOrtWorker(
  source: string,
  workerData: Record<string, unknown>,
  transferList: ArrayBuffer[] = [],
): Promise<OrtWorker> {
  let ortPath: string;
  try {
    ortPath = require.resolve('onnxruntime-node');
  } catch (error) {
    throw new Error(`onnxruntime-node is not installed (${firstLine(error)})`);
  }
  const worker = new Worker(source, {
    eval: true,
    workerData: { ...workerData, ortPath },
    transferList,
  });
  const pending = new Map<number, { resolve(answer: unknown): void; reject(e: Error): void }>();
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  // biome-ignore lint/suspicious/noExplicitAny: EventEmitter listeners take any arguments.
  let starting: Array<[string, (...args: any[]) => void]> = [];
  const version = await new Promise<string>((resolve, reject) => {
    starting = [
      [
        'message',
        (message: { ready: boolean; version?: string; error?: string }) => {
          if (message.ready) resolve(message.version!);
          else reject(new Error(`onnxruntime-node could not load the model: ${message.error}`));
        },
      ],
      [
        'error',
        (error: Error) =>
          reject(new Error(`onnxruntime-node failed to start: ${firstLine(error)}`)),
      ],
      [
        'exit',
        (code: number) =>
          reject(new Error(`onnxruntime-node's worker exited (code ${code}) before it was ready`)),
      ],
    ];
    for (const [event, listener] of starting) worker.once(event, listener);
  }).catch(async (error: Error) => {
    await worker.terminate();
    throw error;
  });
  for (const [event, listener] of starting) worker.off(event, listener);
  worker.on('message', (message: { id: number; error?: string }) => {
    const request = pending.get(message.id);
    if (!request) return;
    pending.delete(message.id);
    if (message.error == null) request.resolve(message);
    else request.reject(new Error(`onnxruntime-node: ${message.error}`));
  });
  worker.on('error', (error) => failAll(new Error(`onnxruntime-node worker: ${firstLine(error)}`)));
  worker.on('exit', (code) => failAll(new Error(`onnxruntime-node worker exited (code ${code})`)));
  worker.unref();
  let next = 0;
  return {
    version,
    request<Reply>(message: object, transfer: ArrayBuffer[] = []) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<Reply>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (answer: unknown) => void, reject });
        if (pending.size === 1) worker.ref();
        worker.postMessage({ ...message, id }, transfer);
      }).finally(() => {
        if (pending.size === 0) worker.unref();
      });
    },
    async close() {
      failAll(new Error('onnxruntime-node session closed'));
      await worker.terminate();
    },
  };
}

/**
 * ORT session options for a worker's sessions (pass them in its workerData). `spin`: let ORT's
 * idle pool threads spin for the next job (ORT's default) — they then take cores that other
 * work on this process needs.
 */
export function sessionOptions(
  threads: number,
  spin: boolean,
  options: { denormalAsZero?: boolean } = {},
): object {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: {
      session: {
        intra_op: { allow_spinning: spin ? '1' : '0' },
        // Flush-to-zero and denormals-are-zero on ORT's threads, as TensorFlow runs.
        ...(options.denormalAsZero ? { set_denormal_as_zero: '1' } : {}),
      },
    },
  };
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
