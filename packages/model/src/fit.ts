import * as tf from '@tensorflow/tfjs';
import {
  type Augmentation,
  type AugmentFunction,
  augmentWith,
  checkAugmentation,
  drawTransforms,
  isFlipOnly,
} from './augment.js';
import {
  buildFeatureCache,
  type CacheProgress,
  type FeatureCache,
  gatherFeatures,
} from './feature-cache.js';
import {
  type FrozenEngine,
  type FrozenEngineChoice,
  selectFrozenEngine,
} from './frozen/frozen-engine.js';
import { type FrozenPath, planFrozenPath } from './frozen/frozen-path.js';
import type { ImageSource } from './image-source.js';
import { type Preprocessing, preprocessPixels } from './preprocess.js';
import { order, seededRandom } from './shuffle.js';
import {
  type SuffixEngine,
  type SuffixEngineChoice,
  selectSuffixEngine,
} from './suffix/suffix-trainer.js';
import type { TransferModel } from './transfer.js';
import { type BatchInputs, evaluate, oneHot, type ValidationPass } from './validation.js';

/** Keras' log keys, so that Keras and trainbook runs read alike. */
export interface EpochLogs {
  loss: number;
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
}

export interface BatchLogs {
  /** Images in this batch (the last one may be short). */
  size: number;
  loss: number;
  accuracy: number;
}

/** Return 'stop' to end training after this batch or epoch. */
type Verdict = undefined | 'stop';

export interface FitCallbacks {
  onCacheProgress?(progress: CacheProgress): void | Promise<void>;
  /** `epoch` and `batch` count from 0; `step` counts batches across epochs. */
  onBatchEnd?(
    info: { epoch: number; batch: number; step: number },
    logs: BatchLogs,
  ): Verdict | Promise<Verdict>;
  /** `logs` averages over the epoch's images; val_* when a validation set was given. */
  onEpochEnd?(epoch: number, logs: EpochLogs): Verdict | Promise<Verdict>;
}

export interface EarlyStoppingOptions {
  /** Default 'val_loss' (or 'loss' without validation data). */
  monitor?: keyof EpochLogs;
  /**
   * Stop after this many epochs in a row without improvement (Keras' meaning: 0 stops at the
   * first one). Unset: never stop, only track the best epoch (for restoreBestWeights).
   */
  patience?: number;
  /** Smallest change that counts as improvement. Default 0. */
  minDelta?: number;
  /** At the end, put back the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
}

export interface FitOptions {
  train: ImageSource;
  validation?: ImageSource;
  epochs: number;
  /** Default 64. */
  batchSize?: number;
  /** Shuffle training images each epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
  /** Default 'caffe' (what ImageNet weights expect). */
  preprocessing?: Preprocessing;
  /**
   * Training images only. `{ flip, shift }`: drawn by fit from `seed`; flip alone keeps the
   * feature cache (features of each image and of its mirror). A function changes each batch's
   * pixels in place; fit cannot see what it does, so the frozen layers run every batch.
   */
  augment?: Augmentation | AugmentFunction;
  /**
   * 'auto' (default): compute frozen-prefix features once when that is exact (see
   * `planFrozenPath`) and train only the suffix; 'off': run the whole model every batch on
   * tfjs; 'on': like 'auto' but an error when no cache can be exact.
   */
  featureCache?: 'auto' | 'on' | 'off';
  /**
   * What runs the frozen layers (the cache build, per-batch features, validation features):
   * 'auto' (default), 'tfjs', 'onnx' (see `selectFrozenEngine`), or an engine already started
   * for `transfer.frozenPrefix` (fit then leaves it open).
   */
  frozenEngine?: FrozenEngineChoice | FrozenEngine;
  /**
   * What trains the suffix when it trains apart from the frozen layers (on cached or per-batch
   * features): 'auto' (default), 'tfjs', 'onnx' (see `selectSuffixEngine`), or an engine
   * already started for this transfer model (fit then leaves it open). Unused when the whole
   * model trains on tfjs.
   */
  suffixEngine?: SuffixEngineChoice | SuffixEngine;
  /** Default 1 GiB. */
  featureCacheMaxBytes?: number;
  earlyStopping?: EarlyStoppingOptions;
  /** Aborting stops training after the current batch. */
  signal?: AbortSignal;
  callbacks?: FitCallbacks;
}

export interface FitResult {
  history: EpochLogs[];
  featureCache: { used: boolean; reason: string };
  /** Which engine ran the frozen layers and which path fed training (see FrozenPath). */
  frozen: {
    engine: 'tfjs' | 'onnx' | null;
    detail: string | null;
    engineReason: string | null;
    warnings: string[];
    path: FrozenPath;
    reason: string;
  };
  /** What trained the trainable layers: tfjs' trainOnBatch or the ONNX suffix trainer. */
  suffix: { engine: 'tfjs' | 'onnx'; detail: string; reason: string; warnings: string[] };
  /**
   * The validation pass the final weights had: the last epoch's, or the best epoch's when
   * early stopping restored its weights. Null without validation data or epochs.
   */
  validation: (ValidationPass & { epoch: number; which: 'last epoch' | 'best epoch' }) | null;
  /** Why training ended before `epochs`, or null. */
  stopped: null | 'early-stopping' | 'callback' | 'signal';
  /** Best epoch by the monitored value (0-based), when early stopping was configured. */
  bestEpoch: number | null;
  restoredBestWeights: boolean;
}

/**
 * Trains a transfer model on uint8 images, batch by batch, reporting as it goes. Training
 * steps are `trainOnBatch` of the compiled whole model, or, when the frozen layers run apart
 * (cached features, or per batch on ONNX Runtime), of the compiled trainable suffix on their
 * features — the same arithmetic on the same values, so losses and weights agree (see
 * fit.test.ts).
 */
export async function fitTransferModel(
  transfer: TransferModel,
  options: FitOptions,
): Promise<FitResult> {
  const batchSize = options.batchSize ?? 64;
  const preprocessing = options.preprocessing ?? 'caffe';
  const { train, validation, callbacks = {} } = options;
  if (!(Number.isInteger(options.epochs) && options.epochs >= 1)) {
    throw new Error(`epochs: expected an integer ≥ 1, got ${options.epochs}`);
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new Error(`batchSize: expected an integer ≥ 1, got ${batchSize}`);
  }
  checkShape('train', train, transfer);
  if (validation) checkShape('validation', validation, transfer);
  const augment = options.augment;
  if (augment != null && typeof augment !== 'function')
    checkAugmentation(augment, train.imageShape);
  const augmentKind =
    augment == null
      ? 'none'
      : typeof augment !== 'function' && isFlipOnly(augment)
        ? 'flip'
        : typeof augment !== 'function' && !augment.flip && !augment.shift
          ? 'none'
          : 'other';

  const choice = options.frozenEngine ?? 'auto';
  const ownEngine = typeof choice === 'string';
  const engine: FrozenEngine | null =
    transfer.frozenPrefix == null || options.featureCache === 'off'
      ? null
      : typeof choice === 'string'
        ? await selectFrozenEngine(transfer.frozenPrefix, choice)
        : choice;
  const suffixChoice = options.suffixEngine ?? 'auto';
  let suffixEngine: SuffixEngine | null = null;
  try {
    const plan = planFrozenPath(transfer, {
      augment: augmentKind,
      featureCache: options.featureCache ?? 'auto',
      engine: engine?.engine ?? 'tfjs',
      trainImages: train.size,
      validationImages: validation?.size ?? 0,
      maxBytes: options.featureCacheMaxBytes ?? 2 ** 30,
    });
    const cacheOptions = {
      preprocessing,
      batchSize,
      featureShape: transfer.featureShape,
      onProgress: callbacks.onCacheProgress,
    };
    const trainCache = plan.path.startsWith('feature cache')
      ? await buildFeatureCache(engine!, train, {
          ...cacheOptions,
          mirrored: plan.path === 'feature cache with mirrors',
        })
      : null;
    const validationCache =
      validation && plan.cacheValidation
        ? await buildFeatureCache(engine!, validation, { ...cacheOptions, subset: 'validation' })
        : null;
    if (plan.path !== 'whole model') {
      suffixEngine =
        typeof suffixChoice === 'string'
          ? await selectSuffixEngine(transfer, suffixChoice)
          : suffixChoice;
    }
    const result = await trainLoop(transfer, options, {
      batchSize,
      preprocessing,
      plan,
      engine,
      suffixEngine,
      trainCache,
      validationCache,
    });
    return {
      ...result,
      featureCache: { used: trainCache != null, reason: plan.reason },
      frozen: {
        engine: engine?.engine ?? null,
        detail: engine?.detail ?? null,
        engineReason: engine?.reason ?? null,
        warnings: engine?.warnings ?? [],
        path: plan.path,
        reason: plan.reason,
      },
      suffix: suffixEngine
        ? {
            engine: suffixEngine.engine,
            detail: suffixEngine.detail,
            reason: suffixEngine.reason,
            warnings: suffixEngine.warnings,
          }
        : {
            engine: 'tfjs',
            detail: `tfjs ${tf.getBackend()}`,
            reason: 'the whole model trains on tfjs',
            warnings: [],
          },
    };
  } finally {
    if (ownEngine) await engine?.close();
    if (typeof suffixChoice === 'string') await suffixEngine?.close();
  }
}

async function trainLoop(
  transfer: TransferModel,
  options: FitOptions,
  setup: {
    batchSize: number;
    preprocessing: Preprocessing;
    plan: { path: FrozenPath };
    engine: FrozenEngine | null;
    suffixEngine: SuffixEngine | null;
    trainCache: FeatureCache | null;
    validationCache: FeatureCache | null;
  },
): Promise<Omit<FitResult, 'featureCache' | 'frozen' | 'suffix'>> {
  const { batchSize, preprocessing, plan, engine, trainCache, validationCache } = setup;
  // On ONNX Runtime, from the suffix's weights and optimizer state as they are now.
  const trainer = setup.suffixEngine?.trainer ?? null;
  await trainer?.load();
  const { train, validation, callbacks = {}, augment } = options;
  const [h, w, c] = train.imageShape;
  const augmentRandom = seededRandom(((options.seed ?? 0) ^ 0x5bd1e995) >>> 0);
  const augmentPixels =
    typeof augment === 'function' ? augment : augment && augmentWith(augment, augmentRandom);

  /** Pixels → network inputs of the whole model, or → features on the frozen engine. */
  const fromPixels = async (source: ImageSource, indices: Int32Array, augmented: boolean) => {
    const batch = await source.read(indices);
    if (augmented) augmentPixels?.(batch, source.imageShape);
    const pixels = preprocessPixels(batch.images, preprocessing);
    const labels = Int32Array.from(batch.labels);
    if (plan.path !== 'frozen forward per batch') {
      return { x: pixels, shape: [indices.length, h, w, c], labels };
    }
    const x = await engine!.forward(pixels, indices.length);
    return { x, shape: [indices.length, ...transfer.featureShape], labels };
  };
  const fromCache = (cache: FeatureCache, indices: Int32Array, augmented: boolean) => {
    const mirrored =
      augmented && cache.variants === 2 && augment && typeof augment !== 'function'
        ? drawTransforms(augment, indices.length, augmentRandom).map((t) => t.flip)
        : undefined;
    return {
      x: gatherFeatures(cache, indices, mirrored),
      shape: [indices.length, ...cache.featureShape],
      labels: Int32Array.from(indices, (i) => cache.labels[i]!),
    };
  };
  const trainInputs = async (indices: Int32Array): Promise<BatchInputs> =>
    trainCache ? fromCache(trainCache, indices, true) : fromPixels(train, indices, true);
  const validationInputs = async (indices: Int32Array): Promise<BatchInputs> =>
    validationCache
      ? fromCache(validationCache, indices, false)
      : fromPixels(validation!, indices, false);
  const suffixTrains = plan.path !== 'whole model';
  const trainee = suffixTrains ? transfer.trainableSuffix : transfer.model;
  const validator =
    validationCache || plan.path === 'frozen forward per batch'
      ? (trainer?.predict ?? transfer.trainableSuffix)
      : transfer.model;

  const random = seededRandom(options.seed ?? 0);
  const stopping = options.earlyStopping;
  const monitor = stopping?.monitor ?? (validation ? 'val_loss' : 'loss');
  const higherIsBetter = monitor.endsWith('accuracy');
  let best: {
    epoch: number;
    value: number;
    weights: tf.Tensor[] | null;
    pass: ValidationPass | null;
  } | null = null;
  let last: { epoch: number; pass: ValidationPass } | null = null;
  let waited = 0;
  const history: EpochLogs[] = [];
  let stopped: FitResult['stopped'] = null;
  let step = 0;

  try {
    for (let epoch = 0; epoch < options.epochs && stopped == null; epoch++) {
      const indices = order(train.size, options.shuffle === false ? undefined : random);
      const slice = (batch: number) => indices.subarray(batch * batchSize, (batch + 1) * batchSize);
      const batches = Math.ceil(train.size / batchSize);
      let lossSum = 0;
      let correctSum = 0;
      // Batch b + 1's inputs are asked for before batch b trains: on ONNX Runtime's thread they
      // are computed while tfjs trains.
      let next: Promise<BatchInputs> | null = trainInputs(slice(0));
      for (let batch = 0; batch < batches; batch++) {
        const inputs: BatchInputs = await next!;
        next = batch + 1 < batches ? trainInputs(slice(batch + 1)) : null;
        const logs = trainer
          ? await trainer.step(inputs.x, inputs.labels).then(({ loss, correct }) => ({
              size: inputs.labels.length,
              loss,
              accuracy: correct / inputs.labels.length,
            }))
          : await trainOnBatch(trainee, inputs, transfer.numClasses);
        lossSum += logs.loss * logs.size;
        correctSum += logs.accuracy * logs.size;
        const verdict = await callbacks.onBatchEnd?.({ epoch, batch, step: step++ }, logs);
        if (verdict === 'stop') stopped = 'callback';
        else if (options.signal?.aborted) stopped = 'signal';
        if (stopped) break;
      }
      // Stopped early: the batch already asked for is not used, but must settle quietly.
      await next?.catch(() => undefined);
      // The tfjs model gets ONNX Runtime's weights each epoch: validation on the whole model,
      // best-weight snapshots, callbacks that save, and the caller all read them there.
      await trainer?.sync();
      const logs: EpochLogs = { loss: lossSum / train.size, accuracy: correctSum / train.size };
      let pass: ValidationPass | null = null;
      if (validation && stopped == null) {
        pass = await evaluate(
          validator,
          transfer.numClasses,
          validation.size,
          batchSize,
          validationInputs,
        );
        logs.val_loss = pass.loss;
        logs.val_accuracy = pass.accuracy;
        last = { epoch, pass };
      }
      if (stopped) break; // a partial epoch is not an epoch: no logs, no epoch callback
      history.push(logs);
      if (stopping) {
        const value = logs[monitor];
        if (value == null)
          throw new Error(`earlyStopping.monitor '${monitor}' is not in the epoch logs`);
        const delta = stopping.minDelta ?? 0;
        if (
          best == null ||
          (higherIsBetter ? value > best.value + delta : value < best.value - delta)
        ) {
          for (const t of best?.weights ?? []) t.dispose();
          const weights = stopping.restoreBestWeights
            ? transfer.model.trainableWeights.map((w) => w.read().clone())
            : null;
          best = { epoch, value, weights, pass };
          waited = 0;
        } else {
          waited++;
          if (stopping.patience != null && waited >= stopping.patience) stopped = 'early-stopping';
        }
      }
      if ((await callbacks.onEpochEnd?.(epoch, logs)) === 'stop') stopped ??= 'callback';
      if (options.signal?.aborted) stopped ??= 'signal';
    }
    let restoredBestWeights = false;
    if (best?.weights && best.epoch !== history.length - 1) {
      for (const [i, w] of transfer.model.trainableWeights.entries()) w.write(best.weights[i]!);
      restoredBestWeights = true;
    }
    const finalPass =
      restoredBestWeights && best?.pass
        ? { ...best.pass, epoch: best.epoch, which: 'best epoch' as const }
        : last && last.epoch === history.length - 1
          ? { ...last.pass, epoch: last.epoch, which: 'last epoch' as const }
          : null;
    return {
      history,
      stopped,
      bestEpoch: best?.epoch ?? null,
      restoredBestWeights,
      validation: finalPass,
    };
  } finally {
    for (const t of best?.weights ?? []) t.dispose();
  }
}

async function trainOnBatch(
  model: tf.LayersModel,
  inputs: BatchInputs,
  numClasses: number,
): Promise<BatchLogs> {
  const x = tf.tensor(inputs.x, inputs.shape);
  const y = oneHot(inputs.labels, numClasses);
  try {
    const [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[];
    return { size: inputs.labels.length, loss: loss!, accuracy: accuracy! };
  } finally {
    x.dispose();
    y.dispose();
  }
}

function checkShape(name: string, source: ImageSource, transfer: TransferModel): void {
  const expected = (transfer.model.inputs[0]!.shape as number[]).slice(1);
  if (!tf.util.arraysEqual(source.imageShape, expected)) {
    throw new Error(
      `${name} images are [${source.imageShape.join(', ')}], the model takes [${expected.join(', ')}]`,
    );
  }
  if (source.size < 1) throw new Error(`${name}: no images`);
}
