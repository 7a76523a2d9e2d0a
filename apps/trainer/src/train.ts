import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createProgressBar } from '@trainbook/download';
import { type Diagnosis, diagnose } from '@trainbook/insights';
import {
  buildTransferModel,
  buildVgg16Base,
  featureCacheEligibility,
  fitTransferModel,
  loadVgg16ImagenetWeights,
  selectBackend,
  VGG16_NOTOP_WEIGHTS,
} from '@trainbook/model';
import type { TrainConfig } from './cli.js';
import type { ConsoleOutput } from './console/console-output.js';
import { batchCount } from './data/batches.js';
import { datasetHash } from './data/dataset-hash.js';
import { loadCifar10 } from './data/load-cifar10.js';
import { selectExamples } from './data/select-examples.js';
import type { TrainerEnv } from './env.js';
import { augmenter, exampleSource } from './image-sources.js';
import { confusionMatrix, saveModel } from './model-artifacts.js';
import type { FinishRunInput } from './reporting/journal.js';
import { type EpochMetrics, runSummary } from './reporting/metrics.js';
import { RunReporter } from './reporting/run-reporter.js';
import { describe } from './reporting/sender.js';
import { gitState, host, versions } from './run-env.js';

export interface TrainOptions {
  config: TrainConfig;
  env: TrainerEnv;
  output: ConsoleOutput;
  /** Aborted on Ctrl-C: training stops after the current batch. */
  signal: AbortSignal;
  /** The tracker URL to report to, once it is known to answer (or null: offline). */
  trackerUrl: string | null;
}

export interface TrainOutcome {
  runId: string;
  status: 'finished' | 'failed' | 'killed';
  summary: Record<string, unknown> | null;
  error?: Error;
  /** What the curves and params say (@trainbook/insights), for the end-of-run printout. */
  diagnosis?: Diagnosis;
}

/** Keras' default learning rates, which the model package uses too. */
const defaultLr = { rmsprop: 0.001, adam: 0.001, sgd: 0.01 } as const;
const batchEveryMs = 1000;

/**
 * fit's awaits settle as microtasks only, so without this the event loop would not turn during
 * training: no report would go out, no heartbeat, and Ctrl-C would not be seen until the end.
 */
const yieldToEventLoop = () => new Promise<void>((done) => setImmediate(done));

/** The run, from data to saved model, reported as it goes. */
export async function train(options: TrainOptions): Promise<TrainOutcome> {
  const { config, env, output, signal } = options;
  const runId = randomUUID();
  const lr = config.lr ?? defaultLr[config.optimizer];

  const cifar = await loadCifar10({
    data: config.data,
    onDownloadProgress: createProgressBar({ label: 'CIFAR-10' }),
    signal,
  });
  const sets = selectExamples(cifar, {
    validation: config.validation,
    subset: config.subset,
    seed: config.seed,
  });
  const hash = datasetHash(sets);
  output.info(
    `data: ${sets.train.indices.length} training, ${sets.validation.indices.length} validation images from ${cifar.source.path}`,
  );

  const backend = await selectBackend(config.backend);
  output.info(`backend: ${backend.backend} (${backend.reason})`, { backend: backend.backend });
  for (const warning of backend.warnings) output.warn(warning);

  const base = buildVgg16Base();
  const weights = await loadWeights(config, base);
  const transfer = buildTransferModel({
    base,
    trainableFrom: config.trainableFrom,
    head: { units: config.denseUnits, dropout: config.dropout },
    optimizer: { name: config.optimizer, learningRate: lr },
  });
  const train = exampleSource(sets.train);
  const validation = exampleSource(sets.validation);
  const augment = augmenter({ ...config.augment, seed: config.seed });
  const eligibility =
    config.cacheFeatures === 'off'
      ? { eligible: false, reason: 'turned off (--cache-features off)' }
      : featureCacheEligibility(transfer, {
          augmented: augment !== null,
          images: train.size + validation.size,
          maxBytes: 2 ** 30,
        });
  if (config.cacheFeatures === 'on' && !eligibility.eligible) {
    throw new Error(`--cache-features on, but the cache cannot be exact: ${eligibility.reason}`);
  }
  output.info(
    `feature cache: ${eligibility.eligible ? 'used' : 'not used'} (${eligibility.reason})`,
    { featureCache: eligibility.eligible },
  );

  const { offline, tracker, quiet, json, lr: _lr, ...params } = config;
  const spoolDir = join(env.TRAINBOOK_HOME, 'spool');
  const journalPath = join(spoolDir, `${runId}.jsonl`);
  let wasUnreachable = false;
  const reporter = new RunReporter({
    spoolDir,
    trackerUrl: options.trackerUrl,
    token: env.TRACKER_TOKEN,
    heartbeatMs: env.TRAINBOOK_HEARTBEAT_SECONDS * 1000,
    run: {
      id: runId,
      ...(config.name ? { name: config.name } : {}),
      params: {
        ...params,
        lr,
        weights: weights.label,
        trainImages: train.size,
        validationImages: validation.size,
      },
      env: {
        backend: backend.backend,
        backendReason: backend.reason,
        backendThreads: backend.threads,
        featureCache: { used: eligibility.eligible, reason: eligibility.reason },
        versions: versions(),
        git: gitState(),
        host: host(),
        node: process.version,
        seed: config.seed,
        datasetHash: hash,
        data: { ...cifar.source },
        weights: weights.detail,
      },
      notes: config.notes,
      tags: config.tag,
      startedAt: new Date(),
    },
    onState: (state) => {
      if (state.kind === 'unreachable' && state.attempt === 1)
        output.warn(
          `tracker unreachable (${state.error}); training goes on, reports wait in ${journalPath} and are retried`,
        );
      else if (state.kind === 'sending' && wasUnreachable)
        output.info('tracker reachable again: sending what waited');
      else if (state.kind === 'rejected')
        output.warn(
          `the tracker refused a report (${state.error}); the run stays in ${journalPath}, and pnpm sync moves it to the spool's quarantine folder`,
        );
      wasUnreachable = state.kind === 'unreachable';
    },
  });
  output.info(`run ${runId}: ${env.TRAINBOOK_DASHBOARD_URL.replace(/\/$/, '')}/runs/${runId}`, {
    runId,
    spool: reporter.journal.path,
  });
  if (!options.trackerUrl)
    output.info(`offline: reports go to ${reporter.journal.path}; send them later with pnpm sync`);

  const history: EpochMetrics[] = [];
  const batches = batchCount(sets.train, { batchSize: config.batchSize });
  let epochStart = performance.now();
  let trainEnd = epochStart;
  let running = { loss: 0, correct: 0, images: 0 };
  let lastBatchPoint = 0;
  try {
    const result = await fitTransferModel(transfer, {
      train,
      validation,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      preprocessing: config.preprocessing,
      ...(augment ? { augment } : {}),
      featureCache: config.cacheFeatures,
      ...(config.earlyStopping !== undefined
        ? {
            earlyStopping: {
              patience: config.earlyStopping,
              restoreBestWeights: true,
              monitor: 'val_loss',
            },
          }
        : {}),
      signal,
      callbacks: {
        onCacheProgress: async ({ subset, done, total }) => {
          if (done === total || done % (config.batchSize * 50) < config.batchSize)
            output.info(`caching frozen features (${subset}): ${done}/${total}`);
          epochStart = performance.now();
          await yieldToEventLoop();
        },
        onBatchEnd: async ({ epoch, batch, step }, logs) => {
          if (batch === 0) {
            output.epochStart(epoch + 1, config.epochs);
            running = { loss: 0, correct: 0, images: 0 };
          }
          running.loss += logs.loss * logs.size;
          running.correct += logs.accuracy * logs.size;
          running.images += logs.size;
          const loss = running.loss / running.images;
          const accuracy = running.correct / running.images;
          output.batch({ batch: batch + 1, batches, loss, accuracy });
          const now = Date.now();
          if (step === 0 || now - lastBatchPoint >= batchEveryMs) {
            lastBatchPoint = now;
            reporter.log([
              { key: 'batch/loss', step, epoch: epoch + 1, value: logs.loss, wallTime: now },
              {
                key: 'batch/accuracy',
                step,
                epoch: epoch + 1,
                value: logs.accuracy,
                wallTime: now,
              },
            ]);
          }
          trainEnd = performance.now();
          await yieldToEventLoop();
          return undefined;
        },
        onEpochEnd: (epoch, logs) => {
          const now = performance.now();
          const metrics: EpochMetrics = {
            epoch: epoch + 1,
            loss: logs.loss,
            accuracy: logs.accuracy,
            val_loss: logs.val_loss,
            val_accuracy: logs.val_accuracy,
            lr,
            epoch_seconds: (now - epochStart) / 1000,
            images_per_second: train.size / ((trainEnd - epochStart) / 1000),
          };
          epochStart = now;
          history.push(metrics);
          const wallTime = Date.now();
          reporter.log(
            Object.entries(metrics)
              .filter(([key, value]) => key !== 'epoch' && value !== undefined)
              .map(([key, value]) => ({
                key,
                step: epoch + 1,
                epoch: epoch + 1,
                value: value as number,
                wallTime,
              })),
          );
          reporter.checkpoint();
          output.epochEnd({
            epoch: epoch + 1,
            epochs: config.epochs,
            seconds: metrics.epoch_seconds,
            imagesPerSecond: metrics.images_per_second,
            loss: logs.loss,
            accuracy: logs.accuracy,
            val_loss: logs.val_loss,
            val_accuracy: logs.val_accuracy,
          });
          return undefined;
        },
      },
    });

    if (result.featureCache.used !== eligibility.eligible) {
      output.warn(
        `feature cache: fit says ${result.featureCache.used ? 'used' : 'not used'} (${result.featureCache.reason})`,
      );
    }
    const killed = result.stopped === 'signal';
    const summary = runSummary(history, {
      stopped: result.stopped,
      restoredBestWeights: result.restoredBestWeights,
    });
    if (!killed && history.length > 0) {
      if (result.restoredBestWeights)
        output.info(`restored the weights of epoch ${(result.bestEpoch ?? 0) + 1} (best val_loss)`);
      output.info(`evaluating ${validation.size} validation images for the confusion matrix`);
      const evaluation = await confusionMatrix({
        model: transfer.model,
        source: validation,
        numClasses: transfer.numClasses,
        preprocessing: config.preprocessing,
        batchSize: config.batchSize,
        signal,
      });
      summary.evaluatedAccuracy = evaluation.accuracy;
      const inline = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
      reporter.artifact({
        runId,
        kind: 'confusion_matrix',
        name: 'confusion_matrix.json',
        contentBase64: inline({ classes: cifar.classNames, matrix: evaluation.matrix }),
        meta: {
          set: 'validation',
          images: validation.size,
          rows: 'true class',
          columns: 'predicted class',
        },
      });
      reporter.artifact({
        runId,
        kind: 'per_class_accuracy',
        name: 'per_class_accuracy.json',
        contentBase64: inline({ classes: cifar.classNames, accuracy: evaluation.perClassAccuracy }),
        meta: { set: 'validation', images: validation.size },
      });
      const saved = await saveModel(
        transfer.model,
        join(env.TRAINBOOK_HOME, 'runs', runId, 'model'),
      );
      reporter.artifact({
        runId,
        kind: 'model',
        name: 'model',
        location: saved.location,
        size: saved.size,
        sha256: saved.sha256,
        meta: { format: 'tfjs-layers', folder: saved.folder, files: saved.files },
      });
      output.info(`model saved to ${saved.folder}`);
    }
    const status = killed ? 'killed' : 'finished';
    const reason = killed ? 'stopped by Ctrl-C (SIGINT) after the current batch' : undefined;
    await finish(reporter, output, env, { status, summary, ...(reason ? { reason } : {}) });
    const diagnosis = diagnose({
      epochs: history,
      params: { ...params, lr, weights: weights.label },
    });
    return { runId, status, summary, diagnosis };
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    const summary = runSummary(history, { stopped: null, restoredBestWeights: false });
    if (signal.aborted) {
      // Ctrl-C after training, while evaluating or saving: still the user's stop, not a failure.
      const reason = `stopped by Ctrl-C (SIGINT) while finishing the run: ${err.message}`;
      await finish(reporter, output, env, { status: 'killed', summary, reason });
      return { runId, status: 'killed', summary };
    }
    await finish(reporter, output, env, {
      status: 'failed',
      summary,
      reason: (err.stack ?? err.message).slice(0, 20_000),
    });
    return { runId, status: 'failed', summary, error: err };
  }
}

async function finish(
  reporter: RunReporter,
  output: ConsoleOutput,
  env: TrainerEnv,
  input: {
    status: 'finished' | 'failed' | 'killed';
    summary: Record<string, unknown>;
    reason?: string;
  },
): Promise<void> {
  const totals = await reporter.finish(
    { ...input, summary: input.summary as FinishRunInput['summary'] },
    env.TRAINBOOK_FLUSH_SECONDS * 1000,
  );
  output.event('reporting', { ...totals });
  if (totals.state === 'offline') {
    output.info(`${totals.points} points kept in ${totals.journal}; send them with pnpm sync`);
  } else if (totals.pendingPoints > 0 || totals.state !== 'idle') {
    output.warn(
      `the tracker has not taken everything yet (${totals.pendingPoints} points waiting): kept in ${totals.journal}; run pnpm sync when it is back`,
    );
  }
}

async function loadWeights(config: TrainConfig, base: ReturnType<typeof buildVgg16Base>) {
  if (config.weights === 'none') {
    return { label: 'none', detail: { source: 'none (random initialisation)', path: null } };
  }
  try {
    const loaded = await loadVgg16ImagenetWeights(base, {
      ...(config.weights === 'imagenet' ? {} : { path: config.weights }),
      retries: 1,
    });
    return {
      label: config.weights === 'imagenet' ? 'imagenet' : config.weights,
      detail: { source: loaded.source as string, path: loaded.path as string | null },
    };
  } catch (error) {
    if (config.weights !== 'imagenet') {
      throw new Error(`--weights ${config.weights}: ${describe(error)}`, { cause: error });
    }
    const w = VGG16_NOTOP_WEIGHTS;
    throw new Error(
      `--weights imagenet: could not get Keras' VGG16 ImageNet weights.\n  ${describe(error)}\n` +
        `  Get ${w.fileName} (${w.bytes.toLocaleString('en-US')} bytes, md5 ${w.md5}) from ${w.url}\n` +
        '  (Keras keeps one in ~/.keras/models/ once it has used it), then pass it with --weights <path> or put it in the cache folder above;\n' +
        '  or train from random weights with --weights none.',
      { cause: error },
    );
  }
}
