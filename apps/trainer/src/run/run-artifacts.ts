import { join } from 'node:path';
import type { ImageSource, Preprocessing, TransferModel } from '@trainbook/model';
import type { ConsoleOutput } from '../console/console-output.js';
import { confusionMatrix, saveModel } from '../model-artifacts.js';
import type { RunReporter } from '../reporting/run-reporter.js';

const inline = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

/**
 * What a finished run leaves besides its curves: the validation confusion matrix and
 * per-class accuracy (inline JSON artifacts) and the saved model (an artifact by location).
 * @returns the accuracy of that evaluation, for the summary.
 */
export async function saveRunArtifacts(options: {
  runId: string;
  reporter: RunReporter;
  output: ConsoleOutput;
  transfer: TransferModel;
  validation: ImageSource;
  classNames: string[];
  preprocessing: Preprocessing;
  batchSize: number;
  home: string;
  signal: AbortSignal;
}): Promise<{ evaluatedAccuracy: number }> {
  const { runId, reporter, output, transfer, validation, classNames } = options;
  output.info(`evaluating ${validation.size} validation images for the confusion matrix`);
  const evaluation = await confusionMatrix({
    model: transfer.model,
    source: validation,
    numClasses: transfer.numClasses,
    preprocessing: options.preprocessing,
    batchSize: options.batchSize,
    signal: options.signal,
  });
  reporter.artifact({
    runId,
    kind: 'confusion_matrix',
    name: 'confusion_matrix.json',
    contentBase64: inline({ classes: classNames, matrix: evaluation.matrix }),
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
    contentBase64: inline({ classes: classNames, accuracy: evaluation.perClassAccuracy }),
    meta: { set: 'validation', images: validation.size },
  });
  const saved = await saveModel(transfer.model, join(options.home, 'runs', runId, 'model'));
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
  return { evaluatedAccuracy: evaluation.accuracy };
}
