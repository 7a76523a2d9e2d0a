import * as tf from '@tensorflow/tfjs';
import { makeOptimizer, type OptimizerOptions } from './optimizer.js';

export interface HeadOptions {
  /** Units of the hidden Dense(relu) layer. Default 512. */
  units?: number;
  /** Dropout rate after it; 0 (the default) adds no Dropout layer. */
  dropout?: number;
}

export interface TransferModelOptions {
  /** A conv base such as `buildVgg16Base()`; its layers are reused, not copied. */
  base: tf.LayersModel;
  /** First base layer that trains; every layer before it is frozen. Default 'block5_conv1'. */
  trainableFrom?: string;
  head?: HeadOptions;
  /** Default 10 (CIFAR-10). */
  numClasses?: number;
  /** Default rmsprop, lr 0.001. */
  optimizer?: OptimizerOptions;
}

export interface TransferModel {
  /** The whole network, compiled: images [batch, h, w, 3] → probabilities [batch, numClasses]. */
  model: tf.LayersModel;
  /**
   * The frozen layers before `trainableFrom`, as a model: images → features
   * [batch, ...featureShape] (at 32×32 from block5_conv1: [batch, 2, 2, 512]). Null when
   * `trainableFrom` is the first layer.
   */
  frozenPrefix: tf.LayersModel | null;
  /**
   * The rest — base layers from `trainableFrom` plus the head — compiled with its own optimizer
   * of the same settings: features → probabilities. Shares its layers (weights) with `model`.
   */
  trainableSuffix: tf.LayersModel;
  featureShape: number[];
  trainableFrom: string;
  frozenLayers: string[];
  numClasses: number;
}

/**
 * Base + classifier head: Flatten → Dense(units, relu) → [Dropout] → Dense(numClasses,
 * softmax), compiled with categorical cross-entropy and accuracy. Layers of the base before
 * `trainableFrom` are frozen (trainable = false), the rest train.
 */
export function buildTransferModel(options: TransferModelOptions): TransferModel {
  const { base } = options;
  const trainableFrom = options.trainableFrom ?? 'block5_conv1';
  const units = options.head?.units ?? 512;
  const dropout = options.head?.dropout ?? 0;
  const numClasses = options.numClasses ?? 10;
  if (!(Number.isInteger(units) && units > 0))
    throw new Error(`head.units: expected a positive integer, got ${units}`);
  if (!(dropout >= 0 && dropout < 1))
    throw new Error(`head.dropout: expected 0 ≤ dropout < 1, got ${dropout}`);
  if (!(Number.isInteger(numClasses) && numClasses >= 2)) {
    throw new Error(`numClasses: expected an integer ≥ 2, got ${numClasses}`);
  }
  // Input layers hold no weights and can't be a split point.
  const layers = base.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  const start = layers.findIndex((layer) => layer.name === trainableFrom);
  if (start < 0) {
    throw new Error(
      `trainableFrom: no layer '${trainableFrom}' in ${base.name}; valid: ${layers.map((l) => l.name).join(', ')}`,
    );
  }
  if (base.inputs.length !== 1 || !isChain(base, layers)) {
    throw new Error(
      `buildTransferModel: ${base.name} must be a single chain of layers (as VGG16 is)`,
    );
  }
  layers.forEach((layer, i) => {
    layer.trainable = i >= start;
  });

  const head = [
    tf.layers.flatten({ name: 'flatten' }),
    tf.layers.dense({ units, activation: 'relu', name: 'fc1' }),
    ...(dropout > 0 ? [tf.layers.dropout({ rate: dropout, name: 'dropout' })] : []),
    tf.layers.dense({ units: numClasses, activation: 'softmax', name: 'predictions' }),
  ];
  const suffixLayers = [...layers.slice(start), ...head];
  const applyAll = (x: tf.SymbolicTensor, chain: tf.layers.Layer[]) =>
    chain.reduce((t, layer) => layer.apply(t) as tf.SymbolicTensor, x);

  const input = base.inputs[0]!;
  const splitPoint = start === 0 ? input : outputOf(layers[start - 1]!);
  const model = tf.model({
    inputs: input,
    outputs: applyAll(splitPoint, suffixLayers),
    name: 'transfer',
  });
  const featureShape = splitPoint.shape.slice(1) as number[];
  const featureInput = tf.input({ shape: featureShape, name: 'features' });
  const trainableSuffix = tf.model({
    inputs: featureInput,
    outputs: applyAll(featureInput, suffixLayers),
    name: 'transfer_suffix',
  });
  const frozenPrefix =
    start === 0 ? null : tf.model({ inputs: input, outputs: splitPoint, name: 'frozen_prefix' });

  for (const m of [model, trainableSuffix]) {
    m.compile({
      optimizer: makeOptimizer(options.optimizer),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
  }
  return {
    model,
    frozenPrefix,
    trainableSuffix,
    featureShape,
    trainableFrom,
    frozenLayers: layers.slice(0, start).map((l) => l.name),
    numClasses,
  };
}

/**
 * A layer's output in the base's own graph. Node 0 is where the base applied it; building a
 * transfer model applies its layers again (to the features input), adding nodes.
 */
function outputOf(layer: tf.layers.Layer): tf.SymbolicTensor {
  return layer.inboundNodes[0]!.outputTensors[0]!;
}

/** True when, in the base's graph, each layer's only input is the previous layer's output. */
function isChain(base: tf.LayersModel, layers: tf.layers.Layer[]): boolean {
  let previous: tf.SymbolicTensor = base.inputs[0]!;
  for (const layer of layers) {
    const inputs = layer.inboundNodes[0]?.inputTensors ?? [];
    if (inputs.length !== 1 || inputs[0] !== previous) return false;
    previous = outputOf(layer);
  }
  return true;
}
