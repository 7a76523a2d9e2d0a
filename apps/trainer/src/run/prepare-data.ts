import { createProgressBar } from '@trainbook/download';
import type { TrainConfig } from '../cli.js';
import type { ConsoleOutput } from '../console/console-output.js';
import { datasetHash } from '../data/dataset-hash.js';
import { loadCifar10 } from '../data/load-cifar10.js';
import { selectExamples } from '../data/select-examples.js';
import { exampleSource } from '../image-sources.js';

/** CIFAR-10 (downloaded or read), split into the run's training and validation images. */
export async function prepareData(options: {
  config: TrainConfig;
  output: ConsoleOutput;
  signal: AbortSignal;
}) {
  const { config, output, signal } = options;
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
  output.info(
    `data: ${sets.train.indices.length} training, ${sets.validation.indices.length} validation images from ${cifar.source.path}`,
  );
  return {
    classNames: cifar.classNames,
    source: cifar.source,
    hash: datasetHash(sets),
    train: exampleSource(sets.train),
    validation: exampleSource(sets.validation),
    batchesPerEpoch: Math.ceil(sets.train.indices.length / config.batchSize),
  };
}

export type PreparedData = Awaited<ReturnType<typeof prepareData>>;
