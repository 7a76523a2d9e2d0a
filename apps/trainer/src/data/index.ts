export { type ImageTransform, writeImage } from './augment.js';
export {
  type Batch,
  type BatchOptions,
  batchCount,
  epochBatches,
  epochOrder,
  type PixelType,
} from './batches.js';
export * as cifar10Format from './cifar10-format.js';
export type { Cifar10Split } from './cifar10-split.js';
export { DataError } from './data-error.js';
export { datasetHash, hashExamples } from './dataset-hash.js';
export { type Cifar10, type LoadCifar10Options, loadCifar10 } from './load-cifar10.js';
export { type ExampleSet, type SelectExamplesOptions, selectExamples } from './select-examples.js';
