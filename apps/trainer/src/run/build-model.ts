import {
  buildTransferModel,
  buildVgg16Base,
  planFrozenPath,
  selectBackend,
  selectFrozenEngine,
  selectSuffixEngine,
} from '@trainbook/model';
import type { TrainConfig } from '../cli.js';
import type { ConsoleOutput } from '../console/console-output.js';
import { loadWeights } from './load-weights.js';

/** Keras' default learning rates, which the model package uses too. */
export const defaultLr = { rmsprop: 0.001, adam: 0.001, sgd: 0.01 } as const;

/**
 * The backend, then VGG16 with its starting weights. Done before the data is read, so that a
 * bad --weights file is said in one line at once, not after loading CIFAR-10.
 */
export async function buildBase(options: { config: TrainConfig; output: ConsoleOutput }) {
  const { config, output } = options;
  const backend = await selectBackend(config.backend);
  output.info(`backend: ${backend.backend} (${backend.reason})`, { backend: backend.backend });
  for (const warning of backend.warnings) output.warn(warning);
  // Loaded weights replace every kernel: drawing random ones first would only cost time.
  const base = buildVgg16Base(config.weights === 'none' ? {} : { kernels: 'zeros' });
  const weights = await loadWeights(config, base);
  return { backend, base, weights };
}

/**
 * The transfer model on the base (frozen up to --trainable-from, the new head, the
 * optimizer), the engine that runs its frozen layers (--frozen-engine), how training gets
 * their output for this run (cached, cached with mirrors, per batch, or the whole model), and
 * what trains the layers after them on that output (--suffix-engine; null for the whole model).
 */
export async function buildModel(options: {
  config: TrainConfig;
  output: ConsoleOutput;
  base: ReturnType<typeof buildVgg16Base>;
  trainImages: number;
  validationImages: number;
}) {
  const { config, output, base } = options;
  const lr = config.lr ?? defaultLr[config.optimizer];
  const transfer = buildTransferModel({
    base,
    trainableFrom: config.trainableFrom,
    head: { units: config.denseUnits, dropout: config.dropout },
    optimizer: { name: config.optimizer, learningRate: lr },
  });
  const engine =
    transfer.frozenPrefix == null || config.cacheFeatures === 'off'
      ? null
      : await selectFrozenEngine(transfer.frozenPrefix, config.frozenEngine);
  if (!engine && config.frozenEngine !== 'auto') {
    output.warn(
      `--frozen-engine ${config.frozenEngine} has no effect here: ${transfer.frozenPrefix == null ? 'no layer is frozen' : 'with --cache-features off, tfjs runs the whole model'}`,
    );
  }
  if (engine) {
    output.info(`frozen layers: ${engine.engine}, ${engine.detail} (${engine.reason})`, {
      frozenEngine: engine.engine,
    });
    for (const warning of engine.warnings) output.warn(warning);
  }
  const { flip, shift } = config.augment;
  const plan = planFrozenPath(transfer, {
    augment: shift > 0 ? 'other' : flip ? 'flip' : 'none',
    featureCache: config.cacheFeatures === 'off' ? 'off' : 'auto',
    engine: engine?.engine ?? 'tfjs',
    trainImages: options.trainImages,
    validationImages: options.validationImages,
    maxBytes: 2 ** 30,
  });
  const cached = plan.path.startsWith('feature cache');
  if (config.cacheFeatures === 'on' && !cached) {
    await engine?.close();
    throw new Error(`--cache-features on, but the cache cannot be exact: ${plan.reason}`);
  }
  output.info(`feature cache: ${cached ? 'used' : 'not used'}, ${plan.path} (${plan.reason})`, {
    featureCache: cached,
    frozenPath: plan.path,
  });
  if (plan.path === 'whole model') {
    if (config.suffixEngine !== 'auto') {
      output.warn(
        `--suffix-engine ${config.suffixEngine} has no effect here: tfjs trains the whole model (${plan.reason})`,
      );
    }
    return { transfer, lr, engine, plan, suffix: null };
  }
  const suffix = await selectSuffixEngine(transfer, config.suffixEngine).catch(async (error) => {
    await engine?.close();
    throw error;
  });
  output.info(`trainable layers: ${suffix.engine}, ${suffix.detail} (${suffix.reason})`, {
    suffixEngine: suffix.engine,
  });
  for (const warning of suffix.warnings) output.warn(warning);
  return { transfer, lr, engine, plan, suffix };
}
