import { randomUUID } from 'node:crypto';
import { type Diagnosis, diagnose } from '@trainbook/insights';
import { fitTransferModel } from '@trainbook/model';
import type { TrainConfig } from './cli.js';
import type { ConsoleOutput } from './console/console-output.js';
import type { TrainerEnv } from './env.js';
import { runSummary } from './reporting/metrics.js';
import { buildBase, buildModel } from './run/build-model.js';
import { finishRun } from './run/finish-run.js';
import { fitCallbacks } from './run/fit-callbacks.js';
import { openReporter, processEnv, runParams } from './run/open-reporter.js';
import { prepareData } from './run/prepare-data.js';
import { saveRunArtifacts } from './run/run-artifacts.js';

export interface TrainOptions {
  config: TrainConfig;
  env: TrainerEnv;
  output: ConsoleOutput;
  /** Aborted on Ctrl-C: training stops after the current batch. */
  signal: AbortSignal;
  /** The tracker URL to report to, once it is known to answer (or null: offline). */
  trackerUrl: string | null;
  /** A sweep's trial (`pnpm worker`): the run takes the id the claim gave and is linked to it. */
  sweepTrial?: { runId: string; sweepId: string; trialIndex: number; attempt: number };
  /**
   * Asked at the end of every epoch (a sweep's early stopping, a cancelled sweep): a reason
   * stops the run there, `killed` with that reason.
   */
  stopAfterEpoch?: () => string | null;
}

export interface TrainOutcome {
  runId: string;
  status: 'finished' | 'failed' | 'killed';
  summary: Record<string, unknown> | null;
  error?: Error;
  /** What the curves and params say (@trainbook/insights), for the end-of-run printout. */
  diagnosis?: Diagnosis;
}

/**
 * The run, from data to saved model, reported as it goes: weights first (a bad file is said at
 * once), then data, model, the run's record at the tracker, fit, artifacts, finish.
 */
export async function train(options: TrainOptions): Promise<TrainOutcome> {
  const { config, env, output, signal } = options;
  const runId = options.sweepTrial?.runId ?? randomUUID();
  const { backend, base, weights } = await buildBase({ config, output });
  const data = await prepareData({ config, output, signal });
  const { transfer, lr, engine, plan, suffix } = await buildModel({
    config,
    output,
    base,
    trainImages: data.train.size,
    validationImages: data.validation.size,
  });

  const params = runParams(config, {
    lr,
    weights: weights.label,
    trainImages: data.train.size,
    validationImages: data.validation.size,
  });
  const reporter = openReporter({
    record: {
      id: runId,
      ...(options.sweepTrial
        ? {
            sweep: {
              sweepId: options.sweepTrial.sweepId,
              trialIndex: options.sweepTrial.trialIndex,
              attempt: options.sweepTrial.attempt,
            },
          }
        : {}),
      params,
      env: {
        backend: backend.backend,
        backendReason: backend.reason,
        backendThreads: backend.threads,
        featureCache: { used: plan.path.startsWith('feature cache'), reason: plan.reason },
        frozen: {
          engine: engine?.engine ?? null,
          detail: engine?.detail ?? null,
          reason: engine?.reason ?? null,
          path: plan.path,
        },
        suffix: suffix
          ? { engine: suffix.engine, detail: suffix.detail, reason: suffix.reason }
          : {
              engine: 'tfjs',
              detail: `tfjs ${backend.backend}`,
              reason: 'the whole model trains on tfjs',
            },
        ...processEnv(),
        seed: config.seed,
        datasetHash: data.hash,
        data: { ...data.source },
        weights: weights.detail,
      },
    },
    config,
    env,
    output,
    trackerUrl: options.trackerUrl,
  });
  const { callbacks, history } = fitCallbacks({
    reporter,
    output,
    epochs: config.epochs,
    batchSize: config.batchSize,
    batchesPerEpoch: data.batchesPerEpoch,
    trainImages: data.train.size,
    lr,
  });
  let stoppedBecause: string | null = null;
  const onEpochEnd = callbacks.onEpochEnd;
  callbacks.onEpochEnd = async (epoch, logs) => {
    const verdict = await onEpochEnd?.(epoch, logs);
    stoppedBecause = options.stopAfterEpoch?.() ?? null;
    return stoppedBecause ? 'stop' : verdict;
  };
  const finish = (
    status: TrainOutcome['status'],
    summary: Record<string, unknown>,
    reason?: string,
  ) => finishRun({ reporter, output, env, status, summary, reason });

  try {
    const result = await fitTransferModel(transfer, {
      train: data.train,
      validation: data.validation,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      preprocessing: config.preprocessing,
      augment: config.augment,
      featureCache: config.cacheFeatures,
      ...(engine ? { frozenEngine: engine } : {}),
      ...(suffix ? { suffixEngine: suffix } : {}),
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
      callbacks,
    }).finally(() => Promise.all([engine?.close(), suffix?.close()]));
    if (result.frozen.path !== plan.path) {
      output.warn(`frozen layers: fit took ${result.frozen.path} (${result.frozen.reason})`);
    }
    const killed = result.stopped === 'signal' || stoppedBecause !== null;
    const summary = runSummary(history, {
      stopped: result.stopped,
      restoredBestWeights: result.restoredBestWeights,
    });
    if (!killed && result.validation) {
      if (result.restoredBestWeights)
        output.info(`restored the weights of epoch ${(result.bestEpoch ?? 0) + 1} (best val_loss)`);
      await saveRunArtifacts({
        runId,
        reporter,
        output,
        model: transfer.model,
        evaluation: result.validation,
        validationImages: data.validation.size,
        classNames: data.classNames,
        home: env.TRAINBOOK_HOME,
      });
      summary.evaluatedAccuracy = result.validation.accuracy;
    }
    const status = killed ? 'killed' : 'finished';
    await finish(
      status,
      summary,
      killed
        ? (stoppedBecause ??
            options.stopAfterEpoch?.() ??
            'stopped by Ctrl-C (SIGINT) after the current batch')
        : undefined,
    );
    const diagnosis = diagnose({ epochs: history, params });
    return { runId, status, summary, diagnosis };
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    const summary = runSummary(history, { stopped: null, restoredBestWeights: false });
    if (signal.aborted) {
      // Ctrl-C after training, while evaluating or saving: still the user's stop, not a failure.
      await finish(
        'killed',
        summary,
        `stopped by Ctrl-C (SIGINT) while finishing the run: ${err.message}`,
      );
      return { runId, status: 'killed', summary };
    }
    await finish('failed', summary, (err.stack ?? err.message).slice(0, 20_000));
    return { runId, status: 'failed', summary, error: err };
  }
}
