import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import {
  createProgressBar,
  type DownloadEventHandler,
  defaultCacheDir,
  download,
  hashFile,
} from '@trainbook/download';
import { type LoadedWeights, loadKerasWeights } from './weights.js';

/** Keras' published ImageNet weights for VGG16 without the top (keras/applications/vgg16.py). */
export const VGG16_NOTOP_WEIGHTS = {
  url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
  fileName: 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
  md5: '6d6bbae143d832006294945121d1f1fc',
  bytes: 58_889_256,
} as const;

export type WeightsFile = { url: string; fileName: string; md5: string; bytes: number };

export interface ImagenetWeightsOptions {
  /** A weights file already on disk (any Keras layout); used as is, nothing is downloaded. */
  path?: string;
  /** Where downloads are kept. Default: `<trainbook cache>/keras-weights` (TRAINBOOK_CACHE_DIR). */
  cacheDir?: string;
  /** Never touch the network: use the cached copy or fail saying where to put the file. */
  offline?: boolean;
  /** Download progress; default a progress bar on stderr; false for none. */
  onProgress?: DownloadEventHandler | false;
  /** Another file to fetch (a mirror, or a test server). Default {@link VGG16_NOTOP_WEIGHTS}. */
  file?: WeightsFile;
  signal?: AbortSignal;
  /** Extra attempts after a cut-off or unreachable server (with backoff). Default 4. */
  retries?: number;
}

export interface ResolvedWeights {
  path: string;
  source: 'local path' | 'cache' | 'download';
}

/**
 * Finds Keras' VGG16 ImageNet weights: the given path, else a verified copy in the cache, else a
 * download (with progress, md5-checked, moved into the cache only once whole and correct).
 */
export async function resolveVgg16Weights(
  options: ImagenetWeightsOptions = {},
): Promise<ResolvedWeights> {
  if (options.path != null) {
    const path = resolve(options.path);
    if (!existsSync(path)) throw new Error(`VGG16 weights: no file at ${path}`);
    return { path, source: 'local path' };
  }
  const file = options.file ?? VGG16_NOTOP_WEIGHTS;
  const cacheDir = resolve(options.cacheDir ?? join(defaultCacheDir(), 'keras-weights'));
  const dest = join(cacheDir, file.fileName);
  const manual =
    `Put ${file.fileName} (${file.bytes} bytes, md5 ${file.md5}, from ${file.url}) at ${dest}, ` +
    'or pass its path (e.g. ~/.keras/models/… where Keras keeps it).';
  if (options.offline) {
    if (existsSync(dest) && (await hashFile(dest, 'md5')) === file.md5)
      return { path: dest, source: 'cache' };
    throw new Error(
      `VGG16 weights: offline and ${existsSync(dest) ? `the copy at ${dest} fails its md5 check` : `nothing cached at ${dest}`}. ${manual}`,
    );
  }
  const result = await download({
    url: file.url,
    checksum: { algorithm: 'md5', hex: file.md5 },
    expectedBytes: file.bytes,
    cacheDir,
    fileName: file.fileName,
    onProgress:
      options.onProgress === false
        ? undefined
        : (options.onProgress ?? createProgressBar({ label: file.fileName })),
    hint: 'Or pass the path of a copy you have (weights.path).',
    signal: options.signal,
    retries: options.retries,
  });
  return { path: result.path, source: result.cached ? 'cache' : 'download' };
}

/** Resolves the ImageNet weights (see {@link resolveVgg16Weights}) and loads them into `base`. */
export async function loadVgg16ImagenetWeights(
  base: tf.LayersModel,
  options: ImagenetWeightsOptions = {},
): Promise<LoadedWeights & ResolvedWeights> {
  const resolved = await resolveVgg16Weights(options);
  return { ...resolved, ...(await loadKerasWeights(base, resolved.path)) };
}
