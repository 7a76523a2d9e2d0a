import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { FitResult } from '@trainbook/model';
import type { ConsoleOutput } from '../console/console-output.js';
import { saveModel } from '../model-artifacts.js';
import type { RunReporter } from '../reporting/run-reporter.js';

const inline = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

/**
 * What a finished run leaves besides its curves: the confusion matrix and per-class accuracy of
 * the validation pass the final weights had (fit's own: the last epoch's, or the best epoch's
 * when early stopping restored it — no second pass), as inline JSON artifacts, and the saved
 * model (an artifact by location).
 */
export async function saveRunArtifacts(options: {
  runId: string;
  reporter: RunReporter;
  output: ConsoleOutput;
  model: tf.LayersModel;
  evaluation: NonNullable<FitResult['validation']>;
  validationImages: number;
  classNames: string[];
  home: string;
}): Promise<void> {
  const { runId, reporter, output, evaluation, classNames } = options;
  const from = {
    set: 'validation',
    images: options.validationImages,
    epoch: evaluation.epoch + 1,
    from: evaluation.which,
  };
  reporter.artifact({
    runId,
    kind: 'confusion_matrix',
    name: 'confusion_matrix.json',
    contentBase64: inline({ classes: classNames, matrix: evaluation.confusionMatrix }),
    meta: {
      ...from,
      rows: 'true class',
      columns: 'predicted class',
    },
  });
  reporter.artifact({
    runId,
    kind: 'per_class_accuracy',
    name: 'per_class_accuracy.json',
    contentBase64: inline({ classes: classNames, accuracy: evaluation.perClassAccuracy }),
    meta: from,
  });
  const saved = await saveModel(options.model, join(options.home, 'runs', runId, 'model'));
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
