import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** An ONNX Runtime session of one model with input `images` and output `features`. */
export interface OnnxSession {
  /** onnxruntime-node's version. */
  version: string;
  /** ORT's intra-op threads. */
  threads: number;
  /**
   * Runs the model on `count` NHWC images. The session lives in its own worker thread (ORT's
   * Node binding runs synchronously on the calling thread), so the caller's thread is free —
   * for tfjs training — until the features come back.
   */
  run(images: Float32Array, dims: number[]): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * The worker: loads onnxruntime-node from the path it is given, makes the session, answers
 * requests one at a time. Plain CommonJS, run with `eval` (no file to ship or resolve).
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
ort.InferenceSession.create(workerData.model, {
  intraOpNumThreads: workerData.threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: workerData.spin ? '1' : '0' } } },
}).then((session) => {
  parentPort.postMessage({ ready: true, version: ort.env.versions.node });
  parentPort.on('message', async ({ id, images, dims }) => {
    try {
      const out = await session.run({ images: new ort.Tensor('float32', images, dims) });
      // ORT owns its output buffer: copy it into one that can be transferred.
      const features = new Float32Array(out.features.data);
      out.features.dispose?.();
      parentPort.postMessage({ id, features }, [features.buffer]);
    } catch (error) {
      parentPort.postMessage({ id, error: String(error && error.message || error) });
    }
  });
}, (error) => parentPort.postMessage({ ready: false, error: String(error && error.message || error) }));
`;

/**
 * Starts onnxruntime-node on `model` (ONNX bytes) in a worker thread with `threads` intra-op
 * threads. Rejects with ORT's own message when the package is missing or the model does not
 * load. The worker does not keep the process alive; `close()` ends it.
 */
export async function startOnnxSession(
  model: Uint8Array,
  options: {
    threads: number;
    /**
     * Let ORT's idle pool threads spin for the next job (ORT's default). Off by default here:
     * the frozen forward overlaps tfjs training, and spinning threads take cores it needs.
     */
    spin?: boolean;
  },
): Promise<OnnxSession> {
  let ortPath: string;
  try {
    ortPath = require.resolve('onnxruntime-node');
  } catch (error) {
    throw new Error(`onnxruntime-node is not installed (${firstLine(error)})`);
  }
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { ortPath, model, threads: options.threads, spin: options.spin ?? false },
  });
  const pending = new Map<number, { resolve(f: Float32Array): void; reject(e: Error): void }>();
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
  worker.on('message', (message: { id: number; features?: Float32Array; error?: string }) => {
    const request = pending.get(message.id);
    if (!request) return;
    pending.delete(message.id);
    if (message.features) request.resolve(message.features);
    else request.reject(new Error(`onnxruntime-node: ${message.error}`));
  });
  worker.on('error', (error) => failAll(new Error(`onnxruntime-node worker: ${firstLine(error)}`)));
  worker.on('exit', (code) => failAll(new Error(`onnxruntime-node worker exited (code ${code})`)));
  worker.unref();
  let next = 0;
  return {
    version,
    threads: options.threads,
    run(images, dims) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<Float32Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // While a request is out the worker must keep the process alive (to answer it).
        if (pending.size === 1) worker.ref();
        worker.postMessage({ id, images, dims });
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

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
