import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { chooseEngine, type EngineChoice } from '../ort/engine-choice.js';
import { type OrtWorker, sessionOptions, startOrtWorker } from '../ort/ort-worker.js';
import type { TransferModel } from '../transfer.js';
import { checkLabels } from '../validation.js';
import { copyKernelsBinary } from '../wasm/kernels/copy-kernels.js';
import { type SuffixSpec, suffixGraphs, suffixParams } from './suffix-graph.js';

export type SuffixEngineChoice = EngineChoice;

/**
 * Trains the trainable suffix (block5 and the head, on frozen features) on ONNX Runtime: the
 * forward and hand-written backward pass as one ONNX graph (suffix-graph.ts), the RMSProp step
 * in the same worker thread. It holds its own copy of the weights and of the optimizer's mean
 * squares; `sync()` writes both back into the tfjs model and its optimizer.
 */
export interface SuffixTrainer {
  /** e.g. 'onnxruntime-node 1.30.0, 2 threads'. */
  detail: string;
  /** One RMSProp step on a batch of features [count, ...featureShape]: the batch's mean loss. */
  step(features: Float32Array, labels: Int32Array): Promise<{ loss: number; correct: number }>;
  /** Class probabilities [count, classes] with the current weights. */
  predict(features: Float32Array, count: number): Promise<Float32Array>;
  /** Takes the tfjs suffix's current weights and optimizer state (done once at the start). */
  load(): Promise<void>;
  /** Writes the current weights and optimizer state into the tfjs suffix and its optimizer. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** RMSProp as tfjs (and Keras) define it; momentum optional, not centered. */
interface RmsProp {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
}

/** The fields of tfjs' RMSPropOptimizer this reads (protected in its typings). */
type RmsPropFields = tf.Optimizer &
  RmsProp & {
    centered: boolean;
    iterations_: number;
    accumulatedMeanSquares: Array<{ variable: tf.Variable }>;
    accumulatedMoments: Array<{ variable: tf.Variable }>;
  };

/**
 * The suffix's shape when the ONNX trainer can train it, else why not: 3×3 'same' relu
 * convolutions on features of at most 2×2 pixels, a max pool down to 1×1, Flatten, Dense relu,
 * Dense softmax (no dropout), categorical cross-entropy, RMSProp without centering.
 */
export function suffixSpecOf(
  transfer: TransferModel,
): { spec: SuffixSpec; rmsprop: RmsProp } | { reason: string } {
  const suffix = transfer.trainableSuffix;
  const [height, width, features] = transfer.featureShape as [number, number, number];
  if (transfer.featureShape.length !== 3 || height > 2 || width > 2) {
    return {
      reason: `features [${transfer.featureShape.join(', ')}]: the ONNX suffix trainer needs at most 2×2 pixels`,
    };
  }
  const optimizer = suffix.optimizer as unknown as RmsPropFields;
  // Not instanceof: tfjs' optimizers answer it by duck typing (an Adam is an RMSProp).
  if (suffix.optimizer?.getClassName() !== 'RMSProp') {
    return {
      reason: `optimizer ${suffix.optimizer?.getClassName()}: the ONNX suffix trainer has RMSProp only`,
    };
  }
  if (optimizer.centered) return { reason: 'centered RMSProp is not in the ONNX suffix trainer' };
  const loss = (suffix as unknown as { loss: unknown }).loss;
  if (loss !== 'categoricalCrossentropy') {
    return {
      reason: `loss ${String(loss)}: the ONNX suffix trainer has categoricalCrossentropy only`,
    };
  }
  const channels = [features];
  const layers = suffix.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const dense: Array<{ units: number; activation: string }> = [];
  let pooled = false;
  for (const layer of layers) {
    const config = layer.getConfig() as Record<string, unknown>;
    const kind = layer.getClassName();
    if (!layer.trainable && layer.countParams() > 0) {
      return { reason: `layer ${layer.name} is frozen inside the trainable part` };
    }
    if (kind === 'Conv2D' && !pooled && dense.length === 0) {
      const ok =
        sameNumbers(config.kernelSize, [3, 3]) &&
        sameNumbers(config.strides, [1, 1]) &&
        sameNumbers(config.dilationRate, [1, 1]) &&
        config.padding === 'same' &&
        config.activation === 'relu' &&
        config.useBias === true &&
        config.dataFormat === 'channelsLast' &&
        !hasRegularizer(config);
      if (!ok) return { reason: `layer ${layer.name}: not a 3×3 'same' relu convolution` };
      channels.push(config.filters as number);
    } else if (kind === 'MaxPooling2D' && !pooled && dense.length === 0) {
      const out = layer.outputShape as number[];
      const size = config.poolSize as number[];
      if (!(out[1] === 1 && out[2] === 1 && size[0]! >= height && size[1]! >= width)) {
        return {
          reason: `layer ${layer.name}: the ONNX suffix trainer pools the whole image only`,
        };
      }
      pooled = true;
    } else if (kind === 'Flatten' && pooled && dense.length === 0) {
      // 1×1×C → C: nothing to do.
    } else if (kind === 'Dense' && pooled && dense.length < 2 && !hasRegularizer(config)) {
      if (config.useBias !== true) return { reason: `layer ${layer.name}: no bias` };
      dense.push({ units: config.units as number, activation: config.activation as string });
    } else {
      return {
        reason: `layer ${layer.name} (${kind}) is not in the ONNX suffix trainer's pattern`,
      };
    }
  }
  if (
    !pooled ||
    dense.length !== 2 ||
    dense[0]!.activation !== 'relu' ||
    dense[1]!.activation !== 'softmax'
  ) {
    return { reason: 'the head is not Flatten → Dense relu → Dense softmax' };
  }
  return {
    spec: { height, width, channels, units: dense[0]!.units, classes: dense[1]!.units },
    rmsprop: {
      learningRate: optimizer.learningRate,
      decay: optimizer.decay,
      momentum: optimizer.momentum,
      epsilon: optimizer.epsilon,
    },
  };
}

function sameNumbers(value: unknown, expected: number[]): boolean {
  const list = Array.isArray(value) ? value : [value, value];
  return list.length === expected.length && list.every((v, i) => v === expected[i]);
}

function hasRegularizer(config: Record<string, unknown>): boolean {
  return ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'].some(
    (key) => config[key] != null,
  );
}

/**
 * The worker. Its weights, mean squares, moments and gradients live in one wasm memory of its
 * own: ORT reads the weights there (tensors over views of it), and each step copies the
 * gradients ORT returns next to them and runs copy-kernels.wat's `rmspropStep` in place —
 * fused-rmsprop.ts's SIMD loop, the same float32 operations in tfjs' order, so that from equal
 * gradients it gives the weights tfjs' step gives, bit for bit (mean squares too small to count
 * are held as 0, which keeps subnormal floats and their slow path out). (A JavaScript loop with
 * Math.fround took 62 ms a step for the seed's 8.1M parameters; this, a fraction of that.)
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const { names, shapes, classes, width, rmsprop } = workerData;
const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
// Float offsets of each parameter's four arrays, 16-byte aligned for SIMD.
let next = 0;
const region = () => sizes.map((n) => { const at = next; next += Math.ceil(n / 4) * 4; return at; });
const [atParam, atMeanSquare, atMoment, atGradient] = [region(), region(), region(), region()];
const memory = new WebAssembly.Memory({ initial: Math.ceil((next * 4) / 65536) + 1 });
const heap = new Float32Array(memory.buffer);
const view = (at, i) => heap.subarray(at[i], at[i] + sizes[i]);
const paramFeeds = {};
names.forEach((name, i) => { paramFeeds[name] = new ort.Tensor('float32', view(atParam, i), shapes[i]); });
const f = Math.fround;
const decay = f(rmsprop.decay), keep = f(1 - rmsprop.decay), momentum = f(rmsprop.momentum);
const lr = f(rmsprop.learningRate), eps = f(rmsprop.epsilon);
// No subnormal mean squares (see rmspropStep in copy-kernels.wat): same weights, no slow path.
const msFloor = f(eps * 2 ** -26), gFloor = 2 ** -60;
Promise.all([
  WebAssembly.instantiate(workerData.kernels, { env: { memory } }),
  ort.InferenceSession.create(workerData.train, workerData.sessionOptions),
  ort.InferenceSession.create(workerData.predict, workerData.sessionOptions),
]).then(([{ instance }, train, predict]) => {
  const { rmspropStep } = instance.exports;
  parentPort.postMessage({ ready: true, version: ort.env.versions.node });
  parentPort.on('message', async (message) => {
    const { id } = message;
    try {
      if (message.kind === 'load') {
        names.forEach((_, i) => {
          heap.set(message.params[i], atParam[i]);
          heap.set(message.meanSquares[i], atMeanSquare[i]);
          heap.set(message.moments[i], atMoment[i]);
        });
        parentPort.postMessage({ id });
      } else if (message.kind === 'step') {
        const { x, labels } = message;
        const count = labels.length;
        const y = new Float32Array(count * classes);
        for (let i = 0; i < count; i++) y[i * classes + labels[i]] = 1;
        const out = await train.run({
          ...paramFeeds,
          x: new ort.Tensor('float32', x, [count, width]),
          y: new ort.Tensor('float32', y, [count, classes]),
        });
        names.forEach((name, i) => {
          heap.set(out['g_' + name].data, atGradient[i]);
          const [v, ms, m, g] = [atParam, atMeanSquare, atMoment, atGradient].map((at) => at[i] * 4);
          rmspropStep(v, ms, m, g, v, ms, m, sizes[i], decay, keep, momentum, lr, eps, msFloor, gFloor);
        });
        parentPort.postMessage({ id, loss: out.loss.data[0], correct: out.correct.data[0] });
      } else if (message.kind === 'predict') {
        const out = await predict.run({ ...paramFeeds, x: new ort.Tensor('float32', message.x, [message.count, width]) });
        const probabilities = new Float32Array(out.probabilities.data);
        parentPort.postMessage({ id, probabilities }, [probabilities.buffer]);
      } else if (message.kind === 'state') {
        const copies = (at) => names.map((_, i) => view(at, i).slice());
        const state = { params: copies(atParam), meanSquares: copies(atMeanSquare), moments: copies(atMoment) };
        const buffers = [...state.params, ...state.meanSquares, ...state.moments].map((a) => a.buffer);
        parentPort.postMessage({ id, ...state }, buffers);
      }
    } catch (error) {
      parentPort.postMessage({ id, error: String(error && error.message || error) });
    }
  });
}, (error) => parentPort.postMessage({ ready: false, error: String(error && error.message || error) }));
`;

/**
 * Starts the ONNX suffix trainer on `transfer`'s current suffix weights and optimizer state.
 * Throws with the reason when the suffix is not one it can train (suffixSpecOf) or ONNX
 * Runtime does not load.
 */
export async function startSuffixTrainer(
  transfer: TransferModel,
  options: { threads: number; spin?: boolean },
): Promise<SuffixTrainer> {
  const shape = suffixSpecOf(transfer);
  if ('reason' in shape) throw new Error(shape.reason);
  const { spec, rmsprop } = shape;
  const suffix = transfer.trainableSuffix;
  const weights = suffix.trainableWeights;
  const layout = suffixParams(spec);
  if (weights.length !== layout.length) {
    throw new Error(`suffix: ${weights.length} trainable weights, the graph has ${layout.length}`);
  }
  const optimizer = suffix.optimizer as unknown as RmsPropFields;
  const graphs = suffixGraphs(spec);
  const threads = options.threads;
  const worker: OrtWorker = await startOrtWorker(workerSource, {
    train: graphs.train,
    predict: graphs.predict,
    kernels: await copyKernelsBinary(false),
    sessionOptions: sessionOptions(threads, options.spin ?? false, { denormalAsZero: true }),
    names: layout.map((p) => p.name),
    shapes: layout.map((p) => p.shape),
    rmsprop,
    classes: spec.classes,
    width: spec.height * spec.width * spec.channels[0]!,
  });
  let steps = 0;
  let synced = 0;
  const trainer: SuffixTrainer = {
    detail: `onnxruntime-node ${worker.version}, ${threads} threads`,
    async load() {
      const params = weights.map((w) => (w.read().dataSync() as Float32Array).slice());
      params.forEach((p, i) => {
        const size = layout[i]!.shape.reduce((a, b) => a * b, 1);
        if (p.length !== size) {
          throw new Error(`suffix weight ${weights[i]!.name}: size ${p.length}, expected ${size}`);
        }
      });
      // [iterations, mean squares…, moments…] once tfjs has taken a step; else [iterations].
      const slots = (await optimizer.getWeights()).slice(1);
      const stored = slots.map((s) => (s.tensor.dataSync() as Float32Array).slice());
      const fresh = stored.length !== 2 * params.length;
      const meanSquares = params.map((p, i) => (fresh ? new Float32Array(p.length) : stored[i]!));
      const moments = params.map((p, i) =>
        fresh ? new Float32Array(p.length) : stored[params.length + i]!,
      );
      const buffers = [...params, ...meanSquares, ...moments].map((a) => a.buffer as ArrayBuffer);
      await worker.request({ kind: 'load', params, meanSquares, moments }, buffers);
      steps = synced = 0;
    },
    async step(features, labels) {
      checkLabels(labels, spec.classes);
      // Moved to the worker, not copied; a view into a larger buffer is copied first.
      const own =
        features.byteOffset === 0 && features.byteLength === features.buffer.byteLength
          ? features
          : features.slice();
      const answer = await worker.request<{ loss: number; correct: number }>(
        { kind: 'step', x: own, labels },
        [own.buffer as ArrayBuffer],
      );
      steps++;
      return { loss: answer.loss, correct: answer.correct };
    },
    async predict(features, count) {
      const answer = await worker.request<{ probabilities: Float32Array }>({
        kind: 'predict',
        x: features,
        count,
      });
      return answer.probabilities;
    },
    async sync() {
      const state = await worker.request<{
        params: Float32Array[];
        meanSquares: Float32Array[];
        moments: Float32Array[];
      }>({ kind: 'state' });
      tf.tidy(() => {
        for (const [i, w] of weights.entries()) {
          w.write(tf.tensor(state.params[i]!, w.shape as number[]));
        }
      });
      const slot = (name: string, values: Float32Array, like: tf.LayerVariable) => ({
        name,
        tensor: tf.tensor(values, like.shape as number[]),
      });
      const iterations = optimizer.iterations_ + (steps - synced);
      synced = steps;
      const named = [
        { name: 'iter', tensor: tf.scalar(iterations, 'int32') },
        ...weights.map((w, i) =>
          slot(`${(w.read() as tf.Variable).name}/rms`, state.meanSquares[i]!, w),
        ),
        ...weights.map((w, i) =>
          slot(`${(w.read() as tf.Variable).name}/momentum`, state.moments[i]!, w),
        ),
      ];
      const old = [...optimizer.accumulatedMeanSquares, ...optimizer.accumulatedMoments];
      await optimizer.setWeights(named);
      tf.dispose([...old.map((s) => s.variable), ...named.map((n) => n.tensor)]);
    },
    close: () => worker.close(),
  };
  try {
    await trainer.load();
  } catch (error) {
    await worker.close();
    throw error;
  }
  return trainer;
}

/** What trains the suffix: tfjs' trainOnBatch, or the ONNX suffix trainer. */
export interface SuffixEngine {
  engine: 'tfjs' | 'onnx';
  /** e.g. 'onnxruntime-node 1.30.0, 2 threads' or 'tfjs wasm'. */
  detail: string;
  /** Why this one: what was asked, and what ruled the other out. */
  reason: string;
  /** Things a person should see, e.g. that ONNX Runtime failed to load and why. */
  warnings: string[];
  /** Null on tfjs. */
  trainer: SuffixTrainer | null;
  close(): Promise<void>;
}

/**
 * Picks what trains the suffix when it trains apart from the frozen layers (on cached or
 * per-batch features). 'auto': tfjs on native TensorFlow (tfjs-node); otherwise the ONNX suffix
 * trainer when the suffix is one it can train (suffixSpecOf), tfjs when not (saying why), and
 * tfjs with a warning when ONNX Runtime fails to load. 'onnx' throws instead of falling back.
 */
export async function selectSuffixEngine(
  transfer: TransferModel,
  choice: SuffixEngineChoice = 'auto',
  options: { threads?: number; spin?: boolean } = {},
): Promise<SuffixEngine> {
  const shape = suffixSpecOf(transfer);
  return chooseEngine<SuffixEngine>({
    option: 'suffixEngine',
    part: 'trainable layers',
    fallback: (backend) => `train on tfjs ${backend}, slower`,
    warningType: 'TrainbookSuffixEngineWarning',
    choice,
    unsupported: 'reason' in shape ? shape.reason : undefined,
    tfjs: (reason, warnings) => ({
      engine: 'tfjs',
      detail: `tfjs ${tf.getBackend()}`,
      reason,
      warnings,
      trainer: null,
      close: async () => {},
    }),
    async onnx(reason) {
      const trainer = await startSuffixTrainer(transfer, {
        threads: options.threads ?? availableParallelism(),
        ...(options.spin !== undefined ? { spin: options.spin } : {}),
      });
      return {
        engine: 'onnx',
        detail: trainer.detail,
        reason,
        warnings: [],
        trainer,
        close: () => trainer.close(),
      };
    },
  });
}
