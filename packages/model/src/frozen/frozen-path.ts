import * as tf from '@tensorflow/tfjs';
import type { TransferModel } from '../transfer.js';

/**
 * How training gets the frozen layers' output:
 * - 'feature cache': computed once per image (no augmentation);
 * - 'feature cache with mirrors': once per image and once per mirror (flip-only augmentation,
 *   exact);
 * - 'frozen forward per batch': every batch, on ONNX Runtime, one batch ahead of training
 *   (augmentation that changes pixels: shifts, custom functions);
 * - 'whole model': tfjs runs the whole network each batch (no frozen prefix, cache off, or
 *   augmentation with the frozen layers on tfjs).
 */
export type FrozenPath =
  | 'feature cache'
  | 'feature cache with mirrors'
  | 'frozen forward per batch'
  | 'whole model';

export interface FrozenPlan {
  path: FrozenPath;
  reason: string;
  /** Validation features computed once (validation images are never augmented). */
  cacheValidation: boolean;
}

export interface PlanOptions {
  /** 'flip': left-right flips only; 'other': anything that changes pixels otherwise. */
  augment: 'none' | 'flip' | 'other';
  featureCache: 'auto' | 'on' | 'off';
  /** The engine the frozen layers run on (see selectFrozenEngine). */
  engine: 'tfjs' | 'onnx';
  trainImages: number;
  validationImages: number;
  maxBytes: number;
}

/** Layers whose output in training differs from inference, or from call to call. */
const STOCHASTIC_OR_STATEFUL = new Set([
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'BatchNormalization',
]);

/** Why the frozen prefix is not a pure function of the image, or null when it is. */
export function prefixNotDeterministic(transfer: TransferModel): string | null {
  const prefix = transfer.frozenPrefix;
  if (prefix == null) return 'no frozen layers: nothing to cache';
  for (const layer of prefix.layers) {
    if (layer.trainable && layer.weights.length > 0) {
      return `layer ${layer.name} before ${transfer.trainableFrom} is trainable`;
    }
    if (STOCHASTIC_OR_STATEFUL.has(layer.getClassName())) {
      return `frozen layer ${layer.name} (${layer.getClassName()}) is not deterministic`;
    }
  }
  return null;
}

/**
 * Picks the path (see {@link FrozenPath}) and says why. With featureCache 'on', a path
 * without a cache is an error naming the reason.
 */
export function planFrozenPath(transfer: TransferModel, options: PlanOptions): FrozenPlan {
  const plan = choose(transfer, options);
  if (options.featureCache === 'on' && !plan.path.startsWith('feature cache')) {
    throw new Error(`featureCache 'on' but the cache cannot be exact: ${plan.reason}`);
  }
  return plan;
}

function choose(transfer: TransferModel, options: PlanOptions): FrozenPlan {
  const whole = (reason: string): FrozenPlan => ({
    path: 'whole model',
    reason,
    cacheValidation: false,
  });
  if (options.featureCache === 'off') return whole('turned off (featureCache: off)');
  const notDeterministic = prefixNotDeterministic(transfer);
  if (notDeterministic) return whole(notDeterministic);
  const perImage = tf.util.sizeFromShape(transfer.featureShape) * 4;
  const validationBytes = options.validationImages * perImage;
  const variants = options.augment === 'flip' ? 2 : 1;
  const cacheBytes = options.trainImages * variants * perImage + validationBytes;
  const through = `frozen through ${transfer.frozenLayers.at(-1)}: features [${transfer.featureShape.join(', ')}]`;
  if (options.augment !== 'other' && cacheBytes <= options.maxBytes) {
    return variants === 2
      ? {
          path: 'feature cache with mirrors',
          reason: `${through} of each image and of its mirror computed once (${mb(cacheBytes)} MB); flips pick one`,
          cacheValidation: true,
        }
      : {
          path: 'feature cache',
          reason: `${through} computed once (${mb(cacheBytes)} MB)`,
          cacheValidation: true,
        };
  }
  const why =
    options.augment === 'other'
      ? 'inputs are augmented, so frozen features change each epoch'
      : `features would take ${mb(cacheBytes)} MB, above the ${mb(options.maxBytes)} MB limit`;
  const cacheValidation = validationBytes <= options.maxBytes;
  if (options.engine === 'onnx') {
    return {
      path: 'frozen forward per batch',
      reason: `${why}: the frozen layers run per batch on onnx, one batch ahead of training`,
      cacheValidation,
    };
  }
  return { ...whole(`${why}; the frozen layers run on tfjs with the rest`), cacheValidation };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
