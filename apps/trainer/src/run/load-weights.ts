import {
  type buildVgg16Base,
  loadVgg16ImagenetWeights,
  VGG16_NOTOP_WEIGHTS,
} from '@trainbook/model';
import type { TrainConfig } from '../cli.js';
import { describe } from '../reporting/sender.js';

export interface RunWeights {
  /** What the run's params say: none, imagenet or the path given. */
  label: string;
  detail: { source: string; path: string | null };
}

/**
 * The base's starting weights, per --weights. Errors are one paragraph that says what to do:
 * where to get the ImageNet file, or what is wrong with the file given.
 */
export async function loadWeights(
  config: Pick<TrainConfig, 'weights'>,
  base: ReturnType<typeof buildVgg16Base>,
): Promise<RunWeights> {
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
