import * as tf from '@tensorflow/tfjs';
import {
  buildFeatureCache,
  type CacheProgress,
  type FeatureCache,
  featureCacheEligibility,
  gatherFeatures,
} from './feature-cache.js';
import type { ImageBatch, ImageSource } from './image-source.js';
import { type Preprocessing, preprocessImages } from './preprocess.js';
import { order, seededRandom } from './shuffle.js';
import type { TransferModel } from './transfer.js';

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
  /** Changes each batch's pixels in place before preprocessing; turns the feature cache off. */
  augment?: (batch: ImageBatch, imageShape: [number, number, number]) => void;
  /**
   * 'auto' (default): compute frozen-prefix features once when that is exact (see
   * `featureCacheEligibility`) and train only the suffix; 'off': run the whole model every
   * batch; 'on': like 'auto' but an error when not eligible.
   */
  featureCache?: 'auto' | 'on' | 'off';
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
  /** Why training ended before `epochs`, or null. */
  stopped: null | 'early-stopping' | 'callback' | 'signal';
  /** Best epoch by the monitored value (0-based), when early stopping was configured. */
  bestEpoch: number | null;
  restoredBestWeights: boolean;
}

/**
 * Trains a transfer model on uint8 images, batch by batch, reporting as it goes. Training
 * steps are `trainOnBatch` of the compiled whole model, or, with the feature cache, of the
 * compiled trainable suffix on cached features — the same arithmetic on the same values, so
 * losses and weights agree (see fit.test.ts).
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

  const cacheMode = options.featureCache ?? 'auto';
  const eligibility =
    cacheMode === 'off'
      ? { eligible: false, reason: 'turned off (featureCache: off)' }
      : featureCacheEligibility(transfer, {
          augmented: options.augment != null,
          images: train.size + (validation?.size ?? 0),
          maxBytes: options.featureCacheMaxBytes ?? 2 ** 30,
        });
  if (cacheMode === 'on' && !eligibility.eligible) {
    throw new Error(`featureCache 'on' but the cache cannot be exact: ${eligibility.reason}`);
  }
  let trainCache: FeatureCache | null = null;
  let validationCache: FeatureCache | null = null;
  if (eligibility.eligible) {
    const cacheOptions = { preprocessing, batchSize, onProgress: callbacks.onCacheProgress };
    trainCache = await buildFeatureCache(transfer.frozenPrefix!, train, cacheOptions);
    if (validation) {
      validationCache = await buildFeatureCache(transfer.frozenPrefix!, validation, {
        ...cacheOptions,
        subset: 'validation',
      });
    }
  }

  const toInputs = async (source: ImageSource, cache: FeatureCache | null, indices: Int32Array) => {
    if (cache) {
      const labels = Int32Array.from(indices, (i) => cache.labels[i]!);
      return { x: gatherFeatures(cache, indices), labels };
    }
    const batch = await source.read(indices);
    if (source === train) options.augment?.(batch, source.imageShape);
    const [h, w, c] = source.imageShape;
    const x = tf.tidy(() =>
      preprocessImages(
        tf.tensor4d(Float32Array.from(batch.images), [indices.length, h, w, c]),
        preprocessing,
      ),
    );
    return { x, labels: Int32Array.from(batch.labels) };
  };
  const trainee = trainCache ? transfer.trainableSuffix : transfer.model;
  const random = seededRandom(options.seed ?? 0);
  const stopping = options.earlyStopping;
  const monitor = stopping?.monitor ?? (validation ? 'val_loss' : 'loss');
  const higherIsBetter = monitor.endsWith('accuracy');
  let best: { epoch: number; value: number; weights: tf.Tensor[] | null } | null = null;
  let waited = 0;
  const history: EpochLogs[] = [];
  let stopped: FitResult['stopped'] = null;
  let step = 0;

  try {
    for (let epoch = 0; epoch < options.epochs && stopped == null; epoch++) {
      const indices = order(train.size, options.shuffle === false ? undefined : random);
      let lossSum = 0;
      let correctSum = 0;
      for (let batch = 0; batch * batchSize < train.size; batch++) {
        const slice = indices.subarray(batch * batchSize, (batch + 1) * batchSize);
        const { x, labels } = await toInputs(train, trainCache, slice);
        const y = oneHot(labels, transfer.numClasses);
        let logs: BatchLogs;
        try {
          const [loss, accuracy] = (await trainee.trainOnBatch(x, y)) as number[];
          logs = { size: slice.length, loss: loss!, accuracy: accuracy! };
        } finally {
          x.dispose();
          y.dispose();
        }
        lossSum += logs.loss * logs.size;
        correctSum += logs.accuracy * logs.size;
        const verdict = await callbacks.onBatchEnd?.({ epoch, batch, step: step++ }, logs);
        if (verdict === 'stop') stopped = 'callback';
        else if (options.signal?.aborted) stopped = 'signal';
        if (stopped) break;
      }
      const logs: EpochLogs = { loss: lossSum / train.size, accuracy: correctSum / train.size };
      if (validation && stopped == null) {
        const suffixOrWhole = validationCache ? transfer.trainableSuffix : transfer.model;
        const evaluated = await evaluate(
          suffixOrWhole,
          transfer.numClasses,
          validation.size,
          batchSize,
          (ix) => toInputs(validation, validationCache, ix),
        );
        logs.val_loss = evaluated.loss;
        logs.val_accuracy = evaluated.accuracy;
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
          best = { epoch, value, weights };
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
    return {
      history,
      featureCache: { used: trainCache != null, reason: eligibility.reason },
      stopped,
      bestEpoch: best?.epoch ?? null,
      restoredBestWeights,
    };
  } finally {
    for (const t of best?.weights ?? []) t.dispose();
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

function oneHot(labels: Int32Array, numClasses: number): tf.Tensor2D {
  for (const label of labels) {
    if (!(label >= 0 && label < numClasses)) {
      throw new Error(`label ${label}: expected a class index 0 … ${numClasses - 1}`);
    }
  }
  return tf.tidy(
    () => tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses).toFloat() as tf.Tensor2D,
  );
}

/** Mean categorical cross-entropy and accuracy over a data set, batch by batch (as Keras). */
async function evaluate(
  model: tf.LayersModel,
  numClasses: number,
  size: number,
  batchSize: number,
  inputs: (indices: Int32Array) => Promise<{ x: tf.Tensor; labels: Int32Array }>,
): Promise<{ loss: number; accuracy: number }> {
  const all = order(size);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < size; start += batchSize) {
    const { x, labels } = await inputs(all.subarray(start, start + batchSize));
    const y = oneHot(labels, numClasses);
    const [loss, hits] = tf.tidy(() => {
      const p = model.predict(x, { batchSize: labels.length }) as tf.Tensor2D;
      return [
        tf.sum(tf.metrics.categoricalCrossentropy(y, p)),
        tf.sum(tf.metrics.categoricalAccuracy(y, p)),
      ];
    });
    lossSum += (await loss!.data())[0]!;
    correct += (await hits!.data())[0]!;
    tf.dispose([x, y, loss!, hits!]);
  }
  return { loss: lossSum / size, accuracy: correct / size };
}
