import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { chooseEngine, type EngineChoice } from '../ort/engine-choice.js';
import { frozenPrefixToOnnx } from './onnx-graph.js';
import { startOnnxSession } from './onnx-session.js';

export type FrozenEngineChoice = EngineChoice;

/** What runs the frozen layers (pure inference): tfjs itself, or ONNX Runtime. */
export interface FrozenEngine {
  engine: 'tfjs' | 'onnx';
  /** e.g. 'onnxruntime-node 1.30.0, 2 threads' or 'tfjs wasm'. */
  detail: string;
  /** Why this one: what was asked, and what failed before it. */
  reason: string;
  /** Things a person should see, e.g. that ONNX Runtime failed to load and why. */
  warnings: string[];
  /** Features [count, ...featureShape] of preprocessed NHWC images [count, h, w, c]. */
  forward(images: Float32Array, count: number): Promise<Float32Array>;
  /** Ends the engine's worker (onnx); the tfjs prefix stays usable. */
  close(): Promise<void>;
}

export interface SelectFrozenEngineOptions {
  /** ONNX Runtime's intra-op threads; default: the machine's cores. */
  threads?: number;
}

/**
 * Picks the engine for the frozen prefix. 'auto': tfjs when it runs on native TensorFlow
 * (tfjs-node), which is as fast; otherwise ONNX Runtime (onnxruntime-node, CPU library inside
 * the package) with the prefix's current weights translated to an ONNX graph; should that fail,
 * tfjs again, with a warning saying why. 'onnx' throws instead of falling back; 'tfjs' always
 * works.
 */
export async function selectFrozenEngine(
  prefix: tf.LayersModel,
  choice: FrozenEngineChoice = 'auto',
  options: SelectFrozenEngineOptions = {},
): Promise<FrozenEngine> {
  return chooseEngine({
    option: 'frozenEngine',
    part: 'frozen layers',
    fallback: (backend) => `run on tfjs ${backend}, several times slower`,
    warningType: 'TrainbookFrozenEngineWarning',
    choice,
    tfjs: (reason, warnings) => tfjsEngine(prefix, reason, warnings),
    onnx: (reason) => onnxEngine(prefix, options.threads ?? availableParallelism(), reason),
  });
}

function tfjsEngine(prefix: tf.LayersModel, reason: string, warnings: string[]): FrozenEngine {
  const shape = prefix.inputs[0]!.shape.slice(1) as number[];
  return {
    engine: 'tfjs',
    detail: `tfjs ${tf.getBackend()}`,
    reason,
    warnings,
    async forward(images, count) {
      const out = tf.tidy(
        () =>
          prefix.predict(tf.tensor(images, [count, ...shape]), { batchSize: count }) as tf.Tensor,
      );
      try {
        return await out.data<'float32'>();
      } finally {
        out.dispose();
      }
    },
    async close() {},
  };
}

async function onnxEngine(
  prefix: tf.LayersModel,
  threads: number,
  reason: string,
): Promise<FrozenEngine> {
  const shape = prefix.inputs[0]!.shape.slice(1) as number[];
  const session = await startOnnxSession(frozenPrefixToOnnx(prefix), { threads });
  return {
    engine: 'onnx',
    detail: `onnxruntime-node ${session.version}, ${threads} threads`,
    reason,
    warnings: [],
    forward: (images, count) => session.run(images, [count, ...shape]),
    close: () => session.close(),
  };
}
