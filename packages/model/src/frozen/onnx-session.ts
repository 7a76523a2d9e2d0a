import { sessionOptions, startOrtWorker } from '../ort/ort-worker.js';

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

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
ort.InferenceSession.create(workerData.model, workerData.sessionOptions).then((session) => {
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
     * Let ORT's idle pool threads spin (its default). Off by default here: the frozen forward
     * overlaps tfjs training, and spinning threads take cores it needs.
     */
    spin?: boolean;
  },
): Promise<OnnxSession> {
  const worker = await startOrtWorker(workerSource, {
    model,
    sessionOptions: sessionOptions(options.threads, options.spin ?? false),
  });
  return {
    version: worker.version,
    threads: options.threads,
    run: async (images, dims) =>
      (await worker.request<{ features: Float32Array }>({ images, dims })).features,
    close: () => worker.close(),
  };
}
