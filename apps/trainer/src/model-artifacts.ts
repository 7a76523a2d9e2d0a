import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { type ImageSource, type Preprocessing, preprocessImages } from '@trainbook/model';

/**
 * A `file://` save handler for plain tfjs in Node (tfjs-node brings its own): writes
 * model.json and weights.bin in the TensorFlow.js layers format, loadable with
 * `tf.loadLayersModel('file://…/model.json')` under tfjs-node.
 */
function fileSaveHandler(folder: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    mkdirSync(folder, { recursive: true });
    const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
    writeFileSync(join(folder, 'weights.bin'), new Uint8Array(weights));
    const json: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology!,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
      convertedBy: null,
      weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    };
    writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

let routerRegistered = false;
function ensureFileSaveRouter(): void {
  if (routerRegistered || tf.io.getSaveHandlers('file:///probe').length > 0) return;
  tf.io.registerSaveRouter((url) => {
    const u = Array.isArray(url) ? url[0] : url;
    return typeof u === 'string' && u.startsWith('file://')
      ? fileSaveHandler(fileURLToPath(u))
      : (null as unknown as tf.io.IOHandler); // tfjs routers answer null for URLs not theirs
  });
  routerRegistered = true;
}

export interface SavedModel {
  folder: string;
  location: string;
  size: number;
  /** Of model.json followed by weights.bin. */
  sha256: string;
  files: { name: string; size: number; sha256: string }[];
}

/** `model.save('file://<folder>')`, then the files' sizes and hashes for the tracker. */
export async function saveModel(model: tf.LayersModel, folder: string): Promise<SavedModel> {
  ensureFileSaveRouter();
  await model.save(pathToFileURL(folder).toString());
  const whole = createHash('sha256');
  const files = ['model.json', 'weights.bin'].map((name) => {
    const bytes = readFileSync(join(folder, name));
    whole.update(bytes);
    return { name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  return {
    folder,
    location: pathToFileURL(join(folder, 'model.json')).toString(),
    size: files.reduce((n, f) => n + f.size, 0),
    sha256: whole.digest('hex'),
    files,
  };
}

export interface Evaluation {
  /** [true class][predicted class] → images. */
  matrix: number[][];
  /** Per true class: correct / images of that class (NaN when a class has none). */
  perClassAccuracy: number[];
  accuracy: number;
}

/** Predicts every image of `source` and counts (true, predicted) pairs. */
export async function confusionMatrix(options: {
  model: tf.LayersModel;
  source: ImageSource;
  numClasses: number;
  preprocessing: Preprocessing;
  batchSize: number;
  signal?: AbortSignal;
}): Promise<Evaluation> {
  const { model, source, numClasses } = options;
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const [h, w, c] = source.imageShape;
  for (let start = 0; start < source.size; start += options.batchSize) {
    if (options.signal?.aborted) throw new Error('evaluation stopped');
    const count = Math.min(options.batchSize, source.size - start);
    const batch = await source.read(Array.from({ length: count }, (_, i) => start + i));
    const predicted = tf.tidy(() => {
      const x = preprocessImages(
        tf.tensor4d(Float32Array.from(batch.images), [count, h, w, c]),
        options.preprocessing,
      );
      // Shape: [count, numClasses] → [count]
      return tf.argMax(model.predict(x, { batchSize: count }) as tf.Tensor2D, 1);
    });
    const classes = await predicted.data();
    predicted.dispose();
    for (let i = 0; i < count; i++) matrix[batch.labels[i]!]![classes[i]!]! += 1;
  }
  const perClassAccuracy = matrix.map((row, k) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : row[k]! / total;
  });
  const correct = matrix.reduce((n, row, k) => n + row[k]!, 0);
  return { matrix, perClassAccuracy, accuracy: correct / source.size };
}
