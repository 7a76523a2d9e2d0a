import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';

/**
 * A `file://` save handler for plain tfjs in Node (tfjs-node brings its own): writes
 * model.json and weights.bin in the TensorFlow.js layers format, loadable with
 * `tf.loadLayersModel('file://…/model.json')` under tfjs-node.
 */
function fileSaveHandler(folder: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    mkdirSync(folder, { recursive: true });
    // Written (and hashed) chunk by chunk: no joined copy of the ~60 MB of weights.
    const chunks =
      artifacts.weightData === undefined ? [] : ([] as ArrayBuffer[]).concat(artifacts.weightData);
    const weights = writeHashed(
      join(folder, 'weights.bin'),
      chunks.map((c) => new Uint8Array(c)),
    );
    const json: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology!,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
      convertedBy: null,
      weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    };
    const model = writeHashed(join(folder, 'model.json'), [Buffer.from(JSON.stringify(json))]);
    written.set(folder, [
      { name: 'model.json', ...model },
      { name: 'weights.bin', ...weights },
    ]);
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

/** What the last save into each folder wrote, with sizes and hashes. */
const written = new Map<
  string,
  { name: string; size: number; sha256: string; bytes: Uint8Array[] }[]
>();

function writeHashed(path: string, chunks: Uint8Array[]) {
  const fd = openSync(path, 'w');
  const hash = createHash('sha256');
  let size = 0;
  try {
    for (const chunk of chunks) {
      writeSync(fd, chunk);
      hash.update(chunk);
      size += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  return { size, sha256: hash.digest('hex'), bytes: chunks };
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
  // tfjs-node's own file:// handler (native backend) writes the same two files.
  const files = written.get(folder) ?? (await readBack(folder));
  written.delete(folder);
  const whole = createHash('sha256');
  for (const file of files) for (const chunk of file.bytes) whole.update(chunk);
  return {
    folder,
    location: pathToFileURL(join(folder, 'model.json')).toString(),
    size: files.reduce((n, f) => n + f.size, 0),
    sha256: whole.digest('hex'),
    files: files.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
  };
}

async function readBack(folder: string) {
  return Promise.all(
    ['model.json', 'weights.bin'].map(async (name) => {
      const bytes = new Uint8Array(await readFile(join(folder, name)));
      return {
        name,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes: [bytes],
      };
    }),
  );
}
