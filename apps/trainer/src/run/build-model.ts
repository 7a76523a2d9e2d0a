import {
  buildTransferModel,
  buildVgg16Base,
  featureCacheEligibility,
  selectBackend,
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
  const base = buildVgg16Base();
  const weights = await loadWeights(config, base);
  return { backend, base, weights };
}

/**
 * The transfer model on the base (frozen up to --trainable-from, the new head, the
 * optimizer), and whether its frozen features can be cached exactly for this run.
 */
export function buildModel(options: {
  config: TrainConfig;
  output: ConsoleOutput;
  base: ReturnType<typeof buildVgg16Base>;
  images: number;
  augmented: boolean;
}) {
  const { config, output, base } = options;
  const lr = config.lr ?? defaultLr[config.optimizer];
  const transfer = buildTransferModel({
    base,
    trainableFrom: config.trainableFrom,
    head: { units: config.denseUnits, dropout: config.dropout },
    optimizer: { name: config.optimizer, learningRate: lr },
  });
  const featureCache =
    config.cacheFeatures === 'off'
      ? { eligible: false, reason: 'turned off (--cache-features off)' }
      : featureCacheEligibility(transfer, {
          augmented: options.augmented,
          images: options.images,
          maxBytes: 2 ** 30,
        });
  if (config.cacheFeatures === 'on' && !featureCache.eligible) {
    throw new Error(`--cache-features on, but the cache cannot be exact: ${featureCache.reason}`);
  }
  output.info(
    `feature cache: ${featureCache.eligible ? 'used' : 'not used'} (${featureCache.reason})`,
    { featureCache: featureCache.eligible },
  );
  return { transfer, lr, featureCache };
}
