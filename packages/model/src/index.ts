export { type Augmentation, type AugmentFunction, augmentWith } from './augment.js';
export { type BackendChoice, type BackendSelection, selectBackend } from './backend.js';
export {
  buildFeatureCache,
  type CacheProgress,
  type FeatureCache,
} from './feature-cache.js';
export {
  type BatchLogs,
  type EarlyStoppingOptions,
  type EpochLogs,
  type FitCallbacks,
  type FitOptions,
  type FitResult,
  fitTransferModel,
} from './fit.js';
export {
  type FrozenEngine,
  type FrozenEngineChoice,
  type SelectFrozenEngineOptions,
  selectFrozenEngine,
} from './frozen/frozen-engine.js';
export {
  type FrozenPath,
  type FrozenPlan,
  type PlanOptions,
  planFrozenPath,
} from './frozen/frozen-path.js';
export { frozenPrefixToOnnx } from './frozen/onnx-graph.js';
export { type ImageBatch, type ImageSource, imagesInMemory } from './image-source.js';
export {
  type ImagenetWeightsOptions,
  loadVgg16ImagenetWeights,
  type ResolvedWeights,
  resolveVgg16Weights,
  VGG16_NOTOP_WEIGHTS,
  type WeightsFile,
} from './imagenet-weights.js';
export { makeOptimizer, type OptimizerOptions } from './optimizer.js';
export {
  CAFFE_BGR_MEANS,
  type Preprocessing,
  preprocessImages,
  preprocessPixels,
} from './preprocess.js';
export {
  type SuffixEngine,
  type SuffixEngineChoice,
  type SuffixTrainer,
  selectSuffixEngine,
  startSuffixTrainer,
  suffixSpecOf,
} from './suffix/suffix-trainer.js';
export {
  buildTransferModel,
  type HeadOptions,
  type TransferModel,
  type TransferModelOptions,
} from './transfer.js';
export type { ValidationPass } from './validation.js';
export {
  buildVgg16Base,
  VGG16_BASE_PARAMS,
  VGG16_BLOCKS,
  VGG16_LAYER_NAMES,
  type Vgg16BaseOptions,
} from './vgg16.js';
export { type LoadedWeights, loadKerasWeights } from './weights.js';
